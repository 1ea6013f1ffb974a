package io.github.pool4j.timing;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the timings measured by {@link Timed}: where the blog's {@code @timed} decorator
 * {@code print}s, pool4j records to a sink.
 *
 * <p>The printing sinks write one line per timing, {@code name seconds} as Python's
 * {@code print(f"{func.__name__} {end - start}")} does, for example {@code run_thread 0.000241258}
 * (see {@link Timed#format(String, Duration)}).
 *
 * <pre>{@code
 * CollectingSink sink = TimingSink.collecting();
 * Timed.with(TimingSink.stdout().andThen(sink)).run("run_thread", () -> startAndJoinThread());
 * Duration elapsed = sink.entries().get(0).elapsed();
 * }</pre>
 *
 * <p>Thread-safety: implementations must accept calls from many threads at once; the sinks
 * returned here do.
 */
@FunctionalInterface
public interface TimingSink {

    /**
     * Records one timing.
     *
     * @param name what was timed
     * @param elapsed how long it took
     */
    void record(String name, Duration elapsed);

    /**
     * Returns a sink that records to this sink, then to {@code next}.
     *
     * @param next the sink to record to second
     * @return the combined sink
     * @throws NullPointerException if {@code next} is null
     */
    default TimingSink andThen(TimingSink next) {
        Objects.requireNonNull(next, "next");
        return (name, elapsed) -> {
            record(name, elapsed);
            next.record(name, elapsed);
        };
    }

    /**
     * Returns a sink that prints {@code name seconds} lines to {@link System#out}.
     *
     * <p>{@code System.out} is looked up at each timing, so output follows a later
     * {@link System#setOut} (a worker process redirects it to its parent).
     *
     * @return the standard output sink
     */
    static TimingSink stdout() {
        return (name, elapsed) -> System.out.println(Timed.format(name, elapsed));
    }

    /**
     * Returns a sink that prints {@code name seconds} lines to {@link System#err}, looked up at
     * each timing.
     *
     * @return the standard error sink
     */
    static TimingSink stderr() {
        return (name, elapsed) -> System.err.println(Timed.format(name, elapsed));
    }

    /**
     * Returns a sink that logs {@code name seconds} at INFO level to the slf4j logger
     * {@code io.github.pool4j.timing.Timed}.
     *
     * @return the logging sink
     */
    static TimingSink slf4j() {
        Logger log = LoggerFactory.getLogger(Timed.class);
        return (name, elapsed) -> {
            if (log.isInfoEnabled()) {
                log.info("{} {}", name, Timed.seconds(elapsed));
            }
        };
    }

    /**
     * Returns a new sink that keeps every timing in memory, for tests and for comparing figures.
     *
     * @return a new, empty collecting sink
     */
    static CollectingSink collecting() {
        return new CollectingSink();
    }
}
