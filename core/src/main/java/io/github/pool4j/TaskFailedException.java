package io.github.pool4j;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Thrown when a task threw an exception for one input.
 *
 * <p>It names the input's {@linkplain #inputIndex() index} and describes the task's exception by
 * {@linkplain #remoteClassName() class name}, {@linkplain #remoteMessage() message} and
 * {@linkplain #remoteStackTrace() stack trace}, which are available whether the task ran in this
 * JVM or in a worker process. Its {@link #getCause() cause} is the task's original exception when
 * the task ran in this JVM, or a {@link RemoteTaskException} rebuilt from the worker's report, so
 * a printed stack trace always shows where the task failed.
 *
 * <p>{@code Pool.map} throws it for the first failing input in input order, whatever order the
 * inputs finished in.
 */
public final class TaskFailedException extends PoolException {

    private static final long serialVersionUID = 1L;

    private final String remoteClassName;
    private final String remoteMessage;
    private final String remoteStackTrace;

    /**
     * Creates an exception for a task that failed for the input at {@code inputIndex}.
     *
     * @param inputIndex the input's zero-based index in its call
     * @param remoteClassName the class name of the task's exception
     * @param remoteMessage the task exception's message, or {@code null}
     * @param remoteStackTrace the task exception's printed stack trace
     * @param cause the task's exception, or its {@link RemoteTaskException} rebuild
     */
    public TaskFailedException(
            long inputIndex,
            String remoteClassName,
            String remoteMessage,
            String remoteStackTrace,
            Throwable cause) {
        super(describe(inputIndex, remoteClassName, remoteMessage), cause, inputIndex);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = remoteStackTrace;
    }

    /**
     * Creates an exception for a task that threw {@code failure} in this JVM.
     *
     * @param inputIndex the input's zero-based index in its call
     * @param failure what the task threw
     * @return the exception, with {@code failure} as its cause
     */
    public static TaskFailedException of(long inputIndex, Throwable failure) {
        return new TaskFailedException(
                inputIndex, failure.getClass().getName(), safeMessage(failure), printed(failure), failure);
    }

    /**
     * Returns the class name of the exception the task threw.
     *
     * @return a fully qualified class name
     */
    public String remoteClassName() {
        return remoteClassName;
    }

    /**
     * Returns the message of the exception the task threw.
     *
     * @return the message, or {@code null} if it had none
     */
    public String remoteMessage() {
        return remoteMessage;
    }

    /**
     * Returns the stack trace of the exception the task threw, as {@link Throwable#printStackTrace()}
     * prints it where the task ran (including its causes).
     *
     * @return the printed stack trace
     */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }

    private static String describe(long index, String className, String message) {
        return "Task failed for input #" + index + ": " + className + (message == null ? "" : ": " + message);
    }

    /**
     * Returns the message of {@code t}, or a note if {@code getMessage()} itself throws.
     *
     * @param t any throwable
     * @return its message, possibly {@code null}
     */
    static String safeMessage(Throwable t) {
        try {
            return t.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            return "<getMessage() threw " + e.getClass().getName() + ">";
        }
    }

    /**
     * Prints {@code t} as {@link Throwable#printStackTrace()} would, surviving exceptions whose
     * {@code toString()} throws and cause cycles.
     */
    static String printed(Throwable t) {
        StringWriter out = new StringWriter();
        try {
            t.printStackTrace(new PrintWriter(out, true));
            return out.toString();
        } catch (RuntimeException | StackOverflowError e) {
            StringBuilder text = new StringBuilder();
            Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            String prefix = "";
            for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
                text.append(prefix).append(c.getClass().getName()).append(": ").append(safeMessage(c)).append('\n');
                for (StackTraceElement frame : c.getStackTrace()) {
                    text.append("\tat ").append(frame).append('\n');
                }
                prefix = "Caused by: ";
            }
            return text.toString();
        }
    }
}
