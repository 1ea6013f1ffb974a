package io.github.pool4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.TaskResult;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.process.ProcessPool;
import io.github.pool4j.thread.ThreadPool;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** How long each timed task runs at least: long enough to tell a measured time from none. */
    private static final long TASK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How often a task waiting for a file (a latch across processes) looks again. */
    private static final long FILE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @TempDir
    Path dir;

    @AfterEach
    void noWorkerProcessLeft() throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (ProcessHandle.current().children().anyMatch(ProcessHandle::isAlive)) {
            assertTrue(Instant.now().isBefore(deadline), "a worker process outlived its pool");
            Thread.onSpinWait();
            ProcessHandle.current().children().findFirst().ifPresent(child -> child.onExit().join());
        }
    }

    private double counter(String name) {
        return registry.get(name).tag("pool", "test").functionCounter().count();
    }

    private double gauge(String name) {
        return registry.get(name).tag("pool", "test").gauge().value();
    }

    @Test
    void threadPool_countsTasksAndTimesCalls() {
        PoolMetrics metrics = PoolMetrics.named("test", Tags.of("app", "demo"));
        try (Pool<Integer, Integer> pool = ThreadPool.builder().size(2).listener(metrics).build()) {
            metrics.monitor(pool).bindTo(registry);
            assertEquals(List.of(2, 3, 4), pool.map(x -> x + 1, List.of(1, 2, 3)));
            List<TaskResult<Integer>> results = pool.mapResults(x -> {
                if (x == 2) {
                    throw new IllegalStateException("two");
                }
                return x;
            }, List.of(1, 2));
            assertTrue(!results.get(1).isSuccess());

            assertEquals(5, counter("pool4j.tasks.submitted"));
            assertEquals(4, counter("pool4j.tasks.completed"));
            assertEquals(1, counter("pool4j.tasks.failed"));
            assertEquals(0, counter("pool4j.tasks.cancelled"));
            assertEquals(0, gauge("pool4j.tasks.pending"));
            assertEquals(0, gauge("pool4j.calls.active"));
            assertEquals(2, gauge("pool4j.workers.size"));
            assertTrue(Double.isNaN(gauge("pool4j.workers.memory.rss")), "threads have no RSS of their own");

            Timer maps = registry.get("pool4j.calls").tags("pool", "test", "operation", "map", "outcome", "success").timer();
            assertEquals(1, maps.count());
            Timer failing = registry.get("pool4j.calls").tags("operation", "mapResults", "outcome", "failure").timer();
            assertEquals(1, failing.count());
            for (Meter meter : registry.getMeters()) {
                assertEquals("demo", meter.getId().getTag("app"), meter.getId().toString());
            }
        }
    }

    @Test
    void threadPool_pendingGaugeSeesRunningInputs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        try (Pool<Integer, Integer> pool = ThreadPool.create(2)) {
            PoolMetrics.of(pool, "test").bindTo(registry);
            var future = pool.mapAsync(x -> {
                running.countDown();
                release.await();
                return x;
            }, List.of(1, 2, 3));
            assertTrue(running.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(3, gauge("pool4j.tasks.pending"));
            assertEquals(1, gauge("pool4j.calls.active"));
            release.countDown();
            assertEquals(List.of(1, 2, 3), future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, gauge("pool4j.tasks.pending"));
            assertEquals(3, counter("pool4j.tasks.completed"));
        }
    }

    @Test
    void processPool_workerCrashShowsInTheCrashCounter_andItsReplacement() throws InterruptedException {
        PoolMetrics metrics = PoolMetrics.named("test");
        CountDownLatch crashed = new CountDownLatch(1);
        PoolListener crashes = new PoolListener() {
            @Override
            public void onWorkerStopped(WorkerStats worker, PoolException cause) {
                if (cause != null) {
                    crashed.countDown();
                }
            }
        };
        try (Pool<Integer, Integer> pool =
                ProcessPool.builder().size(1).listener(PoolListener.of(metrics, crashes)).build()) {
            metrics.monitor(pool).bindTo(registry);
            assertEquals(List.of(1), pool.map(x -> x, List.of(1)));
            assertEquals(1, gauge("pool4j.workers.live"));
            assertTrue(gauge("pool4j.workers.memory.rss") > 1024 * 1024, "a worker JVM takes over a MiB");
            assertEquals(0, counter("pool4j.workers.crashed"));

            WorkerCrashedException crash = assertThrows(WorkerCrashedException.class, () -> pool.map(x -> {
                Runtime.getRuntime().halt(1);
                return x;
            }, List.of(1)));
            assertEquals(1, crash.exitCode());
            // The input fails as soon as the pool sees the pipe close; the worker's stop event follows.
            assertTrue(crashed.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(1, counter("pool4j.workers.crashed"));
            assertEquals(List.of(2), pool.map(x -> x + 1, List.of(1)), "the replacement works");
            assertTrue(counter("pool4j.workers.started") >= 2, "the first worker and its replacement");
            assertEquals(counter("pool4j.workers.started") - 1, counter("pool4j.workers.replaced"));
            assertEquals(1, counter("pool4j.tasks.failed"));
            assertEquals(2, counter("pool4j.tasks.completed"));
        }
    }

    @Test
    void withoutAPool_gaugesReadNaN_andStatsCountersAreAbsent() {
        PoolMetrics metrics = PoolMetrics.named("test");
        metrics.bindTo(registry);
        assertTrue(Double.isNaN(gauge("pool4j.tasks.pending")));
        assertTrue(registry.find("pool4j.tasks.completed").meters().isEmpty());
        assertEquals(0, counter("pool4j.workers.crashed"));
    }

    @Test
    void monitor_refusesASecondPool() {
        try (Pool<Integer, Integer> one = ThreadPool.create(1); Pool<Integer, Integer> two = ThreadPool.create(1)) {
            PoolMetrics metrics = PoolMetrics.of(one, "test");
            assertEquals(metrics, metrics.monitor(one));
            assertThrows(IllegalStateException.class, () -> metrics.monitor(two));
        }
    }

    @Test
    void withAProgressBarToo_throughPoolListenerOf() {
        PoolMetrics metrics = PoolMetrics.named("test");
        try (Pool<Integer, Integer> pool = ThreadPool.builder().size(2)
                .listener(PoolListener.of(metrics, PoolListener.NONE)).build()) {
            metrics.monitor(pool).bindTo(registry);
            pool.map(x -> x, IntStream.range(0, 10).boxed().toList());
            assertEquals(1, registry.get("pool4j.calls").tag("operation", "map").timer().count());
        }
    }

    // ---- queued and running, retries, task times -------------------------------------------------

    /** Waits for a condition the pool reaches on its own (workers starting, taking inputs), bounded. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "never happened: " + what);
            LockSupport.parkNanos(FILE_POLL_NANOS);
        }
    }

    /** A task that runs at least {@link #TASK_NANOS} (not a synchronisation: it gives the timer something to see). */
    static int busy(int x) {
        long end = System.nanoTime() + TASK_NANOS;
        for (long left = TASK_NANOS; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        return x;
    }

    static String busyText(String x) {
        busy(0);
        return x;
    }

    /**
     * Across processes, a file is the latch: {@code "<started dir>|<release file>|<n>"} notes that
     * input n runs, then waits until the release file exists.
     */
    static String blockUntilReleased(String input) throws IOException {
        String[] parts = input.split("\\|");
        Files.createFile(Path.of(parts[0]).resolve(parts[2]));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (Files.notExists(Path.of(parts[1])) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(FILE_POLL_NANOS);
        }
        return parts[2];
    }

    /**
     * Kills its own worker with SIGKILL (from a {@code kill -9} process, as an operator or the OOM
     * killer would) the first time it runs, in the middle of its chunk; the marker survives the
     * worker, so the retry returns.
     */
    static String killOnce(String input) throws IOException, InterruptedException {
        if (input.startsWith("kill:")) {
            Path marker = Path.of(input.substring("kill:".length()));
            if (Files.notExists(marker)) {
                Files.createFile(marker);
                new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
                LockSupport.park(); // the signal arrives; never returns
            }
            return "retried";
        }
        return input;
    }

    @Test
    void threadPool_queuedAndRunningGauges_splitThePendingInputs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bothRunning = new CountDownLatch(2);
        try (Pool<Integer, Integer> pool = ThreadPool.builder().size(2).chunkSize(1).build()) {
            PoolMetrics.of(pool, "test").bindTo(registry);
            var future = pool.mapAsync(x -> {
                bothRunning.countDown();
                release.await();
                return x;
            }, List.of(1, 2, 3, 4, 5));
            try {
                assertTrue(bothRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertEquals(2, gauge("pool4j.tasks.running"), "one input per thread");
                assertEquals(3, gauge("pool4j.tasks.queued"));
                assertEquals(5, gauge("pool4j.tasks.pending"));
            } finally {
                release.countDown(); // also when an assertion failed: close() waits for the tasks
            }
            assertEquals(List.of(1, 2, 3, 4, 5), future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, gauge("pool4j.tasks.running"));
            assertEquals(0, gauge("pool4j.tasks.queued"));
            assertEquals(0, counter("pool4j.tasks.retried"), "threads are never lost and retried");
        }
    }

    @Test
    void threadPool_taskTimer_oneSamplePerInput_eachAtLeastItsRun() {
        PoolMetrics metrics = PoolMetrics.named("test");
        int inputs = 6;
        try (Pool<Integer, Integer> pool = ThreadPool.builder().size(2).chunkSize(2).listener(metrics).build()) {
            metrics.monitor(pool).bindTo(registry);
            long start = System.nanoTime();
            pool.map(PoolMetricsTest::busy, IntStream.range(0, inputs).boxed().toList());
            long wall = System.nanoTime() - start;
            Timer tasks = registry.get("pool4j.tasks.execution").tag("pool", "test").timer();
            assertEquals(inputs, tasks.count());
            assertTrue(tasks.totalTime(TimeUnit.NANOSECONDS) >= inputs * TASK_NANOS, tasks.toString());
            assertTrue(tasks.max(TimeUnit.NANOSECONDS) >= TASK_NANOS);
            // Measured inside the call, on at most two threads at once.
            assertTrue(tasks.totalTime(TimeUnit.NANOSECONDS) <= 2 * wall, tasks.totalTime(TimeUnit.MILLISECONDS) + " ms");
        }
    }

    @Test
    void processPool_queuedAndRunningGauges_whileWorkersBlock() throws Exception {
        Path started = Files.createDirectory(dir.resolve("started"));
        Path release = dir.resolve("release");
        try (Pool<String, String> pool = ProcessPool.builder().size(2).chunkSize(1).build()) {
            PoolMetrics.of(pool, "test").bindTo(registry);
            List<String> inputs = IntStream.range(0, 5).mapToObj(i -> started + "|" + release + "|" + i).toList();
            var future = pool.mapAsync(PoolMetricsTest::blockUntilReleased, inputs);
            try {
                await(() -> fileCount(started) == 2, "both workers run an input");
                // Each worker holds a window of inputs besides the one it runs: they count as queued.
                await(() -> gauge("pool4j.tasks.running") == 2, "both running inputs counted");
                assertEquals(3, gauge("pool4j.tasks.queued"));
                assertEquals(5, gauge("pool4j.tasks.pending"));
            } finally {
                Files.createFile(release); // also when an assertion failed: close() waits for the tasks
            }
            assertEquals(List.of("0", "1", "2", "3", "4"), future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, gauge("pool4j.tasks.running"));
            assertEquals(0, gauge("pool4j.tasks.queued"));
        }
    }

    private static long fileCount(Path dir) {
        try (var files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void processPool_workerKilledMidChunk_retriedCounterMoves_andTheTimerCountsEachInputOnce() {
        PoolMetrics metrics = PoolMetrics.named("test");
        Path marker = dir.resolve("killed");
        List<String> inputs = List.of("a", "kill:" + marker, "c", "d");
        try (Pool<String, String> pool =
                ProcessPool.builder().size(1).chunkSize(inputs.size()).retries(1).listener(metrics).build()) {
            metrics.monitor(pool).bindTo(registry);
            assertEquals(0, counter("pool4j.tasks.retried"));
            long start = System.nanoTime();
            assertEquals(List.of("a", "retried", "c", "d"), pool.map(PoolMetricsTest::killOnce, inputs));
            long wall = System.nanoTime() - start;
            assertTrue(Files.exists(marker), "the worker was killed");
            // The killed input runs again; so does "a" if its result, gathered in the worker, died with it.
            double retried = counter("pool4j.tasks.retried");
            assertTrue(retried >= 1 && retried <= 2, "retried " + retried);
            assertEquals(4, counter("pool4j.tasks.completed"));
            assertEquals(0, counter("pool4j.tasks.failed"));
            await(() -> counter("pool4j.workers.crashed") == 1, "the kill counted as a crash");
            assertEquals(0, gauge("pool4j.tasks.running"), "nothing left running after the retry");
            assertEquals(0, gauge("pool4j.tasks.queued"));

            // Only runs whose result arrived are timed: one sample per input, within the call.
            Timer tasks = registry.get("pool4j.tasks.execution").tag("pool", "test").timer();
            assertEquals(inputs.size(), tasks.count());
            assertTrue(tasks.totalTime(TimeUnit.NANOSECONDS) <= wall, tasks.totalTime(TimeUnit.MILLISECONDS) + " ms");

            // Times measured in the worker: each at least what the task took.
            double before = tasks.totalTime(TimeUnit.NANOSECONDS);
            long busyStart = System.nanoTime();
            pool.map(PoolMetricsTest::busyText, List.of("x", "y", "z"));
            long busyWall = System.nanoTime() - busyStart;
            assertEquals(inputs.size() + 3, tasks.count());
            double busy = tasks.totalTime(TimeUnit.NANOSECONDS) - before;
            assertTrue(busy >= 3 * TASK_NANOS && busy <= busyWall, busy / 1e6 + " ms of " + busyWall / 1e6);
        }
    }
}
