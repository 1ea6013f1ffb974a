package io.github.pool4j.internal;

import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.WorkerStats;

/**
 * Records worker starts and stops as flight-recorder events; a pool calls it beside its own
 * listener, so a pool without a listener keeps the engine's fast paths for progress. Stateless
 * and thread-safe.
 */
final class FlightListener implements PoolListener {

    static final FlightListener INSTANCE = new FlightListener();

    private FlightListener() {}

    @Override
    public void onWorkerStarted(WorkerStats worker) {
        FlightEvents.workerStarted(worker);
    }

    @Override
    public void onWorkerStopped(WorkerStats worker, PoolException cause) {
        FlightEvents.workerStopped(worker, cause);
    }
}
