package io.github.pool4j.thread.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskResult;
import io.github.pool4j.thread.ThreadPool;
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
 * For {@link ThreadPool}: values pass by reference, so what JSON finds hard (cycles,
 * non-finite doubles, lone surrogates) arrives unchanged; {@code null} elements reach the task;
 * exceptions whose {@code getMessage()} throws or whose causes form a cycle fail only their input
 * with a {@link TaskFailedException} naming it. None hangs or breaks the pool.
 */
@Tag("reliability")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadPoolBadInputTest {

    private static ThreadPool<Object, Object> pool;

    @BeforeAll
    static void start() {
        pool = ThreadPool.create(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
        assertEquals(List.of(), poolThreads(), "pool threads left behind");
    }

    /** Live pool4j threads but the shared daemons that belong to no pool (callbacks, cleaner). */
    static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("pool4j-") && !n.startsWith("pool4j-callback-") && !n.equals("pool4j-cleaner")).toList();
    }

    @SuppressWarnings("unchecked")
    private static <T, R> Pool<T, R> pool() {
        return (Pool<T, R>) (Pool<?, ?>) pool;
    }

    @AfterEach
    void poolStillServes() {
        Pool<String, String> p = pool();
        assertEquals(List.of("ok!"), p.map(s -> s + "!", List.of("ok")));
    }

    /** An exception whose every message accessor throws. */
    static final class MessageThrows extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new UnsupportedOperationException("no message for you");
        }
    }

    /** A node that can point to itself. */
    static final class Node {
        Node next;
    }

    private static TaskFailedException failureAt(List<? extends TaskResult<?>> results, int index) {
        TaskResult<?> result = results.get(index);
        assertTrue(!result.isSuccess(), "input #" + index + " should fail: " + result);
        assertEquals(index, result.failure().inputIndex());
        return assertInstanceOf(TaskFailedException.class, result.failure());
    }

    @Test
    void nullElements_reachTheTaskAsNull() {
        Pool<String, String> p = pool();
        assertEquals(Arrays.asList("a!", null, "b!"), p.map(s -> s == null ? null : s + "!", Arrays.asList("a", null, "b")));
        Pool<String, Integer> q = pool();
        List<TaskResult<Integer>> results = q.mapResults(String::length, Arrays.asList("ab", null));
        assertEquals(2, results.get(0).value());
        assertEquals(NullPointerException.class.getName(), failureAt(results, 1).remoteClassName());
    }

    @Test
    void cyclicGraphsNonFiniteDoublesAndLoneSurrogates_passUnchanged() {
        Node cyclic = new Node();
        cyclic.next = cyclic;
        Pool<Node, Node> nodes = pool();
        assertSame(cyclic, nodes.map(n -> n.next, List.of(cyclic)).get(0));
        List<Double> doubles = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0);
        Pool<Double, Double> d = pool();
        assertEquals(doubles, d.map(x -> x, doubles));
        List<String> strings = List.of("\uD83D\uDE00", "x\uD800y", "\uDC00");
        Pool<String, String> s = pool();
        assertEquals(strings, s.map(x -> x, strings));
    }

    @Test
    void exceptionWhoseGetMessageThrows_failsOnlyItsInput() {
        Pool<String, String> p = pool();
        List<TaskResult<String>> results = p.mapResults(x -> {
            if (x.equals("bad")) {
                throw new MessageThrows();
            }
            return x;
        }, List.of("ok", "bad"));
        assertEquals("ok", results.get(0).value());
        TaskFailedException e = failureAt(results, 1);
        assertEquals(MessageThrows.class.getName(), e.remoteClassName());
        assertTrue(e.getMessage().contains("getMessage() threw"), e.getMessage());
        assertInstanceOf(MessageThrows.class, e.getCause());
    }

    @Test
    void exceptionWithCauseCycle_failsOnlyItsInput() {
        Pool<String, String> p = pool();
        List<TaskResult<String>> results = p.mapResults(x -> {
            if (x.equals("ok")) {
                return x;
            }
            IllegalStateException a = new IllegalStateException("a");
            IllegalArgumentException b = new IllegalArgumentException("b");
            a.initCause(b);
            b.initCause(a);
            throw a;
        }, List.of("ok", "cycle"));
        assertEquals("ok", results.get(0).value());
        TaskFailedException e = failureAt(results, 1);
        assertEquals(IllegalStateException.class.getName(), e.remoteClassName());
        assertTrue(e.remoteStackTrace().contains("CIRCULAR REFERENCE"), e.remoteStackTrace());
    }
}
