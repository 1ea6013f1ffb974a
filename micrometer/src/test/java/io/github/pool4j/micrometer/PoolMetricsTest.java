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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

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
}
