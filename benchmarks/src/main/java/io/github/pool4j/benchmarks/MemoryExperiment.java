package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The blog's memory experiment in a fresh JVM (so no earlier scenario inflates its RSS): a
 * list of {@code n} integers given to each of {@code size} workers that return it plus one and
 * hold it; prints the peak RSS of this JVM plus its worker processes in MiB.
 *
 * <p>Usage: {@code MemoryExperiment process|thread SIZE N HOLD_MILLIS}.
 */
public final class MemoryExperiment {

    private MemoryExperiment() {}

    /**
     * Runs the experiment once and prints the peak tree RSS in MiB.
     *
     * @param args pool kind, size, list length, hold time in milliseconds
     * @throws Exception if the experiment fails
     */
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int size = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        String hold = args[3];
        System.setProperty(Workloads.HOLD_MILLIS_PROPERTY, hold);
        List<Integer> numbers = Workloads.range(n);
        List<List<Integer>> inputs = new ArrayList<>(Collections.nCopies(size, numbers));
        Pool<List<Integer>, List<Integer>> pool = "process".equals(kind)
                ? Pools.processPool(size, Pools.AUTO, List.of("-D" + Workloads.HOLD_MILLIS_PROPERTY + "=" + hold))
                : Pools.threadPool(size, Pools.AUTO);
        long peak;
        try (pool; Rss.Sampler sampler = new Rss.Sampler()) {
            List<List<Integer>> results = pool.map(Workloads::plusOneAndHold, inputs);
            if (results.size() != size || results.get(0).get(n - 1) != n) {
                throw new IllegalStateException("wrong results");
            }
            peak = sampler.peak();
        }
        System.out.println(peak / 1048576.0);
    }
}
