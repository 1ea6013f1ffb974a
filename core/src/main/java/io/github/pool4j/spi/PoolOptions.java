package io.github.pool4j.spi;

import io.github.pool4j.PoolBuilder;
import io.github.pool4j.PoolListener;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The options shared by every pool implementation, fixed when the pool is built.
 *
 * @param size the number of workers, at least 1
 * @param chunkSize inputs per chunk, or {@link #AUTO_CHUNK_SIZE}
 * @param taskTimeout the per-task timeout, or {@code null} for none
 * @param listener the listener, never null
 */
public record PoolOptions(int size, int chunkSize, Duration taskTimeout, PoolListener listener) {

    /** The chunk size that asks for Python's automatic rule. */
    public static final int AUTO_CHUNK_SIZE = 0;

    /**
     * Reads the options a {@link PoolBuilder} holds. {@code PoolBuilder} installs it when its class
     * initializes, so its public page shows no engine type (the JDK's shared-secrets pattern).
     */
    private static volatile Function<PoolBuilder<?>, PoolOptions> builderReader;

    /**
     * Checks the options.
     *
     * @param size the number of workers, at least 1
     * @param chunkSize inputs per chunk, or {@link #AUTO_CHUNK_SIZE}
     * @param taskTimeout the per-task timeout, or {@code null} for none
     * @param listener the listener, never null
     * @throws IllegalArgumentException if {@code size < 1} or {@code chunkSize < 0}
     * @throws NullPointerException if {@code listener} is null
     */
    public PoolOptions {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, was " + size);
        }
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunkSize must be >= 1, was " + chunkSize);
        }
        Objects.requireNonNull(listener, "listener");
    }

    /**
     * Returns the options set so far on {@code builder}, for a pool's {@code build()}.
     *
     * @param builder a builder; it is not changed
     * @return an immutable copy of its shared options
     * @throws NullPointerException if {@code builder} is null
     */
    public static PoolOptions of(PoolBuilder<?> builder) {
        Objects.requireNonNull(builder, "builder");
        // A builder exists, so its class has initialized and installed the reader.
        return builderReader.apply(builder);
    }

    /**
     * Installs how {@link #of(PoolBuilder)} reads a builder; called once, by {@link PoolBuilder}.
     *
     * @param reader the reader
     * @throws IllegalStateException if a reader is already installed
     */
    public static void installBuilderReader(Function<PoolBuilder<?>, PoolOptions> reader) {
        synchronized (PoolOptions.class) {
            if (builderReader != null) {
                throw new IllegalStateException("the PoolBuilder reader is installed once, by PoolBuilder");
            }
            builderReader = Objects.requireNonNull(reader, "reader");
        }
    }

    /**
     * Returns the options of a pool of {@code size} workers with every other option at its default.
     *
     * @param size the number of workers
     * @return the options
     */
    public static PoolOptions ofSize(int size) {
        return new PoolOptions(size, AUTO_CHUNK_SIZE, null, PoolListener.NONE);
    }

    /**
     * Returns the chunk size for a call of {@code inputCount} inputs: the configured one, or
     * Python's {@code ceil(n / (4 * size))}, at least 1.
     *
     * @param inputCount the number of inputs, or {@code -1} if unknown (lazy calls)
     * @return the chunk size, at least 1
     */
    public int chunkSizeFor(long inputCount) {
        if (chunkSize != AUTO_CHUNK_SIZE) {
            return chunkSize;
        }
        if (inputCount <= 0) {
            return 1;
        }
        long workers = 4L * size;
        return (int) Math.min(Integer.MAX_VALUE, (inputCount + workers - 1) / workers);
    }
}
