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
}
