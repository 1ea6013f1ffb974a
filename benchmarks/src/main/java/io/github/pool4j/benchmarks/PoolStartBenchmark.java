package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pool start as a user feels it: build a pool of two, get the first result, close it (for a
 * {@code ProcessPool} this includes starting and stopping two worker JVMs). Each invocation is
 * one cold start of the workers. Scores are milliseconds.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 10)
@Fork(1)
public class PoolStartBenchmark {

    /** Build, first result, close: {@code ProcessPool}. */
    @Benchmark
    public Integer processPoolStart() {
        try (Pool<Integer, Integer> pool = Pools.processPool(2, Pools.AUTO)) {
            return pool.submit(Workloads::identity, 1).join();
        }
    }

    /** Build, first result, close: {@code ThreadPool}. */
    @Benchmark
    public Integer threadPoolStart() {
        try (Pool<Integer, Integer> pool = Pools.threadPool(2, Pools.AUTO)) {
            return pool.submit(Workloads::identity, 1).join();
        }
    }
}
