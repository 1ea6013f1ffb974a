package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import java.util.ArrayList;
import java.util.List;
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
 * CPU-bound speedup: 40 inputs of about 20 ms of pure Java each, run serially in the caller
 * and on two threads or two worker JVMs. Speedup is {@code serial / pool} of the scores
 * (milliseconds per 40 inputs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CpuBoundBenchmark {

    static final int INPUTS = 40;
    static final double TASK_MILLIS = 20;

    private Pool<Integer, Long> threadPool;
    private Pool<Integer, Long> processPool;
    private List<Integer> inputs;

    /** Calibrates the work and starts both pools. */
    @Setup(Level.Trial)
    public void setUp() {
        inputs = inputs(Workloads.calibrateSpin(TASK_MILLIS));
        threadPool = Pools.threadPool(2, Pools.AUTO);
        processPool = Pools.processPool(2, Pools.AUTO);
    }

    /** Stops both pools. */
    @TearDown(Level.Trial)
    public void tearDown() {
        threadPool.close();
        processPool.close();
    }

    /** The 40 inputs one after the other in the caller. */
    @Benchmark
    public List<Long> serial() {
        List<Long> results = new ArrayList<>(inputs.size());
        for (Integer input : inputs) {
            results.add(Workloads.spin(input));
        }
        return results;
    }

    /** The 40 inputs on a {@code ThreadPool(2)}. */
    @Benchmark
    public List<Long> threadPool() {
        return threadPool.map(Workloads::spin, inputs);
    }

    /** The 40 inputs on a {@code ProcessPool(2)}. */
    @Benchmark
    public List<Long> processPool() {
        return processPool.map(Workloads::spin, inputs);
    }

    /** Inputs that differ slightly so no two calls are the same computation. */
    static List<Integer> inputs(int iterations) {
        List<Integer> list = new ArrayList<>(INPUTS);
        for (int i = 0; i < INPUTS; i++) {
            list.add(iterations + i);
        }
        return list;
    }
}
