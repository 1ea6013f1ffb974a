package io.github.pool4j.spi;

import io.github.pool4j.Task;
import io.github.pool4j.WorkerStats;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A pool on the real engine that holds each dispatched chunk in {@link #chunks} for the test to
 * report; its clock stands still, so chunks count as fast and keep their planned size.
 */
final class QueuedChunksPool extends AbstractPool<Integer, Integer> {
    final BlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();

    QueuedChunksPool(int size) {
        super("QueuedChunksPool", PoolOptions.ofSize(size));
    }

    @Override
    io.github.pool4j.timing.Ticker ticker() {
        return () -> 0L;
    }

    @Override
    protected Object prepare(Task<?, ?> task) {
        return task;
    }

    @Override
    protected void dispatch(Chunk chunk) {
        chunks.add(chunk);
    }

    @Override
    protected void stopWorkers() {}

    @Override
    protected void killWorkers() {}

    @Override
    protected List<WorkerStats> workerStats() {
        return List.of();
    }
}
