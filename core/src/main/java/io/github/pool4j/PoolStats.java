package io.github.pool4j;

import java.util.List;

/**
 * A snapshot of a pool's counters, taken by {@link Pool#stats()}.
 *
 * <p>Counters count inputs, not calls: a {@code map} of 10 inputs submits 10. Every submitted
 * input ends up counted once in {@code completed}, {@code failed} or {@code cancelled}.
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
 * @param workers one entry per current worker, as far as the implementation knows them
 */
public record PoolStats(int size, long submitted, long completed, long failed, long cancelled, long activeCalls,
        List<WorkerStats> workers) {

    /** Copies {@code workers} so the snapshot is immutable. */
    public PoolStats {
        workers = List.copyOf(workers);
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
}
