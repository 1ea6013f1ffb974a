package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import io.github.pool4j.process.ProcessPool;
import io.github.pool4j.thread.ThreadPool;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the pools under test the same way for the JMH suites and the comparison runner, so
 * both measure the same configuration.
 *
 * <p>Thread-safety: stateless.
 */
public final class Pools {

    /** System property with extra worker JVM options, space-separated. */
    public static final String WORKER_OPTIONS_PROPERTY = "pool4j.bench.workerJvmOptions";

    /** Worker options and frame limit that let a 50 MB payload travel (JSON of it is ~110 MB). */
    static final List<String> BIG_PAYLOAD_OPTIONS = List.of("-Xmx2g");
    static final long BIG_PAYLOAD_FRAME_BYTES = 1L << 30;
    /**
     * The largest payload that gets the workers' default options: three copies of it fit their
     * default heap, and its segment their default {@code maxPayloadBytes}.
     */
    static final int DEFAULT_OPTIONS_MAX_PAYLOAD = 16 << 20;

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
     * Builds a {@code ProcessPool} with the default worker JVM options plus {@code jvmOptions}
     * plus the space-separated options of the system property {@value #WORKER_OPTIONS_PROPERTY}
     * (for profiling the workers, e.g. {@code -XX:StartFlightRecording=...}).
     *
     * @param size the number of worker JVMs
     * @param chunkSize inputs per chunk, or {@link #AUTO}
     * @param jvmOptions extra worker JVM options; empty keeps the defaults
     * @param maxFrameBytes the largest frame, or 0 for the default
     * @param <T> input type
     * @param <R> result type
     * @return a new pool the caller must close
     */
    public static <T, R> Pool<T, R> processPool(int size, int chunkSize, List<String> jvmOptions, long maxFrameBytes) {
        ProcessPool.Builder builder = ProcessPool.builder().size(size);
        if (chunkSize != AUTO) {
            builder.chunkSize(chunkSize);
        }
        List<String> extra = new ArrayList<>(jvmOptions);
        String fromProperty = System.getProperty(WORKER_OPTIONS_PROPERTY, "").trim();
        if (!fromProperty.isEmpty()) {
            extra.addAll(List.of(fromProperty.split("\\s+")));
        }
        if (!extra.isEmpty()) {
            builder.addJvmOptions(extra.toArray(new String[0]));
        }
        if (maxFrameBytes > 0) {
            builder.maxFrameBytes(maxFrameBytes);
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
        return processPool(size, chunkSize, jvmOptions, 0);
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

    /**
     * Builds the {@code ProcessPool(2)} of a payload round trip: the default worker options and
     * limits while they carry the payload, {@link #BIG_PAYLOAD_OPTIONS} past
     * {@link #DEFAULT_OPTIONS_MAX_PAYLOAD}. Not bigger heaps for every size: on JDK 24 and later
     * the serial collector grows its old generation towards {@code -Xmx} before collecting it, so
     * a needlessly large {@code -Xmx} makes every large value land in freshly mapped pages.
     *
     * @param payloadBytes the payload's raw size
     * @return a new pool the caller must close
     */
    static Pool<Object, Object> payloadPool(int payloadBytes) {
        return payloadBytes <= DEFAULT_OPTIONS_MAX_PAYLOAD
                ? processPool(2, AUTO)
                : processPool(2, AUTO, BIG_PAYLOAD_OPTIONS, BIG_PAYLOAD_FRAME_BYTES);
    }
}
