package io.github.pool4j.examples;

import io.github.pool4j.PoolListener;
import io.github.pool4j.WorkerStats;
import java.time.Duration;

/**
 * Counts the workers a pool reports started, so a command can wait until every worker JVM is up
 * before it times a {@code map}, as Python's {@code Pool(3)} has its processes running when the
 * constructor returns. Forwards call and progress events to another listener (a progress bar).
 *
 * <p>Only pools that start workers ahead of work report starts ({@code ProcessPool}); a
 * {@code ThreadPool} creates its threads as work arrives. Thread-safe.
 */
final class WorkerStarts implements PoolListener {

    private final PoolListener progress;
    private int started;

    WorkerStarts(PoolListener progress) {
        this.progress = progress;
    }

    @Override
    public void onCallStarted(long callId, String operation, long total) {
        progress.onCallStarted(callId, operation, total);
    }

    @Override
    public void onProgress(long callId, long done, long total) {
        progress.onProgress(callId, done, total);
    }

    @Override
    public void onCallEnded(long callId, long failed) {
        progress.onCallEnded(callId, failed);
    }

    @Override
    public synchronized void onWorkerStarted(WorkerStats worker) {
        started++;
        notifyAll();
    }

    /** Returns how many workers have started so far. */
    synchronized int started() {
        return started;
    }

    /**
     * Waits until {@code count} workers have started or {@code timeout} has passed.
     *
     * @return whether they all started in time
     * @throws InterruptedException if the waiting thread is interrupted
     */
    synchronized boolean await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (started < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
