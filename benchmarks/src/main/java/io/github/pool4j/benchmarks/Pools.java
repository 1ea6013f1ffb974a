package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import io.github.pool4j.process.ProcessPool;
import io.github.pool4j.thread.ThreadPool;
import java.util.List;

/**
 * Builds the pools under test the same way for the JMH suites and the comparison runner, so
 * both measure the same configuration.
 *
 * <p>Thread-safety: stateless.
 */
public final class Pools {

    /** Chunk size value meaning "automatic, as Python computes it". */
    public static final int AUTO = 0;

    private Pools() {}

    /**
     * Builds a {@code ThreadPool}.
     *
     * @param size the number of threads
     * @param chunkSize inputs per chunk, or {@link #AUTO}
     * @param <T> input type
     * @param <R> result type
     * @return a new pool the caller must close
     */
    public static <T, R> Pool<T, R> threadPool(int size, int chunkSize) {
        ThreadPool.Builder builder = ThreadPool.builder().size(size);
        if (chunkSize != AUTO) {
            builder.chunkSize(chunkSize);
        }
        return builder.build();
    }

    /**
     * Builds a {@code ProcessPool} with the default worker JVM options plus {@code jvmOptions}.
     *
     * @param size the number of worker JVMs
     * @param chunkSize inputs per chunk, or {@link #AUTO}
     * @param jvmOptions extra worker JVM options; empty keeps the defaults
     * @param <T> input type
     * @param <R> result type
     * @return a new pool the caller must close
     */
    public static <T, R> Pool<T, R> processPool(int size, int chunkSize, List<String> jvmOptions) {
        ProcessPool.Builder builder = ProcessPool.builder().size(size);
        if (chunkSize != AUTO) {
            builder.chunkSize(chunkSize);
        }
        if (!jvmOptions.isEmpty()) {
            builder.jvmOptions(jvmOptions);
        }
        return builder.build();
    }

    /**
     * Builds a {@code ProcessPool} with the default worker JVM options.
     *
     * @param size the number of worker JVMs
     * @param chunkSize inputs per chunk, or {@link #AUTO}
     * @param <T> input type
     * @param <R> result type
     * @return a new pool the caller must close
     */
    public static <T, R> Pool<T, R> processPool(int size, int chunkSize) {
        return processPool(size, chunkSize, List.of());
    }
}
