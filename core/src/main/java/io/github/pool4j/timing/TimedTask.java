package io.github.pool4j.timing;

import io.github.pool4j.Task;
import io.github.pool4j.WrappingTask;
import java.util.Objects;

/**
 * A {@link Task} that records how long each call of another task takes: the blog's
 * {@code @timed} applied to the function given to {@code Pool.map}. Made by
 * {@link Timed#task(String, Task)}.
 *
 * <p>Its state is its {@link #name()} and the task it {@linkplain #wrapped() wraps}; a
 * {@code ProcessPool} ships both to a worker JVM, provided the wrapped task can be shipped too. Its
 * sink and ticker are not part of that state: in this JVM it records to the sink of the
 * {@link Timer} that made it; rebuilt elsewhere (or made with the public constructor) it prints
 * {@code name seconds} to {@link System#out} and reads {@link System#nanoTime()}.
 *
 * <pre>{@code
 * List<String> greetings = pool.map(Timed.task("say_hello", Hello::sayHello), names);
 * // each worker prints e.g. "say_hello 10.001234567"
 * }</pre>
 *
 * <p>Thread-safety: immutable; {@link #apply} may be called from many threads at once.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public final class TimedTask<T, R> implements WrappingTask<T, R> {

    private static final long serialVersionUID = 1L;

    /** What each timing is called. */
    private final String name;
    /** The task being timed. */
    private final Task<T, R> delegate;
    /** Where timings go in the JVM that made this task; null where it was rebuilt (stdout). */
    private final transient TimingSink sink;
    /** The clock in the JVM that made this task; null where it was rebuilt (nanoTime). */
    private final transient Ticker ticker;

    /**
     * Creates a task that times {@code delegate} and prints to standard output.
     *
     * @param name what to call each timing
     * @param delegate the task to time
     * @throws NullPointerException if {@code name} or {@code delegate} is null
     */
    public TimedTask(String name, Task<T, R> delegate) {
        this(name, delegate, null, null);
    }

    TimedTask(String name, Task<T, R> delegate, TimingSink sink, Ticker ticker) {
        this.name = Objects.requireNonNull(name, "name");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.sink = sink;
        this.ticker = ticker;
    }

    /**
     * Calls the wrapped task and records how long it took.
     *
     * @param input the input
     * @return what the wrapped task returned
     * @throws Exception whatever the wrapped task throws, unchanged, after recording
     */
    @Override
    public R apply(T input) throws Exception {
        TimingSink target = sink != null ? sink : TimingSink.stdout();
        Ticker clock = ticker != null ? ticker : Ticker.system();
        return Timer.time(target, clock, name, () -> delegate.apply(input));
    }

    /**
     * Returns what each timing is called.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the task being timed.
     *
     * @return the wrapped task
     */
    @Override
    public Task<T, R> wrapped() {
        return delegate;
    }

    @Override
    public String toString() {
        return "TimedTask[name=" + name + ", delegate=" + delegate + "]";
    }
}
