package io.github.pool4j.spi;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor that completes the futures pools hand to users ({@code submit}, {@code mapAsync}),
 * so that callbacks attached to them ({@code thenApply}, {@code whenComplete}...) never run on a
 * thread a pool needs to make progress (a pool thread, a worker's reader, a watchdog).
 *
 * <p>One executor is shared by every pool of this JVM. It has no fixed size: a callback that
 * blocks (calls {@code pool.map}, joins another future of a pool) gets a thread of its own, so a
 * callback waiting for another callback's completion never starves it; size-1 pools included.
 * Its threads are daemons named {@code pool4j-callback-N}, created on demand and ended after
 * {@link #KEEP_ALIVE_SECONDS} idle seconds, so they never keep the JVM alive and do not linger.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Callbacks {

    /** How long an idle callback thread waits for more work before it ends. */
    static final long KEEP_ALIVE_SECONDS = 10;

    /** The prefix of the callback threads' names. */
    static final String THREAD_NAME_PREFIX = "pool4j-callback-";

    private static final AtomicInteger ids = new AtomicInteger();

    private static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, THREAD_NAME_PREFIX + ids.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });

    private Callbacks() {}

    /**
     * Returns the shared callback executor.
     *
     * @return the executor
     */
    static Executor executor() {
        return EXECUTOR;
    }

    /**
     * Runs {@code completion} on a callback thread; if no thread can be started (the JVM is out of
     * threads), runs it in the current thread rather than never completing a user's future.
     *
     * @param completion completes a user's future
     */
    static void run(Runnable completion) {
        try {
            EXECUTOR.execute(completion);
        } catch (RejectedExecutionException | OutOfMemoryError e) {
            completion.run();
        }
    }
}
