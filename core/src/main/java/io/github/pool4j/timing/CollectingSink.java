package io.github.pool4j.timing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link TimingSink} that keeps every timing in memory, in the order recorded.
 *
 * <pre>{@code
 * CollectingSink sink = TimingSink.collecting();
 * Timed.with(sink).run("run_thread", action);
 * Duration elapsed = sink.entries().get(0).elapsed();
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; {@link #entries()} returns a snapshot.
 */
public final class CollectingSink implements TimingSink {

    /**
     * One recorded timing.
     *
     * @param name what was timed
     * @param elapsed how long it took
     */
    public record Entry(String name, Duration elapsed) {

        /**
         * Checks the components.
         *
         * @param name what was timed
         * @param elapsed how long it took
         * @throws NullPointerException if {@code name} or {@code elapsed} is null
         */
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(elapsed, "elapsed");
        }

        /** Returns the entry as the printing sinks print it: {@code name seconds}. */
        @Override
        public String toString() {
            return Timed.format(name, elapsed);
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    CollectingSink() {}

    /**
     * Keeps the timing.
     *
     * @throws NullPointerException if {@code name} or {@code elapsed} is null
     */
    @Override
    public void record(String name, Duration elapsed) {
        Entry entry = new Entry(name, elapsed);
        synchronized (entries) {
            entries.add(entry);
        }
    }

    /**
     * Returns the timings recorded so far, oldest first.
     *
     * @return an immutable snapshot
     */
    public List<Entry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /**
     * Returns the durations recorded under {@code name}, oldest first.
     *
     * @param name the name to look for
     * @return an immutable list, empty if nothing was recorded under that name
     */
    public List<Duration> durations(String name) {
        List<Duration> found = new ArrayList<>();
        for (Entry entry : entries()) {
            if (entry.name().equals(name)) {
                found.add(entry.elapsed());
            }
        }
        return List.copyOf(found);
    }

    /** Forgets every timing recorded so far. */
    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    @Override
    public String toString() {
        return "CollectingSink" + entries();
    }
}
