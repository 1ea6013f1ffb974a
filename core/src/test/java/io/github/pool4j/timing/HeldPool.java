package io.github.pool4j.timing;

import io.github.pool4j.Task;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.spi.AbstractPool;
import io.github.pool4j.spi.Chunk;
import io.github.pool4j.spi.PoolOptions;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A pool on the real {@link AbstractPool} engine whose "worker" runs dispatched chunks only when
 * the test says so, so a test can observe a call that has been accepted but not completed.
 */
final class HeldPool<T, R> extends AbstractPool<T, R> {

    private final Queue<Chunk> held = new ConcurrentLinkedQueue<>();
    final Queue<Chunk> cancelled = new ConcurrentLinkedQueue<>();

    HeldPool() {
        super("HeldPool", PoolOptions.ofSize(1));
    }

    int heldCount() {
        return held.size();
    }

    /** Runs every held chunk in the calling thread. */
    @SuppressWarnings("unchecked")
    void runHeld() {
        Chunk chunk;
        while ((chunk = held.poll()) != null) {
            Task<Object, Object> task = (Task<Object, Object>) chunk.preparedTask();
            for (int offset = 0; offset < chunk.size() && !chunk.isCancelled(); offset++) {
                try {
                    chunk.succeed(offset, task.apply(chunk.input(offset)));
                } catch (Exception e) {
                    chunk.fail(offset, TaskFailedException.of(chunk.firstIndex() + offset, e));
                }
            }
        }
    }

    @Override
    protected Object prepare(Task<?, ?> task) {
        return task;
    }

    @Override
    protected void dispatch(Chunk chunk) {
        held.add(chunk);
    }

    @Override
    protected void onCancel(Chunk chunk) {
        cancelled.add(chunk);
    }

    @Override
    protected void stopWorkers() {}

    @Override
    protected void killWorkers() {
        held.clear();
    }

    @Override
    protected List<WorkerStats> workerStats() {
        return List.of();
    }
}
