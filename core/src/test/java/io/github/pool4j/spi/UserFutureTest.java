package io.github.pool4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who completes the future of a {@code submit}: a user's thread blocked in {@code join()} or
 * {@code get()} completes it itself, so its callbacks run there; otherwise a callback thread does.
 * Never the thread that reports the outcome (here one named like a pool's reader).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserFutureTest {

    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Reports the next chunk's input doubled, from a thread named like a pool's reader; returns that thread's name. */
    private static String succeedNextFromPoolThread(QueuedChunksPool pool) throws Exception {
        Chunk chunk = pool.chunks.poll(30, TimeUnit.SECONDS);
        Thread reader = new Thread(() -> chunk.succeed(0, (Integer) chunk.input(0) * 2), "pool4j-test-reader");
        reader.start();
        reader.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
        assertFalse(reader.isAlive(), "reporting the outcome must not wait for callbacks");
        return reader.getName();
    }

    /** Starts {@code body} on a thread of the user's and waits until it blocks. */
    private static Thread blockedUserThread(String name, Runnable body) throws InterruptedException {
        Thread thread = new Thread(body, name);
        thread.start();
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the thread never blocked: " + thread.getState());
            Thread.sleep(1);
        }
        return thread;
    }

    /** Starts a thread of the user's blocked in {@code future.join()}, keeping what that throws. */
    private static Thread blockedJoiner(CompletableFuture<?> future, AtomicReference<Throwable> thrown)
            throws InterruptedException {
        return blockedUserThread("user-caller", () -> {
            try {
                future.join();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
    }

    private static String callbackThreadOf(CompletableFuture<String> ranOn) throws Exception {
        return ranOn.get(30, TimeUnit.SECONDS);
    }

    @Test
    void join_callerBlocked_callerCompletesTheFutureAndRunsItsCallbacks() throws Exception {
        QueuedChunksPool pool = new QueuedChunksPool(1);
        CompletableFuture<Integer> future = pool.submit(x -> x, 21);
        AtomicReference<Integer> joined = new AtomicReference<>();
        Thread caller = blockedUserThread("user-caller", () -> joined.set(future.join()));
        // Attached while the caller waits: runs on whichever thread completes the future.
        CompletableFuture<String> ranOn = future.thenApply(x -> Thread.currentThread().getName());
        succeedNextFromPoolThread(pool);
        caller.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
        assertEquals(42, joined.get());
        assertEquals("user-caller", callbackThreadOf(ranOn));
        pool.close();
        assertEquals(0, pool.stats().pending());
    }

    @Test
    void get_callerInterrupted_throwsAndACallbackThreadCompletesTheFutureLater() throws Exception {
        QueuedChunksPool pool = new QueuedChunksPool(1);
        CompletableFuture<Integer> future = pool.submit(x -> x, 1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = blockedUserThread("user-caller", () -> {
            try {
                future.get();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        CompletableFuture<String> ranOn = future.thenApply(x -> Thread.currentThread().getName());
        caller.interrupt();
        caller.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
        assertTrue(thrown.get() instanceof InterruptedException, "got " + thrown.get());
        assertFalse(future.isDone());
        succeedNextFromPoolThread(pool);
        assertTrue(callbackThreadOf(ranOn).startsWith(Callbacks.THREAD_NAME_PREFIX));
        assertEquals(2, future.join());
        pool.close();
    }

    @Test
    void getWithTimeout_timesOutThenTheCallEnds_aCallbackThreadCompletesTheFuture() throws Exception {
        QueuedChunksPool pool = new QueuedChunksPool(1);
        CompletableFuture<Integer> future = pool.submit(x -> x, 3);
        assertThrows(TimeoutException.class, () -> future.get(20, TimeUnit.MILLISECONDS));
        CompletableFuture<String> ranOn = future.thenApply(x -> Thread.currentThread().getName());
        succeedNextFromPoolThread(pool);
        assertTrue(callbackThreadOf(ranOn).startsWith(Callbacks.THREAD_NAME_PREFIX));
        assertEquals(6, future.get(30, TimeUnit.SECONDS));
        pool.close();
    }

    @Test
    void join_manyCallersAtOnce_allReturn() throws Exception {
        for (int round = 0; round < 50; round++) {
            QueuedChunksPool pool = new QueuedChunksPool(1);
            CompletableFuture<Integer> future = pool.submit(x -> x, round);
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger returned = new AtomicInteger();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread caller = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    future.join();
                    returned.incrementAndGet();
                }, "user-caller-" + i);
                caller.start();
                callers.add(caller);
            }
            go.countDown();
            succeedNextFromPoolThread(pool);
            for (Thread caller : callers) {
                caller.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
            }
            assertEquals(4, returned.get(), "round " + round);
            assertEquals(round * 2, future.join());
            pool.close();
        }
    }

    @Test
    void join_byAPoolThread_leavesTheCompletionToACallbackThread() throws Exception {
        QueuedChunksPool pool = new QueuedChunksPool(1);
        CompletableFuture<Integer> future = pool.submit(x -> x, 4);
        AtomicReference<Integer> joined = new AtomicReference<>();
        Thread poolThread = blockedUserThread("pool4j-other-pool-1", () -> joined.set(future.join()));
        CompletableFuture<String> ranOn = future.thenApply(x -> Thread.currentThread().getName());
        succeedNextFromPoolThread(pool);
        poolThread.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
        assertEquals(8, joined.get());
        assertTrue(callbackThreadOf(ranOn).startsWith(Callbacks.THREAD_NAME_PREFIX));
        pool.close();
    }

    @Test
    void join_futureCancelledWhileCallerWaits_callerSeesTheCancellation() throws Exception {
        QueuedChunksPool pool = new QueuedChunksPool(1);
        CompletableFuture<Integer> future = pool.submit(x -> x, 5);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = blockedJoiner(future, thrown);
        assertTrue(future.cancel(true));
        caller.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
        assertFalse(caller.isAlive());
        assertTrue(thrown.get() instanceof java.util.concurrent.CancellationException, "got " + thrown.get());
        pool.close();
        assertEquals(0, pool.stats().pending());
    }

    @Test
    void join_orTimeoutFiresWhileCallerWaits_callerSeesTheTimeoutAtOnce() throws Exception {
        QueuedChunksPool pool = new QueuedChunksPool(1);
        CompletableFuture<Integer> future = pool.submit(x -> x, 6);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = blockedJoiner(future, thrown);
        // The timeout completes the future on the JDK's delayer thread while the call runs on.
        future.orTimeout(50, TimeUnit.MILLISECONDS);
        caller.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
        assertFalse(caller.isAlive(), "join() waited past the future's own timeout");
        assertTrue(thrown.get() != null && thrown.get().getCause() instanceof TimeoutException, "got " + thrown.get());
        // The call still ends, and its end does not disturb the completed future.
        succeedNextFromPoolThread(pool);
        pool.close();
        assertEquals(0, pool.stats().pending());
    }

    @Test
    void get_futureCompletedByHandWhileCallerWaits_callerGetsThatValue() throws Exception {
        QueuedChunksPool pool = new QueuedChunksPool(1);
        CompletableFuture<Integer> future = pool.submit(x -> x, 7);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread caller = blockedUserThread("user-caller", () -> {
            try {
                got.set(future.get());
            } catch (Exception e) {
                got.set(e);
            }
        });
        assertTrue(future.complete(-1));
        caller.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
        assertFalse(caller.isAlive(), "get() ignored the value the future was completed with");
        assertEquals(-1, got.get());
        succeedNextFromPoolThread(pool);
        assertEquals(-1, future.join());
        pool.close();
    }

    @Test
    void close_afterACallerCompletedItsFuture_returnsWithEveryFutureDone() throws Exception {
        QueuedChunksPool pool = new QueuedChunksPool(1);
        CompletableFuture<Integer> first = pool.submit(x -> x, 1);
        CompletableFuture<Integer> second = pool.submit(x -> x, 2);
        Thread caller = blockedUserThread("user-caller", first::join);
        succeedNextFromPoolThread(pool);
        succeedNextFromPoolThread(pool);
        caller.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
        pool.close();
        assertTrue(first.isDone() && second.isDone());
        assertEquals(List.of(2, 4), List.of(first.get(), second.get()));
    }
}
