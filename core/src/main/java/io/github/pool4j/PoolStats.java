package io.github.pool4j;

import java.util.List;

/**
 * A snapshot of a pool's counters, taken by {@link Pool#stats()}.
 *
 * <p>Counters count inputs, not calls: a {@code map} of 10 inputs submits 10. Every submitted
 * input ends up counted once in {@code completed}, {@code failed} or {@code cancelled}; until
 * then it is {@linkplain #pending() pending}, either {@linkplain #queued() queued} (waiting for a
 * worker) or {@linkplain #running() running} (its task has started in a worker), as
 * {@link java.util.concurrent.ThreadPoolExecutor} tells its queue apart from its active threads.
 *
 * <p>The counters are read one after another while the pool works, not at one instant, so a
 * snapshot of a busy pool may be off by the inputs that moved meanwhile. An outcome is handed to
 * its caller (an {@code imap} iterator, a future) as soon as it is known and counted just after,
 * so a snapshot taken the moment the last result arrives may still show that input pending;
 * once the call has returned ({@code map}, {@code mapResults}) every input is counted.
 *
 * @param size the number of workers the pool runs
 * @param submitted inputs accepted so far
 * @param completed inputs whose task returned a value
 * @param failed inputs whose run failed: the task threw, its worker crashed, it timed out, or a
 *     value could not be sent or read
 * @param cancelled inputs given up before they had an outcome of their own: their call no longer
 *     wanted them (an earlier input failed, the caller was interrupted, an {@code imap} iterator
 *     was closed or dropped, a future was cancelled) or the pool was terminated
 * @param activeCalls calls ({@code map}, {@code submit}, an {@code imap} iterator...) accepted and
 *     not yet finished; an {@code imap} iterator counts until it is drained, closed or unreachable
 * @param retried times an input was sent to run again because the worker running it was lost (a
 *     worker process that crashed or was killed, with the pool's {@code retries(n)} above 0); an
 *     input retried twice counts twice. Pools that never retry keep it at 0
 * @param running pending inputs whose task has started and has no outcome yet, at most about one
 *     per worker. Where workers are threads of this JVM it is exact; a process pool counts, as the
 *     parent sees it, the input each busy worker was last told to run (a worker may already have
 *     finished it, its result on the way)
 * @param workers one entry per current worker, as far as the implementation knows them
 */
public record PoolStats(int size, long submitted, long completed, long failed, long cancelled, long activeCalls,
        long retried, long running, List<WorkerStats> workers) {

    /** Copies {@code workers} so the snapshot is immutable. */
    public PoolStats {
        workers = List.copyOf(workers);
    }

    /**
     * Creates a snapshot with no retried input and nothing known to be running, for pools that do
     * not count them.
     *
     * @param size the number of workers
     * @param submitted inputs accepted so far
     * @param completed inputs whose task returned a value
     * @param failed inputs that failed
     * @param cancelled inputs given up on
     * @param activeCalls calls accepted and not yet finished
     * @param workers one entry per current worker
     */
    public PoolStats(int size, long submitted, long completed, long failed, long cancelled, long activeCalls,
            List<WorkerStats> workers) {
        this(size, submitted, completed, failed, cancelled, activeCalls, 0, 0, workers);
    }

    /**
     * Creates a snapshot with no cancelled inputs and no active call, for pools that do not count
     * them.
     *
     * @param size the number of workers
     * @param submitted inputs accepted so far
     * @param completed inputs whose task returned a value
     * @param failed inputs that failed
     * @param workers one entry per current worker
     */
    public PoolStats(int size, long submitted, long completed, long failed, List<WorkerStats> workers) {
        this(size, submitted, completed, failed, 0, 0, workers);
    }

    /**
     * Returns the inputs accepted but not yet finished.
     *
     * @return {@code submitted - completed - failed - cancelled}
     */
    public long pending() {
        return submitted - completed - failed - cancelled;
    }

    /**
     * Returns the pending inputs that wait for a worker: accepted, not started (or sent back to the
     * queue after their worker was lost), no outcome yet.
     *
     * @return {@code pending() - running()}, never below 0
     */
    public long queued() {
        return Math.max(0, pending() - running);
    }
}
