package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import java.util.List;
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
 * {@code ProcessPool(2).map} of trivial tasks with chunk size 1 and the automatic chunk size:
 * the cost of the wire (frames, JSON, pipes) per input. Scores are microseconds per input.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProcessPoolMapBenchmark {

    static final int N = 2_000;

    /** Chunk size; 0 is automatic. */
    @Param({"1", "0"})
    public int chunkSize;

    private Pool<Integer, Integer> pool;
    private List<Integer> inputs;

    /** Starts the worker JVMs. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = Pools.processPool(2, chunkSize);
        inputs = Workloads.range(N);
    }

    /** Stops the worker JVMs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** One map of {@value #N} trivial inputs. */
    @Benchmark
    @OperationsPerInvocation(N)
    public List<Integer> processPoolMap() {
        return pool.map(Workloads::identity, inputs);
    }
}
