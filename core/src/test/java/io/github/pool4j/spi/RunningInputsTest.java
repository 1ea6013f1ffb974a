package io.github.pool4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.PoolListener;
import io.github.pool4j.PoolStats;
import io.github.pool4j.SerialPool;
import io.github.pool4j.Task;
import io.github.pool4j.TaskResult;
import io.github.pool4j.WorkerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's queued/running split, its retry count and its task times: through
 * {@link SerialPool}, through an engine whose workers are threads running chunks with a
 * {@link ChunkRunner} (as a thread pool does), and through one that loses its first attempt at
 * every input (as a process pool whose worker died).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunningInputsTest {

    private static final long WAIT_SECONDS = 30;

    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    /** Runs each chunk on one of two threads with a ChunkRunner; optionally loses each input's first run. */
    private final class ThreadedPool extends AbstractPool<Integer, Integer> {
        private final ChunkRunner runner;
        private final boolean loseFirstRun;

        ThreadedPool(PoolOptions options, boolean loseFirstRun) {
            super("ThreadedPool", options);
            this.runner = new ChunkRunner("threaded", options);
            this.loseFirstRun = loseFirstRun;
        }

        @Override
        protected Object prepare(Task<?, ?> task) {
            return task;
        }

        @Override
        protected void dispatch(Chunk chunk) {
            if (loseFirstRun) {
                for (int i = 0; i < chunk.size(); i++) {
                    chunk.started(i); // its worker is lost here: the input goes back and runs again
                    chunk.requeued(i, true);
                }
            }
            threads.execute(() -> runner.run(chunk));
        }

        @Override
        protected void stopWorkers() {
            runner.close();
        }

        @Override
        protected void killWorkers() {
            runner.close();
        }

        @Override
        protected List<WorkerStats> workerStats() {
            return List.of();
        }
    }

    @Test
    void serialPool_statsInsideATask_showItRunningAndTheRestQueued() {
        List<PoolStats> seen = new ArrayList<>();
        try (Pool<Integer, Integer> pool = SerialPool.builder().chunkSize(1).build()) {
            Task<Integer, Integer> task = x -> {
                seen.add(pool.stats());
                return x;
            };
            pool.map(task, List.of(1, 2, 3));
            PoolStats after = pool.stats();
            assertEquals(0, after.running());
            assertEquals(0, after.queued());
            assertEquals(0, after.retried(), "a serial pool never retries");
        }
        assertEquals(List.of(2L, 1L, 0L), seen.stream().map(PoolStats::queued).toList());
        assertEquals(List.of(1L, 1L, 1L), seen.stream().map(PoolStats::running).toList());
        assertEquals(List.of(3L, 2L, 1L), seen.stream().map(PoolStats::pending).toList());
    }

    @Test
    void serialPool_aFailedTaskStopsRunning() {
        try (Pool<Integer, Integer> pool = SerialPool.create()) {
            List<TaskResult<Integer>> results = pool.mapResults(x -> {
                throw new IllegalStateException("no");
            }, List.of(1, 2));
            assertFalse(results.get(0).isSuccess());
            assertEquals(0, pool.stats().running());
            assertEquals(2, pool.stats().failed());
        }
    }

    @Test
    void threads_whileTasksBlock_runningIsTheBusyThreadsAndTheRestIsQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bothRunning = new CountDownLatch(2);
        ThreadedPool pool = new ThreadedPool(new PoolOptions(2, 1, null, PoolListener.NONE), false);
        try {
            CompletableFuture<List<Integer>> result = pool.mapAsync(x -> {
                bothRunning.countDown();
                release.await();
                return x;
            }, List.of(1, 2, 3, 4, 5));
            assertTrue(bothRunning.await(WAIT_SECONDS, TimeUnit.SECONDS));
            PoolStats during = pool.stats();
            assertEquals(2, during.running(), during.toString());
            assertEquals(3, during.queued(), during.toString());
            release.countDown();
            assertEquals(List.of(1, 2, 3, 4, 5), result.get(WAIT_SECONDS, TimeUnit.SECONDS));
            PoolStats after = pool.stats();
            assertEquals(0, after.running(), after.toString());
            assertEquals(0, after.queued(), after.toString());
        } finally {
            release.countDown();
            pool.close();
        }
    }

    @Test
    void requeued_afterAStart_countsARetryAndTheInputIsQueuedAgain() {
        ThreadedPool pool = new ThreadedPool(new PoolOptions(2, 2, null, PoolListener.NONE), true);
        try {
            assertEquals(List.of(2, 3, 4), pool.map(x -> x + 1, List.of(1, 2, 3)));
            PoolStats stats = pool.stats();
            assertEquals(3, stats.retried(), stats.toString());
            assertEquals(0, stats.running(), stats.toString());
            assertEquals(3, stats.completed(), "a retry is not a second input");
        } finally {
            pool.close();
        }
    }

    @Test
    void chunk_startedIsNotAnOutcome_andRequeuedWithoutRetryIsNotARetry() {
        ThreadedPool pool = new ThreadedPool(new PoolOptions(1, 1, null, PoolListener.NONE), false);
        try {
            BatchCall call = new BatchCall(pool, 1, (Task<Integer, Integer>) x -> x, PoolListener.NONE,
                    List.of(1, 2), 2, false);
            pool.chunkCreated(2);
            Chunk chunk = new Chunk(call, 0, java.util.Arrays.asList(new Object[] {1, 2}), 0, 2, new Object[2]);
            chunk.started(0);
            chunk.started(0); // twice counts once
            assertFalse(chunk.isDone(0));
            assertNull(chunk.outcome(0));
            assertEquals(1, pool.stats().running());
            assertEquals(1, pool.stats().queued());
            chunk.requeued(0, false);
            assertEquals(0, pool.stats().running());
            assertEquals(2, pool.stats().queued());
            assertEquals(0, pool.stats().retried(), "it had not started: not a retry");
            chunk.started(1);
            assertTrue(chunk.succeed(1, 7));
            assertEquals(0, pool.stats().running(), "an outcome ends the run");
            assertTrue(chunk.isDone(1));
            chunk.started(1); // after its outcome: ignored
            assertEquals(0, pool.stats().running());
            assertEquals(1, pool.stats().queued());
        } finally {
            pool.terminate(); // input 0 never gets an outcome: close() would wait for it
        }
    }

    @Test
    void onTaskFinished_oncePerInputBeforeItsProgress_forThePoolsAndTheCallsListener() {
        List<String> poolEvents = Collections.synchronizedList(new ArrayList<>());
        List<Duration> callDurations = Collections.synchronizedList(new ArrayList<>());
        PoolListener poolListener = new PoolListener() {
            @Override
            public void onTaskFinished(long callId, Duration duration) {
                assertFalse(duration.isNegative());
                poolEvents.add("task");
            }

            @Override
            public void onProgress(long callId, long done, long total) {
                poolEvents.add("progress " + done);
            }
        };
        PoolListener callListener = new PoolListener() {
            @Override
            public void onTaskFinished(long callId, Duration duration) {
                callDurations.add(duration);
            }
        };
        try (Pool<Integer, Integer> pool = SerialPool.builder().chunkSize(2).listener(poolListener).build()) {
            pool.mapResults(x -> {
                if (x == 2) {
                    throw new IllegalStateException("a failed task is timed too");
                }
                return x;
            }, List.of(1, 2, 3), CallOptions.listener(callListener));
        }
        assertEquals(List.of("task", "progress 1", "task", "progress 2", "task", "progress 3"), poolEvents);
        assertEquals(3, callDurations.size());
    }

    @Test
    void ran_splitsABatchsTimeIntoEqualShares() {
        List<Duration> durations = Collections.synchronizedList(new ArrayList<>());
        PoolListener listener = new PoolListener() {
            @Override
            public void onTaskFinished(long callId, Duration duration) {
                durations.add(duration);
            }
        };
        ThreadedPool pool = new ThreadedPool(new PoolOptions(1, 3, null, listener), false);
        try {
            BatchCall call = new BatchCall(pool, 1, (Task<Integer, Integer>) x -> x, PoolListener.NONE,
                    List.of(1, 2, 3), 3, false);
            Chunk chunk = new Chunk(call, 0, java.util.Arrays.asList(new Object[] {1, 2, 3}), 0, 3, new Object[3]);
            assertTrue(chunk.timesTasks());
            chunk.ran(3, 3_000_001);
            chunk.ran(0, 5); // nothing ran: nothing reported
        } finally {
            pool.close();
        }
        assertEquals(List.of(Duration.ofNanos(1_000_001), Duration.ofNanos(1_000_000), Duration.ofNanos(1_000_000)),
                durations);
    }
}
