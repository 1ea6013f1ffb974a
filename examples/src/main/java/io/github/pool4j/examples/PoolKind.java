package io.github.pool4j.examples;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolListener;
import io.github.pool4j.process.ProcessPool;
import io.github.pool4j.thread.ThreadPool;
import java.io.PrintStream;
import java.time.Duration;

/** The two kinds of pool the post compares: Python's {@code Pool} and {@code ThreadPool}. */
enum PoolKind {
    /** Worker JVM processes: {@code multiprocessing.Pool}. */
    PROCESSES("processes"),
    /** Threads of this JVM: {@code multiprocessing.pool.ThreadPool}. */
    THREADS("threads"),
    /** Members of a Hazelcast cluster ({@code say-hello --cluster} only; see {@link LocalMembers}). */
    CLUSTER("cluster");

    private final String label;

    PoolKind(String label) {
        this.label = label;
    }

    /** Returns {@code processes} or {@code threads}. */
    String label() {
        return label;
    }

    /** How long to wait for worker JVMs to start; only reached when they cannot start. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Builds a pool of this kind that shows progress on a terminal and, for processes, waits
     * until every worker JVM has started, printing how long that took, so what a command times
     * next is the work, not the start-up ({@code process-vs-thread} measures that).
     *
     * @throws InterruptedException if interrupted while waiting; the pool is then terminated
     */
    <T, R> Pool<T, R> start(int size, PrintStream out) throws InterruptedException {
        WorkerStarts starts = new WorkerStarts(Progress.onTerminal());
        long begin = System.nanoTime();
        Pool<T, R> pool = create(size, starts);
        if (this == PROCESSES) {
            try {
                boolean all = starts.await(size, START_TIMEOUT);
                Duration took = Duration.ofNanos(System.nanoTime() - begin);
                out.println(all
                        ? "started " + size + " worker JVM" + (size == 1 ? "" : "s") + " in " + Seconds.short1(took) + " s"
                        : "only " + starts.started() + " of " + size + " worker JVMs started in " + Seconds.short1(took)
                                + " s; going on with those");
            } catch (InterruptedException e) {
                pool.terminate();
                throw e;
            }
        }
        return pool;
    }

    /** Builds a pool of this kind with {@code size} workers reporting to {@code listener}. */
    <T, R> Pool<T, R> create(int size, PoolListener listener) {
        if (this == CLUSTER) {
            throw new IllegalStateException("a cluster pool needs its members: see LocalMembers");
        }
        if (this == PROCESSES) {
            return ProcessPool.builder().size(size).listener(listener).build();
        }
        return ThreadPool.builder().size(size).listener(listener).build();
    }
}
