package io.github.pool4j.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces deadlines on code that runs in other threads: one daemon thread that fires
 * {@linkplain Alarm alarms}. Every per-task timeout of pool4j goes through it (a thread pool's
 * tasks, a worker JVM's inputs), so "who reports a timeout, and when may the timed-out code go
 * on" is decided in one place.
 *
 * <p>An alarm is armed around one run of some code and settled by exactly one side: the code,
 * which {@linkplain Alarm#disarm() disarms} it when it returns in time, or the watchdog, which runs
 * the alarm's {@link Expiry} when the deadline passes first. The expiry's first step (stop the
 * code: interrupt it, note where it was) ends before a late {@code disarm()} returns; its second
 * step (report the timeout) runs after that, so reporting may take locks the timed code's thread
 * holds without deadlocking. After the expiry, one more party may claim the outcome: the code when
 * it finally returns, or a later decision to {@linkplain Alarm#abandon() abandon} it (a pool giving
 * a stuck thread up); exactly one of the two wins.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class Watchdog implements AutoCloseable {

    private static final int ARMED = 0;
    private static final int DISARMED = 1;
    private static final int FIRING = 2;
    private static final int FIRED = 3;
    private static final int RETURNED = 4;
    private static final int ABANDONED = 5;

    private final ScheduledThreadPoolExecutor executor;

    /**
     * Starts a watchdog with one daemon thread named {@code threadName}; {@link #close()} stops it.
     *
     * @param threadName the thread's name
     */
    public Watchdog(String threadName) {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        // Nearly every alarm is disarmed in time: do not keep them queued until their deadline.
        executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * What runs when an alarm's deadline passes before it is disarmed.
     */
    @FunctionalInterface
    public interface Expiry {
        /**
         * Stops the timed code; runs on the watchdog's thread while a late {@link Alarm#disarm()}
         * waits for it, so it must be short and take no lock the timed code's thread may hold.
         *
         * @param alarm the alarm that fired; {@link Alarm#runner()} is the timed code's thread
         * @return what to run next on the watchdog's thread, once the timed code may go on (such as
         *     reporting the timeout), or null
         */
        Runnable expired(Alarm alarm);
    }

    /**
     * Arms an alarm for the calling thread: unless {@linkplain Alarm#disarm() disarmed} first,
     * {@code onExpiry} runs on the watchdog's thread after {@code nanos}.
     *
     * @param nanos the delay, in nanoseconds
     * @param onExpiry what to do when the deadline passes
     * @return the alarm
     * @throws RejectedExecutionException if the watchdog was closed
     */
    public Alarm arm(long nanos, Expiry onExpiry) {
        Alarm alarm = new Alarm(Thread.currentThread());
        alarm.future = executor.schedule(() -> alarm.fire(onExpiry), nanos, TimeUnit.NANOSECONDS);
        return alarm;
    }

    /**
     * Runs {@code action} on the watchdog's thread after {@code nanos}, unless the watchdog is
     * closed by then (a follow-up of an expiry, such as giving a thread up).
     *
     * @param nanos the delay, in nanoseconds
     * @param action what to run
     */
    public void later(long nanos, Runnable action) {
        try {
            executor.schedule(action, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Closed: whoever would have acted on it has stopped waiting.
        }
    }

    /** Stops the watchdog's thread; alarms not fired yet never fire. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /**
     * A deadline on one run of some code, settled once (see {@link Watchdog}).
     *
     * <p>Thread-safety: thread-safe.
     */
    public static final class Alarm {

        private final AtomicInteger state = new AtomicInteger(ARMED);
        private final Thread runner;
        private volatile ScheduledFuture<?> future;

        private Alarm(Thread runner) {
            this.runner = runner;
        }

        private void fire(Expiry onExpiry) {
            if (!state.compareAndSet(ARMED, FIRING)) {
                return;
            }
            Runnable then;
            try {
                then = onExpiry.expired(this);
            } finally {
                state.set(FIRED);
                LockSupport.unpark(runner);
            }
            if (then != null) {
                then.run();
            }
        }

        /**
         * Returns the thread that armed this alarm, the one running the timed code.
         *
         * @return the thread
         */
        public Thread runner() {
            return runner;
        }

        /**
         * Settles the alarm from the timed code's side, once it returned. Returns true if it
         * returned in time (the expiry will never run); otherwise waits until the expiry's first
         * step has ended and returns false, after claiming the outcome unless the run was
         * {@linkplain #abandon() abandoned} meanwhile (see {@link #wasAbandoned()}).
         *
         * @return whether the code returned before its deadline
         */
        public boolean disarm() {
            if (state.compareAndSet(ARMED, DISARMED)) {
                ScheduledFuture<?> f = future;
                if (f != null) {
                    f.cancel(false);
                }
                return true;
            }
            // The expiry's first step is short. (The runner was probably interrupted by it: park then
            // returns at once, and this loop spins until the step ends, as briefly.)
            while (state.get() == FIRING) {
                LockSupport.park(this);
            }
            state.compareAndSet(FIRED, RETURNED);
            return false;
        }

        /**
         * Gives the timed-out run up: from now on its outcome belongs to whoever abandoned it.
         * Succeeds only after the expiry and before the code returned.
         *
         * @return whether the run was abandoned by this call
         */
        public boolean abandon() {
            return state.compareAndSet(FIRED, ABANDONED);
        }

        /**
         * Tells whether the run was {@linkplain #abandon() abandoned} before the code returned.
         *
         * @return true if abandoned
         */
        public boolean wasAbandoned() {
            return state.get() == ABANDONED;
        }
    }
}
