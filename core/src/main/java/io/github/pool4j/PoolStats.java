package io.github.pool4j;

import java.util.List;

/**
 * A snapshot of a pool's counters, taken by {@link Pool#stats()}.
 *
 * <p>Counters count inputs, not calls: a {@code map} of 10 inputs submits 10.
 *
 * @param size the number of workers the pool runs
 * @param submitted inputs accepted so far
 * @param completed inputs whose task returned a value
 * @param failed inputs that ended in a {@link PoolException} (task failure, crash, timeout,
 *     cancellation)
 * @param workers one entry per current worker, as far as the implementation knows them
 */
public record PoolStats(int size, long submitted, long completed, long failed, List<WorkerStats> workers) {

    /** Copies {@code workers} so the snapshot is immutable. */
    public PoolStats {
        workers = List.copyOf(workers);
    }

    /**
     * Returns the inputs accepted but not yet finished.
     *
     * @return {@code submitted - completed - failed}
     */
    public long pending() {
        return submitted - completed - failed;
    }
}
