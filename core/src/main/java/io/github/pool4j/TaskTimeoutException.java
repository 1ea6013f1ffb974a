package io.github.pool4j;

import java.time.Duration;
import java.util.List;

/**
 * Thrown for an input whose task ran longer than the pool's per-task timeout.
 *
 * <p>A thread pool interrupts the task's thread (a Java thread cannot be killed: a task that
 * ignores interrupts keeps its thread busy, though its input has already failed); a process pool
 * kills the worker process and replaces it. {@link #taskStackTrace()} shows where the task was
 * when its time ran out; it is also this exception's {@linkplain #getCause() cause}, a
 * {@link RemoteTaskException} named {@code "stuck task"}, so a printed trace shows it.
 */
public final class TaskTimeoutException extends PoolException {

    private static final long serialVersionUID = 1L;

    private final Duration timeout;
    private final List<StackTraceElement> taskStackTrace;

    /**
     * Creates an exception for the input at {@code inputIndex}, whose task ran past {@code timeout}.
     *
     * @param inputIndex the input's zero-based index in its call
     * @param timeout the timeout that was exceeded
     * @param taskStackTrace where the task was when the timeout fired, innermost frame first;
     *     empty if unknown
     */
    public TaskTimeoutException(long inputIndex, Duration timeout, List<StackTraceElement> taskStackTrace) {
        super(
                "Task for input #" + inputIndex + " timed out after " + timeout.toMillis() + " ms",
                taskStackTrace.isEmpty()
                        ? null
                        : new RemoteTaskException("stuck task", "stack when the timeout fired", taskStackTrace, null),
                inputIndex);
        this.timeout = timeout;
        this.taskStackTrace = List.copyOf(taskStackTrace);
    }

    /**
     * Returns the per-task timeout that was exceeded.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Returns the task's stack when the timeout fired, innermost frame first.
     *
     * @return an immutable list, empty if the stack could not be taken
     */
    public List<StackTraceElement> taskStackTrace() {
        return taskStackTrace;
    }
}
