package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskResult;
import io.github.pool4j.TaskTimeoutException;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.WorkerStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FaultsTest {

    @TempDir
    Path dir;

    @AfterEach
    void nothingLeft() {
        Leftovers.assertNone();
    }

    private static List<TaskResult<String>> mapResults(Pool<String, String> pool, List<String> inputs) {
        return pool.mapResults(FaultTasks::run, inputs);
    }

    /**
     * Asserts that the inputs before {@code failed} succeeded or, having run, lost their result with
     * the worker (a worker sends the results of quick inputs together, so a crash loses those that
     * finished just before it; without retries they fail rather than run twice); the others succeeded.
     */
    private static void assertOthersDoneOrLost(List<TaskResult<String>> results, int failed) {
        for (int i = 0; i < results.size(); i++) {
            TaskResult<String> result = results.get(i);
            if (i < failed && !result.isSuccess()) {
                WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, result.failure());
                assertTrue(e.getMessage().contains("ran, but its result was lost"), e.getMessage());
            } else if (i != failed) {
                assertTrue(result.isSuccess(), "input " + i + ": " + result);
            }
        }
    }

    private static void assertOthersDone(List<TaskResult<String>> results, int failed) {
        for (int i = 0; i < results.size(); i++) {
            if (i != failed) {
                assertTrue(results.get(i).isSuccess(), "input " + i + ": " + results.get(i));
            }
        }
    }

    @Test
    void map_workerKilledMidTask_failsOnlyItsInputAndReplacesWorker() throws Exception {
        List<WorkerStats> stopped = new CopyOnWriteArrayList<>();
        List<PoolException> causes = new CopyOnWriteArrayList<>();
        PoolListener listener = new PoolListener() {
            @Override
            public void onWorkerStopped(WorkerStats worker, PoolException cause) {
                stopped.add(worker);
                causes.add(cause);
            }
        };
        Path marker = dir.resolve("pid");
        try (ProcessPool<String, String> pool = ProcessPool.builder().size(2).listener(listener).build()) {
            List<String> inputs = List.of("ok:0", "ok:1", "block:" + marker, "ok:3", "ok:4", "ok:5", "ok:6", "ok:7");
            CompletableFuture<List<TaskResult<String>>> running =
                    CompletableFuture.supplyAsync(() -> mapResults(pool, inputs));
            Leftovers.await("the blocking task to start", () -> Files.exists(marker));
            long pid = Long.parseLong(Files.readString(marker));
            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
            List<TaskResult<String>> results = running.get(60, TimeUnit.SECONDS);

            WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, results.get(2).failure());
            assertEquals(2, e.inputIndex());
            assertEquals(pid, e.pid());
            assertTrue(e.worker().matches("worker-\\d+ \\(pid " + pid + "\\)"), e.worker());
            assertEquals(137, e.exitCode());
            assertEquals("SIGKILL", e.signal().orElseThrow());
            assertOthersDone(results, 2);
            assertEquals("done 7", results.get(7).value());
            assertEquals(List.of("done x"), pool.map(FaultTasks::run, List.of("ok:x")));
            Leftovers.await("a replacement", () -> pool.workerPids().size() == 2);
            assertFalse(pool.workerPids().contains(pid));
            assertEquals(pid, stopped.get(0).pid());
            assertInstanceOf(WorkerCrashedException.class, causes.get(0));
        }
    }

    @Test
    void map_systemExitInTask_failsOnlyItsInputWithExitCodeAndStderrTail() {
        try (Pool<String, String> pool = ProcessPool.builder().size(2).build()) {
            List<TaskResult<String>> results = mapResults(pool, List.of("ok:0", "exit:", "ok:2", "ok:3"));
            WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, results.get(1).failure());
            assertEquals(1, e.inputIndex());
            assertEquals(3, e.exitCode());
            assertTrue(e.signal().isEmpty());
            assertTrue(e.stderrTail().contains("about to exit"), e.stderrTail().toString());
            assertOthersDone(results, 1);
            assertEquals(List.of("done y"), pool.map(FaultTasks::run, List.of("ok:y")));
        }
    }

    @Test
    void map_workerDiesWhileEscapedProcessHoldsItsStdout_inputStillFailsPromptly() throws Exception {
        String seconds = "67.25";
        try (Pool<String, String> pool = ProcessPool.builder().size(1).build()) {
            CompletableFuture<List<TaskResult<String>>> running =
                    CompletableFuture.supplyAsync(() -> mapResults(pool, List.of("escape:" + seconds, "ok:1")));
            List<TaskResult<String>> results = running.get(40, TimeUnit.SECONDS);
            WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, results.get(0).failure());
            assertEquals(3, e.exitCode());
            assertEquals("done 1", results.get(1).value());
        } finally {
            // The escaped process is beyond the pool's reach by design; clean it up here.
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains("sleep " + seconds))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void map_runtimeHaltInTask_failsOnlyItsInput() {
        try (Pool<String, String> pool = ProcessPool.builder().size(1).build()) {
            List<TaskResult<String>> results = mapResults(pool, List.of("ok:0", "halt:", "ok:2"));
            WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, results.get(1).failure());
            assertEquals(5, e.exitCode());
            assertOthersDoneOrLost(results, 1);
        }
    }

    @Test
    void map_outOfMemory_failsOnlyItsInputAndSaysOutOfMemory() {
        try (Pool<String, String> pool = ProcessPool.builder().size(1).addJvmOptions("-Xmx48m").build()) {
            List<TaskResult<String>> results = mapResults(pool, List.of("ok:0", "oom:", "ok:2"));
            WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, results.get(1).failure());
            assertTrue(e.getMessage().contains("out of memory (Java heap space; worker heap -Xmx48m; raise it with "
                    + "ProcessPool.builder().addJvmOptions(\"-Xmx1g\"))"), e.getMessage());
            assertTrue(String.join("\n", e.stderrTail()).contains("OutOfMemoryError"), e.stderrTail().toString());
            assertOthersDoneOrLost(results, 1);
        }
    }

    @Test
    void map_outOfMemoryWithDefaultHeap_saysTheDefaultAndHowToRaiseIt() {
        try (Pool<String, String> pool = ProcessPool.builder().size(1).build()) {
            WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class,
                    mapResults(pool, List.of("oom:")).get(0).failure());
            assertTrue(e.getMessage().contains("out of memory (Java heap space; worker heap -Xmx256m, the default; "
                    + "raise it with ProcessPool.builder().addJvmOptions(\"-Xmx1g\"))"), e.getMessage());
        }
    }

    @Test
    void map_stackOverflow_failsThatInputAsTaskFailureAndWorkerSurvives() {
        try (ProcessPool<String, String> pool = ProcessPool.builder().size(1).build()) {
            List<Long> before = pool.workerPids();
            List<TaskResult<String>> results = mapResults(pool, List.of("ok:0", "recurse:", "ok:2"));
            TaskFailedException e = assertInstanceOf(TaskFailedException.class, results.get(1).failure());
            assertEquals("java.lang.StackOverflowError", e.remoteClassName());
            // Rebuilt as the class the task threw, as a thread pool would give it.
            assertInstanceOf(StackOverflowError.class, e.getCause());
            assertOthersDone(results, 1);
            assertEquals(before, pool.workerPids());
        }
    }

    @Test
    void map_taskPastTimeout_failsWithStuckStackAndPoolStaysUsable() {
        try (Pool<String, String> pool =
                ProcessPool.builder().size(2).taskTimeout(Duration.ofMillis(1500)).build()) {
            List<TaskResult<String>> results = mapResults(pool, List.of("ok:0", "sleep:", "ok:2", "ok:3"));
            TaskTimeoutException e = assertInstanceOf(TaskTimeoutException.class, results.get(1).failure());
            assertEquals(1, e.inputIndex());
            assertTrue(e.taskStackTrace().stream().anyMatch(f -> f.getMethodName().equals("stuckForever")),
                    e.taskStackTrace().toString());
            assertOthersDone(results, 1);
            assertEquals(List.of("done z"), pool.map(FaultTasks::run, List.of("ok:z")));
        }
    }

    @Test
    void map_workerStoppedWithSigstop_isKilledAfterTimeoutAndInputTimesOut() throws Exception {
        Path marker = dir.resolve("stopped");
        try (ProcessPool<String, String> pool =
                ProcessPool.builder().size(1).taskTimeout(Duration.ofSeconds(2)).build()) {
            CompletableFuture<List<TaskResult<String>>> running =
                    CompletableFuture.supplyAsync(() -> mapResults(pool, List.of("block:" + marker, "ok:1")));
            Leftovers.await("the blocking task to start", () -> Files.exists(marker));
            long pid = Long.parseLong(Files.readString(marker));
            // A frozen worker cannot report its own timeout: the parent must notice and kill it.
            assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor());
            List<TaskResult<String>> results = running.get(60, TimeUnit.SECONDS);
            TaskTimeoutException e = assertInstanceOf(TaskTimeoutException.class, results.get(0).failure());
            assertEquals(0, e.inputIndex());
            assertEquals("done 1", results.get(1).value());
            assertFalse(pool.workerPids().contains(pid));
        }
    }

    @Test
    void map_withRetries_reRunsCrashedInputOnFreshWorker() {
        Path marker = dir.resolve("once");
        try (Pool<String, String> pool = ProcessPool.builder().size(1).retries(1).build()) {
            assertEquals(List.of("done 0", "second try", "done 2"),
                    pool.map(FaultTasks::run, List.of("ok:0", "once:" + marker, "ok:2")));
        }
    }

    @Test
    void map_withoutRetries_crashedInputFails() {
        Path marker = dir.resolve("once");
        try (Pool<String, String> pool = ProcessPool.builder().size(1).build()) {
            List<TaskResult<String>> results = mapResults(pool, List.of("ok:0", "once:" + marker));
            WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, results.get(1).failure());
            assertEquals(1, e.inputIndex());
            assertEquals(9, e.exitCode());
            assertOthersDoneOrLost(results, 1);
        }
    }

    @Test
    void build_initializerKeepsFailing_failsFastWithItsException() {
        long start = System.nanoTime();
        PoolException e = assertThrows(PoolException.class, () -> ProcessPool.builder().size(2)
                .initializer(() -> {
                    throw new IllegalStateException("no model here");
                })
                .build());
        assertTrue(e.getMessage().contains("IllegalStateException"), e.getMessage());
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("no model here", cause.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60));
    }

    @Test
    void replacementsKeepFailingToStart_queuedAndLaterWorkFailsFastWithTheReason() {
        String marker = dir.resolve("initialized").toString();
        try (Pool<String, String> pool = ProcessPool.builder().size(1).chunkSize(1)
                .initializer(() -> {
                    Path path = Path.of(marker);
                    if (Files.exists(path)) {
                        throw new IllegalStateException("only the first worker may start");
                    }
                    Files.writeString(path, "started");
                })
                .build()) {
            List<TaskResult<String>> results = mapResults(pool, List.of("ok:0", "exit:", "ok:2", "ok:3"));
            assertEquals("done 0", results.get(0).value());
            assertInstanceOf(WorkerCrashedException.class, results.get(1).failure());
            for (int i = 2; i < 4; i++) {
                PoolException e = results.get(i).failure();
                assertInstanceOf(WorkerCrashedException.class, e);
                assertTrue(e.getMessage().contains("only the first worker may start"), e.getMessage());
            }
            WorkerCrashedException later = assertThrows(WorkerCrashedException.class,
                    () -> pool.map(FaultTasks::run, List.of("ok:4")));
            assertTrue(later.getMessage().contains("giving up"), later.getMessage());
        }
    }

    @Test
    void initializer_runsOnceInEachWorkerBeforeTasks() {
        String value = "ready";
        try (Pool<String, String> pool = ProcessPool.builder().size(2)
                .initializer(() -> System.setProperty("pool4j.test.init", value))
                .build()) {
            assertEquals(List.of("ready", "ready"),
                    pool.map(s -> System.getProperty("pool4j.test.init"), List.of("a", "b")));
        }
    }

    @Test
    void maxTasksPerWorker_replacesWorkers() {
        try (Pool<Integer, Long> pool = ProcessPool.builder().size(1).chunkSize(1).maxTasksPerWorker(2).build()) {
            List<Long> pids = pool.map(Tasks::pid, List.of(1, 2, 3, 4, 5, 6));
            assertEquals(3, pids.stream().distinct().count(), pids.toString());
        }
    }

    /**
     * How long after a process starts the pool has surely recorded it as its worker's: the monitor
     * lists every process about once a second (less often on a loaded machine), so five of those.
     */
    private static final Duration DESCENDANT_SCANS = Duration.ofSeconds(5);

    @Test
    void killedWorker_itsChildProcessesAreKilledToo() throws Exception {
        Path marker = dir.resolve("child");
        try (ProcessPool<String, String> pool = ProcessPool.builder().size(1).build()) {
            CompletableFuture<List<TaskResult<String>>> running =
                    CompletableFuture.supplyAsync(() -> mapResults(pool, List.of("child:" + marker)));
            Leftovers.await("the task to start a child", () -> Files.exists(marker));
            String[] pids = Files.readString(marker).split(" ");
            long worker = Long.parseLong(pids[0]);
            long child = Long.parseLong(pids[1]);
            try {
                Leftovers.await("the child to be the worker's", () -> ProcessHandle.of(worker)
                        .map(w -> w.descendants().anyMatch(p -> p.pid() == child)).orElse(false));
                // Killed from outside, the worker leaves its child to init: the pool can kill only what
                // its monitor recorded before, so the child must be older than a few of its scans.
                // (Its start time from ProcessHandle.info() can be off in a container: this side's clock counts.)
                Instant seen = Instant.now();
                Leftovers.await("the pool's monitor to have scanned the child",
                        () -> Instant.now().isAfter(seen.plus(DESCENDANT_SCANS)));
                ProcessHandle.of(worker).orElseThrow().destroyForcibly();
                List<TaskResult<String>> results = running.get(60, TimeUnit.SECONDS);
                assertInstanceOf(WorkerCrashedException.class, results.get(0).failure());
                Leftovers.await("the child to die", () -> isDead(child));
            } finally {
                ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly); // if the pool did not
            }
        }
    }

    /** Whether a process is gone or a zombie (killed, not yet reaped by its parent, often init). */
    private static boolean isDead(long pid) {
        if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true; // gone between the two looks
        }
    }

    @Test
    void closedPool_killsWhatATaskStarted_evenOnceItLeftTheWorkersTree() throws Exception {
        Path marker = dir.resolve("orphan");
        long orphan = -1;
        try {
            try (ProcessPool<String, String> pool = ProcessPool.builder().size(1).build()) {
                assertEquals("orphaned", mapResults(pool, List.of("orphan:" + marker)).get(0).value());
                orphan = Long.parseLong(Files.readString(marker).trim());
                long worker = pool.workerPids().get(0);
                ProcessHandle adopted = ProcessHandle.of(orphan).orElseThrow();
                assertTrue(adopted.parent().map(p -> p.pid() != worker).orElse(true), "still the worker's child");
                // Scans that no longer find it in the worker's tree must not forget it.
                Thread.sleep(3_000);
            }
            // close() kills it before it returns; init may take a moment to reap it.
            long pid = orphan;
            Leftovers.await("the orphan to die", () -> isDead(pid));
        } finally {
            if (orphan > 0) {
                ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly); // if the pool did not
            }
        }
    }

    @Test
    void stats_listWorkersWithPidAndRss() {
        try (ProcessPool<Integer, Integer> pool = ProcessPool.builder().size(2).build()) {
            pool.map(x -> x + 1, List.of(1, 2, 3, 4));
            Leftovers.await("both workers", () -> pool.stats().workers().size() == 2);
            List<WorkerStats> workers = pool.stats().workers();
            assertEquals(pool.workerPids(), workers.stream().map(WorkerStats::pid).toList());
            assertTrue(workers.stream().allMatch(w -> w.rssBytes() > 1024 * 1024), workers.toString());
            assertEquals(4, workers.stream().mapToLong(WorkerStats::tasksDone).sum());
        }
    }
}
