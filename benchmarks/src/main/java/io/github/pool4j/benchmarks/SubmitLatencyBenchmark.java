package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round-trip latency of one {@code submit(task, input).join()} on an idle pool of two: the
 * distribution (percentiles) matters, so the mode is sample time. Scores are microseconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubmitLatencyBenchmark {

    private Pool<Integer, Integer> threadPool;
    private Pool<Integer, Integer> processPool;

    /** Starts both pools. */
    @Setup(Level.Trial)
    public void setUp() {
        threadPool = Pools.threadPool(2, Pools.AUTO);
        processPool = Pools.processPool(2, Pools.AUTO);
    }

    /** Stops both pools. */
    @TearDown(Level.Trial)
    public void tearDown() {
        threadPool.close();
        processPool.close();
    }

    /** Submit to a {@code ThreadPool} and wait. */
    @Benchmark
    public Integer threadPoolSubmit() {
        return threadPool.submit(Workloads::identity, 1).join();
    }

    /** Submit to a {@code ProcessPool} and wait: a frame each way through a pipe. */
    @Benchmark
    public Integer processPoolSubmit() {
        return processPool.submit(Workloads::identity, 1).join();
    }
}
