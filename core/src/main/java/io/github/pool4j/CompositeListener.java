package io.github.pool4j;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Passes every event to several listeners, see {@link PoolListener#of}. Thread-safe: immutable. */
final class CompositeListener implements PoolListener {

    private final List<PoolListener> listeners;

    CompositeListener(PoolListener... listeners) {
        this.listeners = List.of(listeners); // rejects null elements
    }

    private void tell(Consumer<PoolListener> event) {
        RuntimeException first = null;
        for (PoolListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void onCallStarted(long callId, String operation, long total) {
        tell(l -> l.onCallStarted(callId, operation, total));
    }

    @Override
    public void onProgress(long callId, long done, long total) {
        tell(l -> l.onProgress(callId, done, total));
    }

    @Override
    public void onCallEnded(long callId, long failed) {
        tell(l -> l.onCallEnded(callId, failed));
    }

    @Override
    public void onTaskFinished(long callId, Duration duration) {
        tell(l -> l.onTaskFinished(callId, duration));
    }

    @Override
    public void onWorkerStarted(WorkerStats worker) {
        tell(l -> l.onWorkerStarted(worker));
    }

    @Override
    public void onWorkerStopped(WorkerStats worker, PoolException cause) {
        tell(l -> l.onWorkerStopped(worker, cause));
    }

    @Override
    public void onPoolClosed() {
        tell(PoolListener::onPoolClosed);
    }
}
