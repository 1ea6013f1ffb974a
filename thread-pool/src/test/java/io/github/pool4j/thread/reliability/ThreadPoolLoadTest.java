package io.github.pool4j.thread.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolClosedException;
import io.github.pool4j.PoolStats;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.thread.ThreadPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * For {@link ThreadPool}: many callers share one pool with maps of every size,
 * submits and {@code imapUnordered}s abandoned half-way, then {@code terminate()} from another
 * thread. Completed calls are correct, cut calls fail with {@link PoolClosedException}, counters
 * balance, and no {@code pool4j-} thread is left.
 *
 * <p>Scale: 8 callers × 25 calls of up to 2,000 inputs; {@code -Dpool4j.reliability.full=true}:
 * 16 × 200 of up to 5,000.
 */
@Tag("reliability")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadPoolLoadTest {

    private static final boolean FULL = Boolean.getBoolean("pool4j.reliability.full");
    private static final int CALLERS = FULL ? 16 : 8;
    private static final int CALLS = FULL ? 200 : 25;
    private static final int MAX_INPUTS = FULL ? 5_000 : 2_000;

    static long f(Integer x) {
        return 7L * x + 3;
    }

    private static void oneCall(Pool<Integer, Long> pool, Random random, List<String> wrong, AtomicInteger cut)
            throws Exception {
        int kind = random.nextInt(10);
        int n = kind < 2 ? 1 : 1 + random.nextInt(random.nextBoolean() ? 50 : MAX_INPUTS);
        int base = random.nextInt(1_000_000);
        List<Integer> inputs = IntStream.range(base, base + n).boxed().toList();
        try {
            if (kind < 2) {
                long value = pool.submit(ThreadPoolLoadTest::f, base).get(60, TimeUnit.SECONDS);
                if (value != f(base)) {
                    wrong.add("submit(" + base + ") = " + value);
                }
            } else if (kind < 4) {
                Set<Long> expected = new HashSet<>();
                inputs.forEach(x -> expected.add(f(x)));
                try (ResultIterator<Long> it = pool.imapUnordered(ThreadPoolLoadTest::f, inputs)) {
                    for (int i = 0; i < (n + 1) / 2 && it.hasNext(); i++) {
                        Long value = it.next();
                        if (!expected.remove(value)) {
                            wrong.add("imapUnordered gave " + value);
                        }
                    }
                }
            } else {
                List<Long> values = pool.map(ThreadPoolLoadTest::f, inputs);
                for (int i = 0; i < n; i++) {
                    if (values.size() != n || values.get(i) != f(base + i)) {
                        wrong.add("map of " + n + " from " + base + " wrong at " + i);
                        break;
                    }
                }
            }
        } catch (PoolClosedException e) {
            cut.incrementAndGet();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof PoolClosedException)) {
                throw e;
            }
            cut.incrementAndGet();
        }
    }

    private static Thread caller(Pool<Integer, Long> pool, long seed, int calls, List<String> wrong, AtomicInteger cut,
            List<Throwable> errors, CountDownLatch progress) {
        Thread t = new Thread(() -> {
            Random random = new Random(seed);
            try {
                for (int c = 0; c < calls && !pool.isClosed(); c++) {
                    oneCall(pool, random, wrong, cut);
                    progress.countDown();
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "load-caller-" + seed);
        t.start();
        return t;
    }

    @Test
    void manyCallersMixedCallsThenTerminate_allCorrectAndNoThreadLeft() throws Exception {
        long seed = Long.getLong("pool4j.reliability.seed", System.nanoTime());
        System.out.println("[reliability] thread-load seed " + seed);
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger cut = new AtomicInteger();
        ThreadPool<Integer, Long> pool = ThreadPool.create(4);
        try {
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                callers.add(caller(pool, seed + i, CALLS, wrong, cut, errors, new CountDownLatch(0)));
            }
            for (Thread t : callers) {
                t.join(TimeUnit.SECONDS.toMillis(100));
                assertTrue(!t.isAlive(), t.getName() + " is stuck");
            }
            assertEquals(List.of(), errors);
            assertEquals(List.of(), wrong);
            // An imapUnordered hands its last outcome over just before the reporting thread counts
            // it: give the counting a bounded moment.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pool.stats().pending() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            PoolStats stats = pool.stats();
            assertEquals(0, stats.pending(), "abandoned inputs are released: " + stats);

            CountDownLatch someDone = new CountDownLatch(CALLERS);
            List<Thread> late = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                late.add(caller(pool, seed + 1000 + i, Integer.MAX_VALUE, wrong, cut, errors, someDone));
            }
            assertTrue(someDone.await(60, TimeUnit.SECONDS));
            CompletableFuture.runAsync(pool::terminate).get(60, TimeUnit.SECONDS);
            for (Thread t : late) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertTrue(!t.isAlive(), t.getName() + " is stuck after terminate()");
            }
            assertEquals(List.of(), errors, "only PoolClosedException may end a call early");
            assertEquals(List.of(), wrong);
        } finally {
            pool.terminate();
        }
        assertEquals(List.of(), ThreadPoolBadInputTest.poolThreads(), "pool threads left behind");
        System.out.println("[reliability] thread-load calls-cut-by-terminate " + cut.get());
    }
}
