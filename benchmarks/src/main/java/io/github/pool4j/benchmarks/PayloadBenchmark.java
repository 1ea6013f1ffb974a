package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import io.github.pool4j.Task;
import io.github.pool4j.benchmarks.Workloads.PayloadKind;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Payload bandwidth of a {@code ProcessPool}: one input of {@code size} raw bytes sent to a
 * worker and echoed back. Scores are milliseconds per round trip; bandwidth in MB/s is
 * {@code 2 * size / 1e6 / (score / 1000)} (the payload crosses the pipe twice).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class PayloadBenchmark {

    /** The payload type. */
    @Param({"BYTES", "STRING", "INTS"})
    public PayloadKind kind;

    /** The raw payload size in bytes: 1 KB, 1 MB, 50 MB. */
    @Param({"1024", "1048576", "52428800"})
    public int size;

    private Pool<Object, Object> pool;
    private Object payload;
    private Task<Object, Object> echo;

    /** Starts two workers, with heap room for the payload ({@link Pools#payloadPool}). */
    @Setup(Level.Trial)
    public void setUp() {
        pool = Pools.payloadPool(size);
        payload = Workloads.payload(kind, size);
        echo = echoFor(kind);
    }

    /** Stops the workers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** One round trip of the payload. */
    @Benchmark
    public Object roundTrip() {
        return pool.submit(echo, payload).join();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Task<Object, Object> echoFor(PayloadKind kind) {
        switch (kind) {
            case BYTES:
                return (Task) (Task<byte[], byte[]>) Workloads::echoBytes;
            case STRING:
                return (Task) (Task<String, String>) Workloads::echoString;
            case INTS:
                return (Task) (Task<List<Integer>, List<Integer>>) Workloads::echoList;
            default:
                throw new IllegalArgumentException("unknown payload kind " + kind);
        }
    }
}
