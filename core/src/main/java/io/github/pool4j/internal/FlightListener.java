package io.github.pool4j.internal;

import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.WorkerStats;

/**
 * Records worker starts and stops as flight-recorder events, then passes every event to the
 * pool's own listener. Thread-safe if the delegate is.
 */
final class FlightListener implements PoolListener {

    private final PoolListener delegate;

    FlightListener(PoolListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onCallStarted(long callId, String operation, long total) {
        delegate.onCallStarted(callId, operation, total);
    }

    @Override
    public void onProgress(long callId, long done, long total) {
        delegate.onProgress(callId, done, total);
    }

    @Override
    public void onCallEnded(long callId, long failed) {
        delegate.onCallEnded(callId, failed);
    }

    @Override
    public void onWorkerStarted(WorkerStats worker) {
        FlightEvents.workerStarted(worker);
        delegate.onWorkerStarted(worker);
    }

    @Override
    public void onWorkerStopped(WorkerStats worker, PoolException cause) {
        FlightEvents.workerStopped(worker, cause);
        delegate.onWorkerStopped(worker, cause);
    }

    @Override
    public void onPoolClosed() {
        delegate.onPoolClosed();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
