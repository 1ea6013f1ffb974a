package io.github.pool4j;

/**
 * Thrown in the caller when a task, an input or a result cannot be written to or read from JSON
 * to travel between processes.
 *
 * <p>It says {@linkplain #what() what} could not travel (the task, or the input or result at
 * {@link #inputIndex()}), its {@linkplain #typeName() type}, and why. It is raised instead of
 * sending anything a worker could not read, so a bad value never makes a call hang.
 */
public final class TaskSerializationException extends PoolException {

    private static final long serialVersionUID = 1L;

    /** What could not travel. */
    public enum Subject {
        /** The task itself: its class, lambda or captured values. */
        TASK,
        /** An input. */
        INPUT,
        /** A result. */
        RESULT
    }

    private final Subject what;
    private final String typeName;

    /**
     * Creates an exception for a value that could not travel.
     *
     * @param what whether the task, an input or a result failed
     * @param inputIndex the index of the input concerned, or {@link #NO_INPUT} for the task
     * @param typeName the type that could not be written or read
     * @param reason why, in words
     * @param cause the underlying failure, or {@code null}
     */
    public TaskSerializationException(
            Subject what, long inputIndex, String typeName, String reason, Throwable cause) {
        super(describe(what, inputIndex, typeName, reason), cause, inputIndex);
        this.what = what;
        this.typeName = typeName;
    }

    /**
     * Returns what could not travel.
     *
     * @return the task, an input or a result
     */
    public Subject what() {
        return what;
    }

    /**
     * Returns the name of the type that could not be written or read.
     *
     * @return a type name
     */
    public String typeName() {
        return typeName;
    }

    private static String describe(Subject what, long index, String typeName, String reason) {
        String subject =
                switch (what) {
                    case TASK -> "Task";
                    case INPUT -> "Input #" + index;
                    case RESULT -> "Result for input #" + index;
                };
        return subject + " of type " + typeName + " cannot be sent as JSON: " + reason;
    }
}
