package io.github.pool4j.examples;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolListener;
import io.github.pool4j.process.ProcessPool;
import io.github.pool4j.thread.ThreadPool;

/** The two kinds of pool the post compares: Python's {@code Pool} and {@code ThreadPool}. */
enum PoolKind {
    /** Worker JVM processes: {@code multiprocessing.Pool}. */
    PROCESSES("processes"),
    /** Threads of this JVM: {@code multiprocessing.pool.ThreadPool}. */
    THREADS("threads");

    private final String label;

    PoolKind(String label) {
        this.label = label;
    }

    /** Returns {@code processes} or {@code threads}. */
    String label() {
        return label;
    }

    /** Builds a pool of this kind with {@code size} workers reporting to {@code listener}. */
    <T, R> Pool<T, R> create(int size, PoolListener listener) {
        if (this == PROCESSES) {
            return ProcessPool.builder().size(size).listener(listener).build();
        }
        return ThreadPool.builder().size(size).listener(listener).build();
    }
}
