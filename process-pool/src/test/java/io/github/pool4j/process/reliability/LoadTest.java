package io.github.pool4j.process.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolClosedException;
import io.github.pool4j.PoolStats;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.process.ProcessPool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many caller threads share one process pool with a mix of {@code map}s of every
 * size, {@code submit}s and {@code imapUnordered}s abandoned half-way; then {@code terminate()} comes
 * from another thread while calls are running. Every call that completes is correct, every call
 * cut short fails with {@link PoolClosedException}, abandoned inputs are released (the pool's
 * counters balance and {@code close} would not wait for them), and afterwards no worker process,
 * no {@code pool4j-} thread and no extra pipe is left (counted in {@code /proc/self/fd}).
 *
 * <p>Scale: 8 callers × 12 calls of up to 2,000 inputs; {@code -Dpool4j.reliability.full=true}:
 * 16 × 200 of up to 5,000 (the full-size figures).
 */
@Tag("reliability")
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class LoadTest {

    private static final int CALLERS = Abuse.scale(8, 16);
    private static final int CALLS = Abuse.scale(12, 200);
    private static final int MAX_INPUTS = Abuse.scale(2_000, 5_000);

    static long f(Integer x) {
        return 7L * x + 3;
    }

    /** Counts what the callers did; a wrong result is counted, never thrown away. */
    private static final class Tally {
        final AtomicLong inputs = new AtomicLong();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger abandoned = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    }

    /** One random call; returns normally if it was correct or cut short by the pool closing. */
    private static void oneCall(Pool<Integer, Long> pool, Random random, Tally tally) throws Exception {
        int kind = random.nextInt(10);
        int n = kind < 2 ? 1 : 1 + random.nextInt(random.nextBoolean() ? 50 : MAX_INPUTS);
        int base = random.nextInt(1_000_000);
        List<Integer> inputs = IntStream.range(base, base + n).boxed().toList();
        try {
            if (kind < 2) {
                long value = pool.submit(LoadTest::f, base).get(120, TimeUnit.SECONDS);
                check(tally, value == f(base), "submit(" + base + ") = " + value);
            } else if (kind < 4) {
                abandonHalfWay(pool, inputs, tally);
            } else {
                List<Long> values = pool.map(LoadTest::f, inputs);
                check(tally, values.size() == n, "map of " + n + " returned " + values.size());
                for (int i = 0; i < values.size(); i++) {
                    if (values.get(i) != f(base + i)) {
                        check(tally, false, "map: input " + (base + i) + " gave " + values.get(i));
                        break;
                    }
                }
            }
            tally.calls.incrementAndGet();
            tally.inputs.addAndGet(n);
        } catch (PoolClosedException e) {
            tally.closed.incrementAndGet();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof PoolClosedException)) {
                throw e;
            }
            tally.closed.incrementAndGet();
        }
    }

    private static void abandonHalfWay(Pool<Integer, Long> pool, List<Integer> inputs, Tally tally) {
        Set<Long> expected = new HashSet<>();
        inputs.forEach(x -> expected.add(f(x)));
        try (ResultIterator<Long> it = pool.imapUnordered(LoadTest::f, inputs)) {
            for (int i = 0; i < (inputs.size() + 1) / 2 && it.hasNext(); i++) {
                Long value = it.next();
                check(tally, expected.remove(value), "imapUnordered gave " + value + ", not one of its inputs' results");
            }
        }
        tally.abandoned.incrementAndGet();
    }

    private static void check(Tally tally, boolean ok, String what) {
        if (!ok) {
            tally.wrong.add(what);
        }
    }

    private static Thread caller(Pool<Integer, Long> pool, long seed, int calls, Tally tally, List<Throwable> errors,
            CountDownLatch oneCallDone) {
        Thread t = new Thread(() -> {
            Random random = new Random(seed);
            try {
                for (int c = 0; c < calls && !pool.isClosed(); c++) {
                    oneCall(pool, random, tally);
                    oneCallDone.countDown();
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "load-caller-" + seed);
        t.start();
        return t;
    }

    @Test
    void manyCallersMixedCallsThenTerminate_allCorrectAndNothingLeft() throws Exception {
        // Warm up: classes loaded and jars opened now are not leaks later.
        try (ProcessPool<Integer, Long> warm = ProcessPool.builder().size(1).build()) {
            warm.map(LoadTest::f, List.of(1, 2));
            try (ResultIterator<Long> it = warm.imapUnordered(LoadTest::f, List.of(1, 2, 3))) {
                it.next();
            }
        }
        Abuse.assertNothingLeft();
        int fdsBefore = Abuse.openFds();
        long pipesBefore = Abuse.openPipes();
        List<String> fdTargetsBefore = Abuse.fdTargets();
        long seed = Long.getLong("pool4j.reliability.seed", System.nanoTime());
        System.out.println("[reliability] load seed " + seed);

        Tally tally = new Tally();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        ProcessPool<Integer, Long> pool = ProcessPool.builder().size(4).build();
        try {
            // Phase 1: every caller finishes its calls; then the counters must balance.
            List<Thread> callers = new ArrayList<>();
            CountDownLatch ignored = new CountDownLatch(0);
            for (int i = 0; i < CALLERS; i++) {
                callers.add(caller(pool, seed + i, CALLS, tally, errors, ignored));
            }
            for (Thread t : callers) {
                t.join(TimeUnit.SECONDS.toMillis(150));
                assertTrue(!t.isAlive(), t.getName() + " is stuck");
            }
            assertEquals(List.of(), errors, "callers failed");
            assertEquals(List.of(), tally.wrong, "wrong results");
            Abuse.await("abandoned inputs to be released", 30, () -> balanced(pool.stats()));

            // Phase 2: calls keep coming while another thread terminates the pool.
            CountDownLatch someDone = new CountDownLatch(CALLERS);
            List<Thread> late = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                late.add(caller(pool, seed + 1000 + i, Integer.MAX_VALUE, tally, errors, someDone));
            }
            assertTrue(someDone.await(120, TimeUnit.SECONDS), "the late callers made no progress");
            CompletableFuture<Void> terminator = CompletableFuture.runAsync(pool::terminate);
            terminator.get(60, TimeUnit.SECONDS);
            for (Thread t : late) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertTrue(!t.isAlive(), t.getName() + " is stuck after terminate()");
            }
            assertEquals(List.of(), errors, "callers failed with something other than PoolClosedException");
            assertEquals(List.of(), tally.wrong, "wrong results");
        } finally {
            pool.terminate();
        }
        Abuse.assertNothingLeft();
        // Pipes are what a pool holds (three per worker). The total is printed too: the test JVM itself
        // (surefire, the JDK) may open other descriptors, such as a socket, on its own.
        Abuse.awaitAtMost("open pipes", pipesBefore, 10, Abuse::openPipes,
                () -> "descriptors now " + Abuse.fdTargets() + ", before " + fdTargetsBefore);
        Abuse.figure("load", "calls-completed", tally.calls.get());
        Abuse.figure("load", "inputs-completed", tally.inputs.get());
        Abuse.figure("load", "imap-abandoned", tally.abandoned.get());
        Abuse.figure("load", "calls-cut-by-terminate", tally.closed.get());
        Abuse.figure("load", "pipes-before-after", pipesBefore + "/" + Abuse.openPipes());
        Abuse.figure("load", "fds-before-after", fdsBefore + "/" + Abuse.openFds());
    }

    private static boolean balanced(PoolStats stats) {
        return stats.pending() == 0;
    }
}
