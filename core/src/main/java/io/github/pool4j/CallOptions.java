package io.github.pool4j;

import java.util.Objects;

/**
 * Options for one call of a {@link Pool} ({@code map}, {@code imap}, {@code submit}...), as
 * Python's {@code pool.imap(f, xs, chunksize)}: what is not set here falls back to the pool's
 * builder options.
 *
 * <p>An immutable value: start from a static factory and add options with the {@code with...}
 * methods, each returning a new value.
 *
 * <pre>{@code
 * try (ResultIterator<Integer> it = pool.imap(task, inputs, CallOptions.chunkSize(500))) { ... }
 * pool.map(task, inputs, CallOptions.chunkSize(100).withListener(progressBar));
 * }</pre>
 *
 * <p>Thread-safety: immutable, so thread-safe.
 */
public final class CallOptions {

    /** The value of {@link #chunkSize()} when the call uses the pool's chunk size. */
    public static final int POOL_CHUNK_SIZE = 0;

    private static final CallOptions DEFAULTS = new CallOptions(POOL_CHUNK_SIZE, PoolListener.NONE);

    private final int chunkSize;
    private final PoolListener listener;

    private CallOptions(int chunkSize, PoolListener listener) {
        this.chunkSize = chunkSize;
        this.listener = listener;
    }

    /**
     * Returns the options that change nothing: the call uses the pool's options.
     *
     * @return the default options
     */
    public static CallOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns options that set the chunk size of the call: how many inputs travel to a worker
     * together. Larger chunks cost less per input; smaller ones balance uneven tasks better and
     * stream {@code imap} results sooner.
     *
     * @param chunkSize inputs per chunk, at least 1
     * @return the options
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public static CallOptions chunkSize(int chunkSize) {
        return DEFAULTS.withChunkSize(chunkSize);
    }

    /**
     * Returns options with a listener for this call's progress: it receives
     * {@link PoolListener#onProgress} for this call only, besides the pool's own listener.
     * Lifecycle events ({@code onWorkerStarted}...) go to the pool's listener only.
     *
     * @param listener the listener
     * @return the options
     * @throws NullPointerException if {@code listener} is null
     */
    public static CallOptions listener(PoolListener listener) {
        return DEFAULTS.withListener(listener);
    }

    /**
     * Returns a copy with another chunk size; see {@link #chunkSize(int)}.
     *
     * @param chunkSize inputs per chunk, at least 1
     * @return the new options
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public CallOptions withChunkSize(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, was " + chunkSize);
        }
        return new CallOptions(chunkSize, listener);
    }

    /**
     * Returns a copy with another progress listener; see {@link #listener(PoolListener)}.
     *
     * @param listener the listener
     * @return the new options
     * @throws NullPointerException if {@code listener} is null
     */
    public CallOptions withListener(PoolListener listener) {
        return new CallOptions(chunkSize, Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Returns the call's chunk size.
     *
     * @return inputs per chunk, or {@link #POOL_CHUNK_SIZE} if the call uses the pool's
     */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Returns the call's own progress listener.
     *
     * @return the listener, {@link PoolListener#NONE} if none was set
     */
    public PoolListener listener() {
        return listener;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CallOptions other && chunkSize == other.chunkSize && listener.equals(other.listener);
    }

    @Override
    public int hashCode() {
        return 31 * chunkSize + listener.hashCode();
    }

    @Override
    public String toString() {
        return "CallOptions[chunkSize=" + (chunkSize == POOL_CHUNK_SIZE ? "pool's" : chunkSize)
                + (listener == PoolListener.NONE ? "" : ", listener=" + listener) + "]";
    }
}
