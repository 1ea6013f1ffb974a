package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import io.github.pool4j.Task;
import io.github.pool4j.benchmarks.Workloads.PayloadKind;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Runs the pool4j side of one comparison row in a loop for a while, so a profiler attached to
 * this JVM and to the worker JVMs (see {@link Pools#WORKER_OPTIONS_PROPERTY}) sees that row
 * and little else.
 *
 * <p>It builds the pool, runs one operation (which waits for the workers to start), prints
 * {@code steady from <instant>} so an analysis can drop the samples of the start, then repeats
 * the operation until the given seconds have passed and prints the count and the mean time of
 * one operation.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.pool4j.benchmarks.Profile ROW SECONDS}, ROW one of
 * {@code bytes-1mb}, {@code string-1mb}, {@code ints-1mb}, {@code bytes-10mb}, {@code string-10mb}
 * (payload round trips), {@code submit}
 * ({@code submit(identity, 1).join()}), {@code cold-map} (a fresh pool, then its first map of
 * 5,000 inputs at chunk size 1, again and again: this row's operation includes the pool's start),
 * {@code warm-map-1k}, {@code warm-map-100k}, {@code warm-map-1m} (maps of that many inputs,
 * automatic chunks, on one pool).
 *
 * <p>Thread-safety: a command-line tool.
 */
public final class Profile {

    private static final int MEGABYTE = 1 << 20;
    private static final int COLD_MAP_INPUTS = 5_000;

    private Profile() {}

    /**
     * Runs a row for the given seconds.
     *
     * @param args the row name and the seconds
     */
    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        String row = args[0];
        double seconds = Double.parseDouble(args[1]);
        switch (row) {
            case "bytes-1mb":
            case "string-1mb":
            case "ints-1mb":
            case "bytes-10mb":
            case "string-10mb": {
                PayloadKind kind = row.startsWith("bytes") ? PayloadKind.BYTES
                        : row.startsWith("string") ? PayloadKind.STRING : PayloadKind.INTS;
                int bytes = row.endsWith("10mb") ? 10 * MEGABYTE : MEGABYTE;
                Object payload = Workloads.payload(kind, bytes);
                Task<Object, Object> echo = PayloadBenchmark.echoFor(kind);
                try (Pool<Object, Object> pool = Pools.payloadPool(bytes)) {
                    repeat(row, seconds, () -> pool.submit(echo, payload).join());
                }
                break;
            }
            case "submit": {
                try (Pool<Integer, Integer> pool = Pools.processPool(2, Pools.AUTO)) {
                    repeat(row, seconds, () -> pool.submit(Workloads::identity, 1).join());
                }
                break;
            }
            case "cold-map": {
                List<Integer> inputs = Workloads.range(COLD_MAP_INPUTS);
                repeat(row, seconds, () -> {
                    try (Pool<Integer, Integer> pool = Pools.processPool(2, 1)) {
                        pool.map(Workloads::identity, Workloads.range(2));
                        long start = System.nanoTime();
                        pool.map(Workloads::identity, inputs);
                        System.out.printf("cold map of %d inputs: %.1f ms%n", inputs.size(), (System.nanoTime() - start) / 1e6);
                    }
                });
                break;
            }
            case "warm-map-1k":
            case "warm-map-100k":
            case "warm-map-1m": {
                List<Integer> inputs = Workloads.range(row.endsWith("1k") ? 1_000 : row.endsWith("100k") ? 100_000 : 1_000_000);
                try (Pool<Integer, Integer> pool = Pools.processPool(2, Pools.AUTO)) {
                    repeat(row, seconds, () -> pool.map(Workloads::identity, inputs));
                }
                break;
            }
            default:
                throw new IllegalArgumentException("unknown row " + row
                        + "; rows: bytes-1mb string-1mb ints-1mb bytes-10mb string-10mb submit cold-map warm-map-1k warm-map-100k warm-map-1m");
        }
    }

    private static void repeat(String row, double seconds, Runnable operation) {
        long first = System.nanoTime();
        operation.run();
        System.out.printf("%s: first operation %.1f ms; steady from %s%n", row, (System.nanoTime() - first) / 1e6,
                Instant.now());
        long start = System.nanoTime();
        long until = start + (long) (seconds * 1e9);
        long count = 0;
        while (System.nanoTime() < until) {
            operation.run();
            count++;
        }
        System.out.printf("%s: %d operations, %.3f ms each%n", row, count, (System.nanoTime() - start) / 1e6 / count);
    }
}
