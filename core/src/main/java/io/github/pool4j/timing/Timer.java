package io.github.pool4j.timing;

import io.github.pool4j.Pool;
import io.github.pool4j.Task;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Times actions, tasks and pools, recording each timing to one {@link TimingSink} with one
 * {@link Ticker}: the instance form of {@link Timed}, obtained from {@link Timed#with}.
 *
 * <p>Every method records exactly one timing per action, also when the action throws; the
 * exception then reaches the caller unchanged (if the sink throws too, its exception is added to
 * the action's as {@linkplain Throwable#addSuppressed suppressed}). If only the sink throws, its
 * exception reaches the caller.
 *
 * <pre>{@code
 * CollectingSink sink = TimingSink.collecting();
 * Timer timer = Timed.with(sink);
 * List<String> greetings = timer.get("say_hello", () -> pool.map(Hello::sayHello, names));
 * }</pre>
 *
 * <p>Thread-safety: immutable and thread-safe if its sink and ticker are.
 */
public final class Timer {

    private final TimingSink sink;
    private final Ticker ticker;

    Timer(TimingSink sink, Ticker ticker) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Runs {@code action} and records how long it took under {@code name}.
     *
     * @param name what to call the timing
     * @param action the action to run
     * @throws NullPointerException if {@code name} or {@code action} is null
     * @throws RuntimeException whatever {@code action} throws, unchanged, after recording
     */
    public void run(String name, Runnable action) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        long start = ticker.nanos();
        Throwable failure = null;
        try {
            action.run();
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            finish(name, start, failure);
        }
    }

    /**
     * Calls {@code action}, records how long it took under {@code name} and returns its result.
     *
     * @param name what to call the timing
     * @param action the action to call
     * @param <V> the result type
     * @return what {@code action} returned
     * @throws NullPointerException if {@code name} or {@code action} is null
     * @throws Exception whatever {@code action} throws, unchanged (checked ones included), after
     *     recording
     */
    public <V> V call(String name, Callable<V> action) throws Exception {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        return time(sink, ticker, name, action);
    }

    /**
     * Gets a value from {@code action}, records how long it took under {@code name} and returns
     * the value.
     *
     * @param name what to call the timing
     * @param action the action to call
     * @param <V> the result type
     * @return what {@code action} returned
     * @throws NullPointerException if {@code name} or {@code action} is null
     * @throws RuntimeException whatever {@code action} throws, unchanged, after recording
     */
    public <V> V get(String name, Supplier<V> action) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        long start = ticker.nanos();
        Throwable failure = null;
        try {
            return action.get();
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            finish(name, start, failure);
        }
    }

    /**
     * Returns a task that records how long each call of {@code task} takes, under {@code name}.
     *
     * <p>In this JVM (a {@code SerialPool} or {@code ThreadPool}) timings go to this timer's sink.
     * A sink cannot travel to another JVM: when a {@code ProcessPool} ships the returned
     * {@link TimedTask} to a worker, the worker prints its timings to its standard output, which
     * the pool forwards to the parent's.
     *
     * @param name what to call each timing
     * @param task the task to time
     * @param <T> the input type
     * @param <R> the result type
     * @return the timed task
     * @throws NullPointerException if {@code name} or {@code task} is null
     */
    public <T, R> TimedTask<T, R> task(String name, Task<T, R> task) {
        return new TimedTask<>(name, task, sink, ticker);
    }

    /**
     * Returns a pool that forwards every method to {@code pool} and records how long each call
     * takes, named after the method: {@code map}, {@code mapResults}, {@code mapAsync},
     * {@code submit}, {@code imap}, {@code imapUnordered}.
     *
     * <p>{@code map} and {@code mapResults} are timed until they return or throw;
     * {@code mapAsync} and {@code submit} until their future completes (the returned future
     * completes after the timing is recorded; cancelling it cancels the pool's future);
     * {@code imap} and {@code imapUnordered} until the iterator reports no more results or is
     * closed (an iterator abandoned before either records nothing). {@code size}, {@code stats},
     * {@code isClosed}, {@code close} and {@code terminate} are forwarded untimed.
     *
     * @param pool the pool to time
     * @param <T> the input type
     * @param <R> the result type
     * @return the timing decorator; closing it closes {@code pool}
     * @throws NullPointerException if {@code pool} is null
     */
    public <T, R> Pool<T, R> pool(Pool<T, R> pool) {
        return new TimedPool<>(pool, this);
    }

    /**
     * Returns the sink this timer records to.
     *
     * @return the sink
     */
    public TimingSink sink() {
        return sink;
    }

    /**
     * Returns the ticker this timer reads.
     *
     * @return the ticker
     */
    public Ticker ticker() {
        return ticker;
    }

    @Override
    public String toString() {
        return "Timer[sink=" + sink + ", ticker=" + ticker + "]";
    }

    // ---- shared by the decorators ----------------------------------------------------------

    long start() {
        return ticker.nanos();
    }

    /** Records a synchronous call; see {@link #record}. */
    void finish(String name, long start, Throwable failure) {
        Throwable sinkFailure = record(sink, ticker, name, start, failure);
        if (sinkFailure != null && failure == null) {
            throwUnchecked(sinkFailure);
        }
    }

    /**
     * Returns a future that completes like {@code inner}, once its timing is recorded, and whose
     * cancellation cancels {@code inner}.
     */
    <V> CompletableFuture<V> finishWhenDone(String name, long start, CompletableFuture<V> inner) {
        CompletableFuture<V> outer = new CompletableFuture<>();
        outer.whenComplete((value, failure) -> {
            if (outer.isCancelled()) {
                inner.cancel(true);
            }
        });
        inner.whenComplete((value, failure) -> {
            Throwable sinkFailure = record(sink, ticker, name, start, failure);
            if (failure != null) {
                outer.completeExceptionally(failure);
            } else if (sinkFailure != null) {
                outer.completeExceptionally(sinkFailure);
            } else {
                outer.complete(value);
            }
        });
        return outer;
    }

    /** Times {@code action} with the given sink and ticker; shared with {@link TimedTask}. */
    static <V> V time(TimingSink sink, Ticker ticker, String name, Callable<V> action) throws Exception {
        long start = ticker.nanos();
        Throwable failure = null;
        try {
            return action.call();
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            Throwable sinkFailure = record(sink, ticker, name, start, failure);
            if (sinkFailure != null && failure == null) {
                throwUnchecked(sinkFailure);
            }
        }
    }

    /**
     * Records one timing, never letting a failing sink hide the action's own failure.
     *
     * @return the sink's failure, already attached to {@code failure} as suppressed if there is
     *     one, or {@code null}
     */
    private static Throwable record(TimingSink sink, Ticker ticker, String name, long start, Throwable failure) {
        Duration elapsed = Duration.ofNanos(ticker.nanos() - start);
        try {
            sink.record(name, elapsed);
            return null;
        } catch (Throwable sinkFailure) {
            if (failure != null && failure != sinkFailure) {
                failure.addSuppressed(sinkFailure);
            }
            return sinkFailure;
        }
    }

    /** Rethrows what a sink threw: {@link TimingSink#record} declares no checked exception. */
    private static void throwUnchecked(Throwable sinkFailure) {
        if (sinkFailure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (sinkFailure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("timing sink failed", sinkFailure);
    }
}
