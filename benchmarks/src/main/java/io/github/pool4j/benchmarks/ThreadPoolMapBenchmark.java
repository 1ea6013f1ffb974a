package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ThreadPool(2).map} of trivial tasks against a bare {@code ExecutorService.invokeAll}
 * doing the same work on two threads: the per-task overhead pool4j adds in one JVM.
 * Scores are microseconds per input.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ThreadPoolMapBenchmark {

    static final int N = 10_000;

    /** Chunk size; 0 is automatic. */
    @Param({"1", "0"})
    public int chunkSize;

    private Pool<Integer, Integer> pool;
    private ExecutorService executor;
    private List<Integer> inputs;

    /** Starts the pool and the bare executor. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = Pools.threadPool(2, chunkSize);
        executor = Executors.newFixedThreadPool(2);
        inputs = Workloads.range(N);
    }

    /** Stops both. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        pool.close();
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** pool4j's map. */
    @Benchmark
    @OperationsPerInvocation(N)
    public List<Integer> threadPoolMap() {
        return pool.map(Workloads::identity, inputs);
    }

    /** The bare JDK baseline: one callable per input, results collected in order. */
    @Benchmark
    @OperationsPerInvocation(N)
    public List<Integer> invokeAll() throws InterruptedException, ExecutionException {
        return invokeAll(executor, inputs);
    }

    static List<Integer> invokeAll(ExecutorService executor, List<Integer> inputs)
            throws InterruptedException, ExecutionException {
        List<Callable<Integer>> calls = new ArrayList<>(inputs.size());
        for (Integer input : inputs) {
            calls.add(() -> Workloads.identity(input));
        }
        List<Integer> results = new ArrayList<>(inputs.size());
        for (Future<Integer> future : executor.invokeAll(calls)) {
            results.add(future.get());
        }
        return results;
    }
}
