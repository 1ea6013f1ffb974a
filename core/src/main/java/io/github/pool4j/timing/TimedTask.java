package io.github.pool4j.timing;

import io.github.pool4j.Task;
import java.util.Objects;

/**
 * A {@link Task} that records how long each call of another task takes: the blog's
 * {@code @timed} applied to the function given to {@code Pool.map}. Made by
 * {@link Timed#task(String, Task)}.
 *
 * <p>It is a plain bean ({@code name} and {@code delegate}, a public no-argument constructor and
 * accessors) so a {@code ProcessPool} can ship it to a worker JVM as a named {@code Task} class,
 * provided its delegate can be shipped too. Its sink and ticker are not part of that state: in
 * this JVM it records to the sink of the {@link Timer} that made it; rebuilt elsewhere (or made
 * with the constructors) it prints {@code name seconds} to {@link System#out} and reads
 * {@link System#nanoTime()}.
 *
 * <pre>{@code
 * List<String> greetings = pool.map(Timed.task("say_hello", Hello::sayHello), names);
 * // each worker prints e.g. "say_hello 10.001234567"
 * }</pre>
 *
 * <p>Thread-safety: {@link #apply} may be called from many threads at once; the setters exist
 * for deserialization and must not be called while the task is in use.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public final class TimedTask<T, R> implements Task<T, R> {

    private static final long serialVersionUID = 1L;

    /** What each timing is called. */
    private String name;
    /** The task being timed. */
    private Task<T, R> delegate;
    private transient TimingSink sink;
    private transient Ticker ticker;

    /** Creates an empty task for deserialization; set its name and delegate before use. */
    public TimedTask() {}

    /**
     * Creates a task that times {@code delegate} and prints to standard output.
     *
     * @param name what to call each timing
     * @param delegate the task to time
     * @throws NullPointerException if {@code name} or {@code delegate} is null
     */
    public TimedTask(String name, Task<T, R> delegate) {
        this.name = Objects.requireNonNull(name, "name");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Calls the delegate task and records how long it took.
     *
     * @param input the input
     * @return what the delegate returned
     * @throws IllegalStateException if the name or the delegate is not set
     * @throws Exception whatever the delegate throws, unchanged, after recording
     */
    @Override
    public R apply(T input) throws Exception {
        String timingName = name;
        Task<T, R> task = delegate;
        if (timingName == null || task == null) {
            throw new IllegalStateException("TimedTask needs a name and a delegate, has " + this);
        }
        TimingSink target = sink != null ? sink : TimingSink.stdout();
        Ticker clock = ticker != null ? ticker : Ticker.system();
        return Timer.time(target, clock, timingName, () -> task.apply(input));
    }

    /**
     * Returns what each timing is called.
     *
     * @return the name, or {@code null} if not set yet
     */
    public String getName() {
        return name;
    }

    /**
     * Sets what each timing is called.
     *
     * @param name the name
     */
    public void setName(String name) {
        this.name = name;
    }

    /**
     * Returns the task being timed.
     *
     * @return the delegate, or {@code null} if not set yet
     */
    public Task<T, R> getDelegate() {
        return delegate;
    }

    /**
     * Sets the task being timed.
     *
     * @param delegate the delegate
     */
    public void setDelegate(Task<T, R> delegate) {
        this.delegate = delegate;
    }

    void useLocally(TimingSink sink, Ticker ticker) {
        this.sink = sink;
        this.ticker = ticker;
    }

    @Override
    public String toString() {
        return "TimedTask[name=" + name + ", delegate=" + delegate + "]";
    }
}
