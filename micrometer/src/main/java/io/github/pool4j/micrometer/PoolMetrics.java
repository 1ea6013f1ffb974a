package io.github.pool4j.micrometer;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.PoolStats;
import io.github.pool4j.WorkerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer metrics for any {@link Pool}: a {@link MeterBinder} that is also the pool's
 * {@link PoolListener}.
 *
 * <pre>{@code
 * PoolMetrics metrics = PoolMetrics.named("images");
 * try (Pool<Path, Path> pool = ProcessPool.builder().listener(metrics).build()) {
 *     metrics.monitor(pool).bindTo(registry);    // or new PoolMetrics... in a Spring @Bean
 *     pool.map(Thumbnails::make, files);
 * }
 * }</pre>
 *
 * <p>Every meter carries the tag {@code pool=<name>} (plus the tags given). From
 * {@link Pool#stats()}, read when the registry asks:
 * <ul>
 *   <li>{@code pool4j.tasks.submitted}, {@code pool4j.tasks.completed},
 *       {@code pool4j.tasks.failed} (task exceptions, crashes, timeouts),
 *       {@code pool4j.tasks.cancelled} and {@code pool4j.tasks.retried} (inputs sent to run again
 *       after their worker was lost, see {@link PoolStats#retried()}) (function counters, inputs);
 *   <li>{@code pool4j.tasks.queued} (gauge: inputs waiting for a worker),
 *       {@code pool4j.tasks.running} (gauge: inputs whose task has started, see
 *       {@link PoolStats#running()}), {@code pool4j.tasks.pending} (gauge: the two together),
 *       {@code pool4j.calls.active} (gauge: calls running, an {@code imap} until drained);
 *   <li>{@code pool4j.workers.size} (gauge: the configured number of workers),
 *       {@code pool4j.workers.live} (gauge: workers running now);
 *   <li>{@code pool4j.workers.memory.rss} (gauge, bytes: the resident memory of all worker
 *       processes; NaN where workers are threads of this JVM).
 * </ul>
 * From the listener events, so only when this object is the pool's listener (alone or through
 * {@link PoolListener#of}):
 * <ul>
 *   <li>{@code pool4j.workers.started}, {@code pool4j.workers.crashed} (stopped unexpectedly:
 *       crash, kill, timeout) and {@code pool4j.workers.replaced} (started beyond the pool's
 *       size) (counters);
 *   <li>{@code pool4j.calls} (timer: each {@code map}, {@code imap}, {@code submit}... from start
 *       to end, tagged {@code operation} and {@code outcome=success|failure}, failure meaning at
 *       least one input failed);
 *   <li>{@code pool4j.tasks.execution} (timer: one sample per input whose task ran, how long the
 *       task ran where it ran, as {@link PoolListener#onTaskFinished} reports it; a worker process
 *       times the inputs whose results travel together and gives each an equal share, so the
 *       count and total are exact while the maximum is that of such shares).
 * </ul>
 * Gauges read NaN and stats counters stay absent until a pool is {@linkplain #monitor(Pool)
 * monitored}. Meters hold the pool weakly, as Micrometer's binders do: a pool that was garbage
 * collected reads NaN.
 *
 * <p>Thread-safety: thread-safe. One instance watches one pool; it may be bound to several
 * registries.
 */
public final class PoolMetrics implements MeterBinder, PoolListener {

    private static final String PREFIX = "pool4j.";
    private static final String TASKS = BaseUnits.TASKS;
    private static final String WORKERS = "workers";

    private final Tags tags;
    private final AtomicReference<Pool<?, ?>> pool = new AtomicReference<>();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final LongAdder workersStarted = new LongAdder();
    private final LongAdder workersCrashed = new LongAdder();
    /** Running calls: id to start time and operation. */
    private final Map<Long, RunningCall> calls = new ConcurrentHashMap<>();
    /** The task timer of each registry bound, registered once in {@link #bindTo}. */
    private final List<Timer> taskTimers = new CopyOnWriteArrayList<>();

    private PoolMetrics(String name, Iterable<Tag> tags) {
        Objects.requireNonNull(name, "name");
        this.tags = Tags.of(tags).and("pool", name);
    }

    /**
     * Returns metrics for a pool that is already built. Its stats meters work at once; the
     * event meters (worker starts and crashes, call timer) count only if the returned object is
     * also the pool's listener, so prefer {@link #named(String)} when building the pool.
     *
     * @param pool the pool to watch
     * @param name the value of the {@code pool} tag
     * @return metrics to {@linkplain #bindTo bind}
     * @throws NullPointerException if an argument is null
     */
    public static PoolMetrics of(Pool<?, ?> pool, String name) {
        return new PoolMetrics(name, Tags.empty()).monitor(pool);
    }

    /**
     * Returns metrics to install as a pool's listener before the pool is built; then
     * {@link #monitor(Pool)} the pool.
     *
     * @param name the value of the {@code pool} tag
     * @return new metrics, watching no pool yet
     * @throws NullPointerException if {@code name} is null
     */
    public static PoolMetrics named(String name) {
        return new PoolMetrics(name, Tags.empty());
    }

    /**
     * As {@link #named(String)}, with extra tags on every meter.
     *
     * @param name the value of the {@code pool} tag
     * @param tags more tags, such as the application's
     * @return new metrics, watching no pool yet
     * @throws NullPointerException if an argument is null
     */
    public static PoolMetrics named(String name, Iterable<Tag> tags) {
        return new PoolMetrics(name, Objects.requireNonNull(tags, "tags"));
    }

    /**
     * Sets the pool whose {@link Pool#stats()} the stats meters read.
     *
     * @param pool the pool
     * @return this
     * @throws NullPointerException if {@code pool} is null
     * @throws IllegalStateException if this already watches another pool
     */
    public PoolMetrics monitor(Pool<?, ?> pool) {
        Objects.requireNonNull(pool, "pool");
        if (!this.pool.compareAndSet(null, pool) && this.pool.get() != pool) {
            throw new IllegalStateException("these metrics already watch " + this.pool.get());
        }
        return this;
    }

    /**
     * Registers this pool's meters with {@code registry}.
     *
     * @param registry the registry
     * @throws NullPointerException if {@code registry} is null
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        registries.add(registry);
        statsCounter(registry, "tasks.submitted", "Inputs accepted by the pool", PoolStats::submitted);
        statsCounter(registry, "tasks.completed", "Inputs whose task returned a value", PoolStats::completed);
        statsCounter(registry, "tasks.failed",
                "Inputs whose run failed: task exception, worker crash, timeout, value not transferable",
                PoolStats::failed);
        statsCounter(registry, "tasks.cancelled",
                "Inputs given up on before an outcome of their own (an earlier input failed, a cancelled call)",
                PoolStats::cancelled);
        statsCounter(registry, "tasks.retried", "Inputs sent to run again after the worker running them was lost",
                PoolStats::retried);
        statsGauge(registry, "tasks.queued", TASKS, "Inputs accepted and waiting for a worker", PoolStats::queued);
        statsGauge(registry, "tasks.running", TASKS, "Inputs whose task has started and has no outcome yet",
                PoolStats::running);
        statsGauge(registry, "tasks.pending", TASKS, "Inputs accepted and not finished (queued or running)",
                PoolStats::pending);
        statsGauge(registry, "calls.active", "calls", "Calls accepted and not finished (an imap until drained)",
                PoolStats::activeCalls);
        statsGauge(registry, "workers.size", WORKERS, "Workers the pool is configured to run", PoolStats::size);
        statsGauge(registry, "workers.live", WORKERS, "Workers running now", PoolMetrics::liveWorkers);
        statsGauge(registry, "workers.memory.rss", BaseUnits.BYTES, "Resident memory of the pool's worker processes",
                PoolMetrics::workerRss);
        FunctionCounter.builder(PREFIX + "workers.started", workersStarted, LongAdder::doubleValue)
                .tags(tags).baseUnit(WORKERS).description("Workers started, replacements included")
                .register(registry);
        FunctionCounter.builder(PREFIX + "workers.crashed", workersCrashed, LongAdder::doubleValue)
                .tags(tags).baseUnit(WORKERS)
                .description("Workers that stopped unexpectedly (crash, kill, timeout)")
                .register(registry);
        FunctionCounter.builder(PREFIX + "workers.replaced", workersStarted, started -> replaced(started.sum()))
                .tags(tags).baseUnit(WORKERS).description("Workers started to replace one that stopped")
                .register(registry);
        taskTimers.add(Timer.builder(PREFIX + "tasks.execution")
                .tags(tags)
                .description("How long each input's task ran, measured where it ran")
                .register(registry));
    }

    private void statsCounter(MeterRegistry registry, String name, String description, ToDoubleFunction<PoolStats> value) {
        Pool<?, ?> watched = pool.get();
        if (watched == null) {
            return; // a function counter cannot change its source later; monitor() first
        }
        FunctionCounter.builder(PREFIX + name, watched, p -> value.applyAsDouble(p.stats()))
                .tags(tags).baseUnit(TASKS).description(description).register(registry);
    }

    private void statsGauge(
            MeterRegistry registry, String name, String unit, String description, ToDoubleFunction<PoolStats> value) {
        Gauge.builder(PREFIX + name, pool, ref -> {
                    Pool<?, ?> watched = ref.get();
                    return watched == null ? Double.NaN : value.applyAsDouble(watched.stats());
                })
                .tags(tags).baseUnit(unit).description(description).strongReference(true).register(registry);
    }

    private double replaced(long started) {
        Pool<?, ?> watched = pool.get();
        return watched == null ? 0 : Math.max(0, started - watched.size());
    }

    private static double liveWorkers(PoolStats stats) {
        return stats.workers().stream().filter(WorkerStats::alive).count();
    }

    /** The summed RSS of live workers whose RSS is known, or NaN if none is (threads share this JVM's). */
    private static double workerRss(PoolStats stats) {
        long sum = 0;
        boolean known = false;
        for (WorkerStats worker : stats.workers()) {
            if (worker.alive() && worker.rssBytes() >= 0) {
                sum += worker.rssBytes();
                known = true;
            }
        }
        return known ? sum : Double.NaN;
    }

    @Override
    public void onCallStarted(long callId, String operation, long total) {
        calls.put(callId, new RunningCall(System.nanoTime(), operation));
    }

    @Override
    public void onCallEnded(long callId, long failed) {
        RunningCall call = calls.remove(callId);
        if (call == null) {
            return;
        }
        long nanos = System.nanoTime() - call.startNanos;
        for (MeterRegistry registry : registries) {
            Timer.builder(PREFIX + "calls")
                    .tags(tags)
                    .tag("operation", call.operation)
                    .tag("outcome", failed > 0 ? "failure" : "success")
                    .description("Pool calls (map, imap, submit, ...) from start to end")
                    .register(registry)
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onTaskFinished(long callId, Duration duration) {
        for (Timer timer : taskTimers) {
            timer.record(duration);
        }
    }

    @Override
    public void onWorkerStarted(WorkerStats worker) {
        workersStarted.increment();
    }

    @Override
    public void onWorkerStopped(WorkerStats worker, PoolException cause) {
        if (cause != null) {
            workersCrashed.increment();
        }
    }

    @Override
    public String toString() {
        return "PoolMetrics" + tags;
    }

    private record RunningCall(long startNanos, String operation) {}
}
