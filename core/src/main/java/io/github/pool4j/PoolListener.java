package io.github.pool4j;

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
