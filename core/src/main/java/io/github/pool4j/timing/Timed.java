package io.github.pool4j.timing;

import io.github.pool4j.Pool;
import io.github.pool4j.Task;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Times actions, tasks and pools like the blog's Python {@code @timed} decorator, which prints
 * {@code name seconds} after each call.
 *
 * <pre>{@code
 * Timed.call("run_thread", () -> {          // prints e.g. "run_thread 0.000241258"
 *     Thread thread = new Thread(() -> {});
 *     thread.start();
 *     thread.join();
 *     return thread;
 * });
 * Pool<String, String> pool = Timed.pool(ThreadPool.create(3));   // prints "map 10.00123"
 * pool.map(Timed.task("say_hello", Hello::sayHello), List.of("Kai", "Tessa", "Jess"));
 * }</pre>
 *
 * <p>The static methods print to {@link System#out} ({@link TimingSink#stdout()}) and read
 * {@link System#nanoTime()}; the overloads taking a {@link TimingSink} record there instead, and
 * {@link #with(TimingSink, Ticker)} gives a {@link Timer} with a chosen sink and clock (a fake
 * ticker in tests). Each timed action records exactly one timing, also when it throws; its
 * exception reaches the caller unchanged.
 *
 * <p>Thread-safety: all methods are thread-safe.
 */
public final class Timed {

    private static final Timer STDOUT = new Timer(TimingSink.stdout(), Ticker.system());

    private Timed() {}

    /**
     * Returns a timer that records to {@code sink}, reading {@link System#nanoTime()}.
     *
     * @param sink where timings go
     * @return the timer
     * @throws NullPointerException if {@code sink} is null
     */
    public static Timer with(TimingSink sink) {
        return new Timer(sink, Ticker.system());
    }

    /**
     * Returns a timer that records to {@code sink}, reading {@code ticker}.
     *
     * @param sink where timings go
     * @param ticker the clock to read, {@link Ticker#system()} outside tests
     * @return the timer
     * @throws NullPointerException if {@code sink} or {@code ticker} is null
     */
    public static Timer with(TimingSink sink, Ticker ticker) {
        return new Timer(sink, ticker);
    }

    /**
     * Runs {@code action} and prints {@code name seconds} to standard output.
     *
     * @param name what to call the timing
     * @param action the action to run
     * @throws NullPointerException if {@code name} or {@code action} is null
     * @throws RuntimeException whatever {@code action} throws, unchanged, after printing
     * @see Timer#run
     */
    public static void run(String name, Runnable action) {
        STDOUT.run(name, action);
    }

    /**
     * Runs {@code action} and records how long it took to {@code sink}.
     *
     * @param sink where the timing goes
     * @param name what to call the timing
     * @param action the action to run
     * @throws NullPointerException if an argument is null
     * @throws RuntimeException whatever {@code action} throws, unchanged, after recording
     */
    public static void run(TimingSink sink, String name, Runnable action) {
        with(sink).run(name, action);
    }

    /**
     * Calls {@code action}, prints {@code name seconds} to standard output and returns the result.
     *
     * @param name what to call the timing
     * @param action the action to call
     * @param <V> the result type
     * @return what {@code action} returned
     * @throws NullPointerException if {@code name} or {@code action} is null
     * @throws Exception whatever {@code action} throws, unchanged, after printing
     */
    public static <V> V call(String name, Callable<V> action) throws Exception {
        return STDOUT.call(name, action);
    }

    /**
     * Calls {@code action}, records how long it took to {@code sink} and returns the result.
     *
     * @param sink where the timing goes
     * @param name what to call the timing
     * @param action the action to call
     * @param <V> the result type
     * @return what {@code action} returned
     * @throws NullPointerException if an argument is null
     * @throws Exception whatever {@code action} throws, unchanged, after recording
     */
    public static <V> V call(TimingSink sink, String name, Callable<V> action) throws Exception {
        return with(sink).call(name, action);
    }

    /**
     * Gets a value from {@code action}, prints {@code name seconds} to standard output and
     * returns the value; for actions without checked exceptions.
     *
     * @param name what to call the timing
     * @param action the action to call
     * @param <V> the result type
     * @return what {@code action} returned
     * @throws NullPointerException if {@code name} or {@code action} is null
     * @throws RuntimeException whatever {@code action} throws, unchanged, after printing
     */
    public static <V> V get(String name, Supplier<V> action) {
        return STDOUT.get(name, action);
    }

    /**
     * Gets a value from {@code action}, records how long it took to {@code sink} and returns it.
     *
     * @param sink where the timing goes
     * @param name what to call the timing
     * @param action the action to call
     * @param <V> the result type
     * @return what {@code action} returned
     * @throws NullPointerException if an argument is null
     * @throws RuntimeException whatever {@code action} throws, unchanged, after recording
     */
    public static <V> V get(TimingSink sink, String name, Supplier<V> action) {
        return with(sink).get(name, action);
    }

    /**
     * Returns a task that prints {@code name seconds} to standard output after each call of
     * {@code task}, in whatever JVM it runs (worker processes included).
     *
     * @param name what to call each timing
     * @param task the task to time
     * @param <T> the input type
     * @param <R> the result type
     * @return the timed task
     * @throws NullPointerException if {@code name} or {@code task} is null
     * @see Timer#task
     */
    public static <T, R> TimedTask<T, R> task(String name, Task<T, R> task) {
        return STDOUT.task(name, task);
    }

    /**
     * Returns a task that records how long each call of {@code task} takes to {@code sink} when it
     * runs in this JVM, and prints to standard output when it runs in a worker process.
     *
     * @param sink where timings go in this JVM
     * @param name what to call each timing
     * @param task the task to time
     * @param <T> the input type
     * @param <R> the result type
     * @return the timed task
     * @throws NullPointerException if an argument is null
     * @see Timer#task
     */
    public static <T, R> TimedTask<T, R> task(TimingSink sink, String name, Task<T, R> task) {
        return with(sink).task(name, task);
    }

    /**
     * Returns a pool that forwards every method to {@code pool} and prints {@code map seconds},
     * {@code submit seconds} (and so on for each call that runs tasks) to standard output.
     *
     * @param pool the pool to time
     * @param <T> the input type
     * @param <R> the result type
     * @return the timing decorator; closing it closes {@code pool}
     * @throws NullPointerException if {@code pool} is null
     * @see Timer#pool
     */
    public static <T, R> Pool<T, R> pool(Pool<T, R> pool) {
        return STDOUT.pool(pool);
    }

    /**
     * Returns a pool that forwards every method to {@code pool} and records how long each call
     * that runs tasks takes to {@code sink}.
     *
     * @param sink where timings go
     * @param pool the pool to time
     * @param <T> the input type
     * @param <R> the result type
     * @return the timing decorator; closing it closes {@code pool}
     * @throws NullPointerException if an argument is null
     * @see Timer#pool
     */
    public static <T, R> Pool<T, R> pool(TimingSink sink, Pool<T, R> pool) {
        return with(sink).pool(pool);
    }

    /**
     * Formats a timing as the printing sinks print it: {@code name}, a space, and
     * {@linkplain #seconds(Duration) the seconds}, e.g. {@code run_thread 0.000241258}.
     *
     * @param name what was timed
     * @param elapsed how long it took
     * @return the line, without a line separator
     * @throws NullPointerException if {@code elapsed} is null
     */
    public static String format(String name, Duration elapsed) {
        return name + " " + seconds(elapsed);
    }

    /**
     * Formats a duration in seconds as Python prints a float of seconds: a plain decimal with a
     * {@code '.'} whatever the default locale, no exponent, up to 9 fractional digits (nanosecond
     * precision), trailing zeros dropped but at least one kept: {@code 0.000241258}, {@code 1.5},
     * {@code 10.0}.
     *
     * @param elapsed the duration
     * @return the seconds as text
     * @throws NullPointerException if {@code elapsed} is null
     */
    public static String seconds(Duration elapsed) {
        Objects.requireNonNull(elapsed, "elapsed");
        BigDecimal seconds = BigDecimal.valueOf(elapsed.getSeconds())
                .add(BigDecimal.valueOf(elapsed.getNano(), 9))
                .stripTrailingZeros();
        if (seconds.scale() < 1) {
            seconds = seconds.setScale(1);
        }
        return seconds.toPlainString();
    }
}
