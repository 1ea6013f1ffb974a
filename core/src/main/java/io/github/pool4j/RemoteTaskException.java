package io.github.pool4j;

import java.util.List;
import java.util.Objects;

/**
 * An exception thrown in another process, rebuilt in this JVM from its class name, message and
 * stack frames, as Python chains a {@code RemoteTraceback} to a failed task.
 *
 * <p>It is the {@link Throwable#getCause() cause} of a {@link TaskFailedException} whose task ran in a
 * worker process, so the caller's stack trace shows where the task failed. Its own cause is the
 * remote exception's cause, rebuilt the same way. {@link #toString()} prints the remote class name,
 * not this class's name.
 */
public final class RemoteTaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String remoteClassName;

    /**
     * Rebuilds a remote exception.
     *
     * @param remoteClassName the fully qualified class name of the exception in the remote process
     * @param remoteMessage its message, or {@code null}
     * @param remoteFrames its stack frames, innermost first
     * @param remoteCause its cause, rebuilt, or {@code null}
     * @throws NullPointerException if {@code remoteClassName} or {@code remoteFrames} is null
     */
    public RemoteTaskException(
            String remoteClassName,
            String remoteMessage,
            List<StackTraceElement> remoteFrames,
            RemoteTaskException remoteCause) {
        super(remoteMessage, remoteCause, false, true);
        this.remoteClassName = Objects.requireNonNull(remoteClassName, "remoteClassName");
        setStackTrace(remoteFrames.toArray(new StackTraceElement[0]));
    }

    /**
     * Returns the fully qualified class name of the exception in the remote process.
     *
     * @return the remote class name
     */
    public String remoteClassName() {
        return remoteClassName;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? remoteClassName : remoteClassName + ": " + message;
    }
}
