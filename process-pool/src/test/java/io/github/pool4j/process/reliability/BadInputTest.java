package io.github.pool4j.process.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolException;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskResult;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.TaskSerializationException.Subject;
import io.github.pool4j.process.ProcessPool;
import io.github.pool4j.process.reliability.BadTasks.Blob;
import io.github.pool4j.process.reliability.BadTasks.Node;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Inputs, results and exceptions that are hard to carry. Each fails only its own
 * input with a precise {@link PoolException} subtype naming the index; none hangs, and none costs a
 * worker: the pids are the same before and after.
 */
@Tag("reliability")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputTest {

    private static ProcessPool<Object, Object> pool;
    private List<Long> pidsBefore;

    @BeforeAll
    static void start() {
        pool = ProcessPool.builder().size(2).chunkSize(1).build();
    }

    @AfterAll
    static void stop() {
        pool.close();
        Abuse.assertNothingLeft();
    }

    @SuppressWarnings("unchecked")
    private static <T, R> Pool<T, R> pool() {
        return (Pool<T, R>) (Pool<?, ?>) pool;
    }

    /** The pool still works after the bad input and lost no worker to it. */
    @AfterEach
    void poolStillServes() {
        Pool<String, String> p = pool();
        assertEquals(List.of("[ok]"), p.map(BadTasks::describe, List.of("ok")));
        if (pidsBefore != null) {
            assertEquals(pidsBefore, pool.workerPids(), "a bad input cost a worker");
        }
    }

    private void rememberWorkers() {
        Abuse.await("both workers ready", 60, () -> pool.workerPids().size() == 2
                && pool.stats().workers().size() == 2);
        Pool<String, String> p = pool();
        p.map(BadTasks::describe, List.of("a", "b", "c", "d")); // both workers said hello
        pidsBefore = pool.workerPids();
    }

    private static <R> PoolException failureAt(List<TaskResult<R>> results, int index) {
        TaskResult<R> result = results.get(index);
        assertTrue(!result.isSuccess(), "input #" + index + " should fail: " + result);
        assertEquals(index, result.failure().inputIndex(), "the failure names its input: " + result.failure());
        return result.failure();
    }

    @Test
    void nullElements_reachTheTaskAsNull() {
        rememberWorkers();
        Pool<String, String> p = pool();
        assertEquals(List.of("[a]", "<null>", "[b]"), p.map(BadTasks::describe, Arrays.asList("a", null, "b")));
        Pool<String, Integer> q = pool();
        List<TaskResult<Integer>> results = q.mapResults(BadTasks::length, Arrays.asList("ab", null));
        assertEquals(2, results.get(0).value());
        TaskFailedException e = assertInstanceOf(TaskFailedException.class, failureAt(results, 1));
        assertEquals(NullPointerException.class.getName(), e.remoteClassName());
    }

    @Test
    void hundredMegabyteInput_isRefusedNamingMaxFrameBytes() {
        rememberWorkers();
        Pool<Blob, Integer> p = pool();
        List<Blob> inputs = List.of(Blob.ofMegabytes(1), Blob.ofMegabytes(100), Blob.ofMegabytes(2));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        List<TaskResult<Integer>> results = p.mapResults(BadTasks::partCount, inputs);
        // Inputs are encoded in the caller's thread. Refusing one must not cost several copies of its
        // JSON (that ran a 512 MiB test JVM out of memory, allocating 620 MiB): at most one buffer of
        // maxFrameBytes, grown by doubling, which the JVM counts as about 4 x maxFrameBytes allocated.
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        Abuse.figure("bad-input", "caller-allocated-bytes-refusing-100MB", allocated);
        assertTrue(allocated < 5 * ProcessPool.Builder.DEFAULT_MAX_FRAME_BYTES,
                "the caller allocated " + allocated + " bytes to refuse a 100 MB input");
        assertEquals(1, results.get(0).value());
        assertEquals(2, results.get(2).value());
        TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, failureAt(results, 1));
        assertEquals(Subject.INPUT, e.what());
        assertTrue(e.getMessage().contains("maxFrameBytes"), e.getMessage());
    }

    @Test
    void largeInputWithinMaxFrameBytes_isCarried() {
        int megabytes = Abuse.scale(12, 48);
        try (ProcessPool<Blob, Integer> big = ProcessPool.builder().size(1)
                .maxFrameBytes((megabytes + 4) * 1024L * 1024).build()) {
            assertEquals(List.of(megabytes), big.map(BadTasks::partCount, List.of(Blob.ofMegabytes(megabytes))));
        }
    }

    @Test
    void cyclicInput_failsThatInputAsInputSerialization() {
        rememberWorkers();
        Node ok = new Node();
        ok.setName("fine");
        Node cyclic = BadTasks.loop("cyclic");
        Pool<Node, String> p = pool();
        List<TaskResult<String>> results = p.mapResults(BadTasks::nodeName, List.of(ok, cyclic));
        assertEquals("fine", results.get(0).value());
        TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, failureAt(results, 1));
        assertEquals(Subject.INPUT, e.what());
        assertEquals(Node.class.getName(), e.typeName());
    }

    @Test
    void cyclicResult_failsThatInputAsResultSerialization() {
        rememberWorkers();
        Pool<String, Node> p = pool();
        List<TaskResult<Node>> results = p.mapResults(BadTasks::loop, List.of("a", "b"));
        for (int i = 0; i < 2; i++) {
            TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, failureAt(results, i));
            assertEquals(Subject.RESULT, e.what());
        }
    }

    @Test
    void nonFiniteDoubles_roundTrip() {
        rememberWorkers();
        List<Double> values = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
                Double.MIN_VALUE, Double.MAX_VALUE);
        Pool<Double, Double> p = pool();
        assertEquals(values, p.map(BadTasks::sameDouble, values));
        Pool<List<Double>, List<Double>> q = pool();
        assertEquals(List.of(values), q.map(BadTasks::sameDoubles, List.of(values)));
    }

    @Test
    void unicodeOutsideTheBmp_roundTrips() {
        rememberWorkers();
        List<String> values = List.of("\uD83D\uDE00", "a\uD83D\uDE00b", "\uD834\uDD1E clef", "\u0000\u001E\n\u2028");
        Pool<String, String> p = pool();
        assertEquals(values, p.map(BadTasks::same, values));
    }

    /** Jackson writes a lone surrogate as a JSON {@code \\u} escape, so it travels unchanged. */
    @Test
    void loneSurrogates_roundTripUnchanged() {
        rememberWorkers();
        Pool<String, String> p = pool();
        List<String> values = List.of("x\uD800y", "\uDC00", "\uDBFF\uD800");
        assertEquals(values, p.map(BadTasks::same, values));
        assertEquals(List.of("a\uDC00"), p.map(BadTasks::loneSurrogate, List.of("a")));
    }

    @Test
    void loneSurrogateInExceptionMessage_failsThatInputAsTaskFailure() {
        rememberWorkers();
        Pool<String, String> p = pool();
        List<TaskResult<String>> results = p.mapResults(BadTasks::throwSurrogate, List.of("a", "b", "c"));
        for (int i = 0; i < 3; i++) {
            TaskFailedException e = assertInstanceOf(TaskFailedException.class, failureAt(results, i));
            assertEquals(IllegalStateException.class.getName(), e.remoteClassName());
        }
    }

    @Test
    void resultOfAnotherTypeThanDeclared_failsAsResultSerialization() {
        rememberWorkers();
        Pool<Integer, List<Integer>> p = pool();
        List<TaskResult<List<Integer>>> results = p.mapResults(BadTasks::notNumbers, List.of(1, 2));
        for (int i = 0; i < 2; i++) {
            TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, failureAt(results, i));
            assertEquals(Subject.RESULT, e.what());
            // Refused by the worker's writer, which writes a result as its declared type.
            assertTrue(e.getMessage().contains("Integer"), e.getMessage());
        }
    }

    @Test
    void exceptionWhoseGetMessageThrows_failsAsTaskFailure() {
        rememberWorkers();
        Pool<String, String> p = pool();
        List<TaskResult<String>> results = p.mapResults(BadTasks::throwWeird, List.of("a", "b"));
        for (int i = 0; i < 2; i++) {
            TaskFailedException e = assertInstanceOf(TaskFailedException.class, failureAt(results, i));
            assertEquals(BadTasks.MessageThrows.class.getName(), e.remoteClassName());
            assertTrue(e.getMessage().contains("getMessage() threw"), e.getMessage());
        }
    }

    @Test
    void exceptionWithCauseCycle_failsAsTaskFailureWithFiniteCauses() {
        rememberWorkers();
        Pool<String, String> p = pool();
        List<TaskResult<String>> results = p.mapResults(BadTasks::throwCycle, List.of("x", "y"));
        for (int i = 0; i < 2; i++) {
            TaskFailedException e = assertInstanceOf(TaskFailedException.class, failureAt(results, i));
            assertEquals(IllegalStateException.class.getName(), e.remoteClassName());
            assertNotNull(e.getCause(), "the remote exception is rebuilt as the cause");
            int depth = 0;
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                assertTrue(++depth < 100, "the rebuilt cause chain must end");
            }
            assertTrue(e.remoteStackTrace().contains("CIRCULAR REFERENCE") || depth >= 2, e.remoteStackTrace());
        }
    }
}
