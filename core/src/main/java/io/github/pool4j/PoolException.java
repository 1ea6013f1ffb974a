package io.github.pool4j;

/**
 * The root of every exception a {@link Pool} throws for reasons other than argument checks.
 *
 * <p>Subclasses carry their context: {@link TaskFailedException} (the task threw),
 * {@link WorkerCrashedException} (the worker process died), {@link TaskTimeoutException} (the task
 * ran past its timeout), {@link PoolClosedException} (the pool was closed or terminated) and
 * {@link TaskSerializationException} (a task, input or result could not travel to another process).
 * A plain {@code PoolException} wraps anything else, such as an {@link InterruptedException} of the
 * calling thread.
 */
public class PoolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The value of {@link #inputIndex()} when an exception does not concern one input. */
    public static final long NO_INPUT = -1;

    private final long inputIndex;

    /**
     * Creates an exception that does not concern one input.
     *
     * @param message the detail message
     * @param cause the cause, or {@code null}
     */
    public PoolException(String message, Throwable cause) {
        this(message, cause, NO_INPUT);
    }

    /**
     * Creates an exception about the input at {@code inputIndex}.
     *
     * @param message the detail message
     * @param cause the cause, or {@code null}
     * @param inputIndex the zero-based index of the input in its call, or {@link #NO_INPUT}
     */
    protected PoolException(String message, Throwable cause, long inputIndex) {
        super(message, cause);
        this.inputIndex = inputIndex;
    }

    /**
     * Returns the zero-based position of the input this exception concerns, in the order the caller
     * gave the inputs, or {@link #NO_INPUT} if it concerns no single input.
     *
     * @return the input index, or {@code -1}
     */
    public long inputIndex() {
        return inputIndex;
    }
}
