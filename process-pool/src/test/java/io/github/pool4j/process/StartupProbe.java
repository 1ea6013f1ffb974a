package io.github.pool4j.process;

import io.github.pool4j.Pool;
import java.util.List;

/**
 * Measures worker start-to-hello: builds a one-worker pool {@code n} times and prints how long
 * the worker took from launch to its hello frame, and the first map's wall time. Not a test: run
 * it by hand from a packaged class path (see the process-pool notes in the report).
 */
public final class StartupProbe {

    private StartupProbe() {}

    public static void main(String[] args) {
        if (args.length > 1 && args[0].equals("throughput")) {
            throughput(Integer.parseInt(args[1]));
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            try (ProcessPool<Integer, Integer> pool = ProcessPool.create(1)) {
                long built = System.nanoTime();
                Pool<Integer, Integer> p = pool;
                p.map(x -> x + 1, List.of(1));
                long mapped = System.nanoTime();
                System.out.printf("round %d build(start-to-hello) %d ms, first map %d ms%n", i,
                        (built - start) / 1_000_000, (mapped - built) / 1_000_000);
            }
        }
    }

    /** Maps {@code n} small integers on 2 workers, 5 times, printing each wall time. */
    private static void throughput(int n) {
        List<Integer> inputs = java.util.stream.IntStream.range(0, n).boxed().toList();
        try (ProcessPool<Integer, Integer> pool = ProcessPool.create(2)) {
            Pool<Integer, Integer> p = pool;
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                List<Integer> out = p.map(x -> x + 1, inputs);
                long took = System.nanoTime() - start;
                System.out.printf("map of %d ints on 2 workers: %d ms (%.0f inputs/s), last=%d%n", n, took / 1_000_000,
                        n / (took / 1e9), out.get(n - 1));
            }
        }
    }
}
