package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import java.util.List;

/**
 * The parent's own peak RSS while a warm {@code ProcessPool(2)} maps a trivial task over {@code n}
 * integers with automatic chunks, {@code maps} times (the warm-map sweep's largest size), in a
 * fresh JVM so that earlier scenarios don't inflate it; prints the peak in MiB. Workers are not
 * counted: this is the parent's side of the memory goal.
 *
 * <p>With {@code serial}, no pool: each map's result list is made in this JVM, one new box per
 * value, as decoding makes them. That is the limit of the parent's side: the input list and the
 * result lists the {@code List<Integer>} API holds, under the same collector and heap options.
 *
 * <p>Usage: {@code ParentPeak N MAPS [serial]}.
 */
public final class ParentPeak {

    private ParentPeak() {}

    /**
     * Runs the maps and prints the parent's peak RSS in MiB.
     *
     * @param args list length, how many maps, and {@code serial} for no pool
     * @throws Exception if a map fails
     */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int maps = Integer.parseInt(args[1]);
        List<Integer> inputs = Workloads.range(n);
        long self = ProcessHandle.current().pid();
        java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(Rss.of(self), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        if (args.length > 2 && args[2].equals("serial")) {
            for (int i = 0; i < maps; i++) {
                List<Integer> results = new java.util.ArrayList<>(n);
                for (Integer input : inputs) {
                    results.add(Integer.valueOf(input.intValue())); // a fresh box past 127, as decoding makes
                }
                check(results, inputs);
            }
        } else {
            try (Pool<Integer, Integer> pool = Pools.processPool(2, Pools.AUTO)) {
                pool.map(Workloads::identity, Workloads.range(1000));
                for (int i = 0; i < maps; i++) {
                    check(pool.map(Workloads::identity, inputs), inputs);
                }
            }
        }
        running.set(false);
        sampler.join(1000);
        System.out.println(peak.get() / 1048576.0);
    }

    private static void check(List<Integer> results, List<Integer> inputs) {
        int n = inputs.size();
        if (results.size() != n || !results.get(n - 1).equals(inputs.get(n - 1))) {
            throw new IllegalStateException("wrong results");
        }
    }
}
