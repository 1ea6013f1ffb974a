package io.github.pool4j.timing;

/**
 * A source of nanosecond time readings for measuring elapsed time, like Caffeine's {@code Ticker}.
 *
 * <p>Only differences between two readings of the same ticker mean anything. Timings use
 * {@link #system()} ({@link System#nanoTime()}); tests inject a fake ticker so they never sleep:
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * Timer timer = Timed.with(TimingSink.collecting(), now::get);
 * }</pre>
 *
 * <p>Thread-safety: implementations must be safe to call from many threads at once.
 */
@FunctionalInterface
public interface Ticker {

    /**
     * Returns the current reading.
     *
     * @return a time in nanoseconds from an arbitrary origin
     */
    long nanos();

    /**
     * Returns the ticker backed by {@link System#nanoTime()}.
     *
     * @return the system ticker
     */
    static Ticker system() {
        return System::nanoTime;
    }
}

