package io.github.pool4j;

/**
 * Thrown when work is given to a pool after {@link Pool#close()} or {@link Pool#terminate()}, and
 * used to fail work that {@code terminate()} discarded.
 */
public final class PoolClosedException extends PoolException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception for work refused or discarded by a closed pool.
     *
     * @param message what was refused and why
     */
    public PoolClosedException(String message) {
        super(message, null);
    }

    /**
     * Creates an exception for the input at {@code inputIndex}, discarded because the pool closed.
     *
     * @param message what was discarded and why
     * @param inputIndex the input's index in its call
     */
    public PoolClosedException(String message, long inputIndex) {
        super(message, null, inputIndex);
    }
}
