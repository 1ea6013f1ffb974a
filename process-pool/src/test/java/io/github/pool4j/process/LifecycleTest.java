package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolClosedException;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.WorkerStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LifecycleTest {

    @AfterEach
    void nothingLeft() {
        Leftovers.assertNone();
    }

    @Test
    void builderInference_compilesForTypedPools() {
        Pool<Integer, Integer> p = ProcessPool.builder().size(2).retries(3).build();
        try (p) {
            assertEquals(List.of(2), p.map(x -> x + 1, List.of(1)));
        }
    }

    /** Regression: a worker told to stop before its hello was taken for a protocol breaker. */
    @Test
    void close_rightAfterBuild_stopsEveryWorkerInOrder() {
        List<PoolException> causes = new CopyOnWriteArrayList<>();
        List<WorkerStats> stopped = new CopyOnWriteArrayList<>();
        PoolListener listener = new PoolListener() {
            @Override
            public void onWorkerStopped(WorkerStats worker, PoolException cause) {
                stopped.add(worker);
                causes.add(cause);
            }
        };
        ProcessPool<Integer, Integer> pool = ProcessPool.builder().size(3).listener(listener).build();
        pool.close();
        assertEquals(3, stopped.size(), stopped.toString());
        List<PoolException> expected = new ArrayList<>();
        expected.add(null);
        expected.add(null);
        expected.add(null);
        assertEquals(expected, causes);
        assertEquals(List.of(), pool.workerPids());
    }

    @Test
    void terminate_killsBusyWorkersAndFailsPendingWork() throws Exception {
        ProcessPool<String, String> pool = ProcessPool.builder().size(2).build();
        List<Long> pids = List.copyOf(pool.workerPids());
        Pool<String, String> p = pool;
        CompletableFuture<List<String>> busy = p.mapAsync(FaultTasks::run, List.of("sleep:", "sleep:", "ok:1"));
        Leftovers.await("both workers", () -> pool.workerPids().size() == 2);
        pool.terminate();
        ExecutionException e = assertThrows(ExecutionException.class, () -> busy.get(30, TimeUnit.SECONDS));
        assertInstanceOf(PoolClosedException.class, e.getCause());
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "worker " + pid + " still alive");
        }
        assertThrows(PoolClosedException.class, () -> p.map(FaultTasks::run, List.of("ok:2")));
    }

    /** Workers end by leaving main, not System.exit, when nothing holds them: hooks must still run. */
    @Test
    void close_runsTheShutdownHooksThatTaskCodeRegistered(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("hook");
        List<Long> pids;
        try (ProcessPool<String, String> pool = ProcessPool.<String, String>builder().size(1).build()) {
            pids = List.copyOf(pool.workerPids());
            assertEquals(List.of("hooked"), pool.map(FaultTasks::run, List.of("hook:" + marker)));
        }
        assertEquals("hook ran in " + pids.get(0), Files.readString(marker));
    }

    @Test
    void close_workerWithATaskThreadThatNeverEnds_stillStopsInOrder() {
        List<PoolException> causes = new CopyOnWriteArrayList<>();
        PoolListener listener = new PoolListener() {
            @Override
            public void onWorkerStopped(WorkerStats worker, PoolException cause) {
                causes.add(cause);
            }
        };
        ProcessPool<String, String> pool = ProcessPool.<String, String>builder().size(1).listener(listener).build();
        long pid = pool.workerPids().get(0);
        long start = System.nanoTime();
        try (pool) {
            assertEquals(List.of("lingering in " + pid), pool.map(FaultTasks::run, List.of("linger:")));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "worker " + pid + " still alive");
        List<PoolException> expected = new ArrayList<>();
        expected.add(null);
        assertEquals(expected, causes, "stopped in order, not killed");
        assertTrue(millis < 10_000, "close took " + millis + " ms");
    }
}
