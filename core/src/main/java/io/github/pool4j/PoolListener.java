package io.github.pool4j;

import java.time.Duration;

/**
 * Receives progress and lifecycle events of a pool, for progress bars, metrics and logs.
 *
 * <p>Every method has an empty default, so implement only what you need. Methods are called from
 * pool threads (or the caller's thread), possibly concurrently, and must return quickly; an
 * exception thrown by a listener is logged and otherwise ignored.
 */
public interface PoolListener {

    /** A listener that ignores every event. */
    PoolListener NONE = new PoolListener() {};

    /**
     * Returns a listener that passes every event to each of {@code listeners}, in order; one that
     * throws does not keep the event from the others (the first exception is rethrown after all
     * were told). For example a progress bar and metrics on one pool:
     * {@code builder.listener(PoolListener.of(ProgressBar.toConsole(), metrics))}.
     *
     * @param listeners the listeners, none null
     * @return a listener telling them all
     * @throws NullPointerException if {@code listeners} or one of them is null
     */
    static PoolListener of(PoolListener... listeners) {
        return new CompositeListener(listeners);
    }

    /**
     * Called when a call ({@code map}, {@code imap}, {@code submit}, ...) starts, in the caller's
     * thread, before any of its inputs is reported through {@link #onProgress}.
     *
     * <p>A call refused up front (the pool is closed, the task cannot be shipped, the caller's
     * input iterator threw) never starts and sends no events.
     *
     * @param callId identifies the call within its pool, as in {@link #onProgress}
     * @param operation the {@link Pool} method: {@code map}, {@code mapResults}, {@code mapAsync},
     *     {@code submit}, {@code imap} or {@code imapUnordered}
     * @param total how many inputs the call has, or {@code -1} while unknown (lazy {@code imap})
     */
    default void onCallStarted(long callId, String operation, long total) {}

    /**
     * Called once when a call has ended: every input has an outcome and the call's result is
     * available, or the call gave up on the rest (its first failure in input order, a cancelled
     * future, an interrupted caller, a closed {@code imap} iterator, a terminated pool). An
     * {@code imap} ends once its iterator is drained or closed; one abandoned half-way never
     * ends.
     *
     * @param callId identifies the call within its pool
     * @param failed how many of its inputs failed (the task threw, its worker crashed, it timed
     *     out), as counted when the call ended; inputs given up on (cancelled) are not counted
     */
    default void onCallEnded(long callId, long failed) {}

    /**
     * Called as inputs of a call finish, successfully or not: once per input, or once for a
     * batch of inputs whose results arrived together (a worker process answering a chunk), so
     * {@code done} may grow by more than one between two calls.
     *
     * @param callId identifies the call ({@code map}, {@code imap}, ...) within its pool
     * @param done how many inputs of this call have finished
     * @param total how many inputs this call has, or {@code -1} while unknown (lazy {@code imap})
     */
    default void onProgress(long callId, long done, long total) {}

    /**
     * Called when a task has run for one input of a call, with how long it ran, measured where it
     * ran (the worker thread, or the worker process); called whatever the outcome (a value, an
     * exception), before that outcome is reported through {@link #onProgress}. As
     * {@link java.util.concurrent.ThreadPoolExecutor}'s {@code afterExecute}, it covers the task
     * alone: not the time the input waited in a queue, nor the time to send it or its result.
     *
     * <p>Where workers are threads of this JVM each input is timed on its own. A worker process
     * times the inputs whose results travel back together (one frame), and this method is then
     * called once per input with an equal share of that time: counts and totals are exact, a
     * single slow input among fast ones shows as several average ones. An input whose task never
     * returned (it timed out and its worker was stopped, its worker crashed) is not reported; one
     * that returned after its timeout may be reported after its call ended. Pools that cannot time
     * their tasks never call it.
     *
     * @param callId identifies the call within its pool, as in {@link #onProgress}
     * @param duration how long the task ran for one input, not negative
     */
    default void onTaskFinished(long callId, Duration duration) {}

    /**
     * Called when a worker has started and can take work.
     *
     * @param worker the new worker
     */
    default void onWorkerStarted(WorkerStats worker) {}

    /**
     * Called when a worker has stopped: at close, or because it crashed or was replaced.
     *
     * @param worker the worker as it was last seen
     * @param cause why it stopped unexpectedly, or {@code null} for an orderly stop
     */
    default void onWorkerStopped(WorkerStats worker, PoolException cause) {}

    /** Called once when the pool has closed or terminated and all its workers have stopped. */
    default void onPoolClosed() {}
}
