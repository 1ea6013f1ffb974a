package io.github.pool4j;

import io.github.pool4j.spi.AbstractPool;
import io.github.pool4j.spi.Chunk;
import io.github.pool4j.spi.ChunkRunner;
import io.github.pool4j.spi.PoolOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Pool} that runs every task in the calling thread, one input after another.
 *
 * <p>It is the reference implementation of the {@code Pool} contract (results, failures, ordering
 * and lifecycle behave exactly as in the concurrent pools, minus the concurrency) and a debugging
 * aid: swap it in to get plain stack traces and breakpoints that hit in the caller's thread.
 * {@code map}, {@code mapAsync} and {@code submit} have run every input by the time they return;
 * {@code imap} runs a few inputs (its window) at a time, when the iterator asks for the next result.
 * With a task timeout, a watchdog thread interrupts the caller's thread when a task runs too long.
 * Interrupting the caller stops the call before its next input. {@link #terminate()} from another
 * thread cancels the inputs not started; it does not interrupt the caller's running task.
 *
 * <pre>{@code
 * try (Pool<Integer, Integer> pool = SerialPool.create()) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 * }
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; concurrent calls each run in their own caller's thread.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public final class SerialPool<T, R> implements Pool<T, R> {

    /** Held, not extended, so this class shows only the Pool operations and no engine hook. */
    private final Engine<T, R> engine;

    private SerialPool(PoolOptions options) {
        this.engine = new Engine<>(options);
    }

    /**
     * Creates a pool that runs tasks in the caller's thread.
     *
     * @param <T> the input type
     * @param <R> the result type
     * @return a new pool of size 1
     */
    public static <T, R> SerialPool<T, R> create() {
        return new SerialPool<>(PoolOptions.ofSize(1));
    }

    /**
     * Returns a builder for a pool that runs tasks in the caller's thread; its size is reported
     * by {@link #size()} and used to compute automatic chunk sizes, but only one thread runs tasks.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The options this pool was built with; for tests. */
    PoolOptions options() {
        return engine.optionsForTests();
    }

    // ---- Pool: every call goes to the engine --------------------------------------------------

    @Override
    public List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return engine.map(task, inputs, options);
    }

    @Override
    public ResultIterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return engine.imap(task, inputs, options);
    }

    @Override
    public ResultIterator<R> imapUnordered(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return engine.imapUnordered(task, inputs, options);
    }

    @Override
    public CompletableFuture<R> submit(Task<? super T, ? extends R> task, T input, CallOptions options) {
        return engine.submit(task, input, options);
    }

    @Override
    public CompletableFuture<List<R>> mapAsync(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return engine.mapAsync(task, inputs, options);
    }

    @Override
    public List<TaskResult<R>> mapResults(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return engine.mapResults(task, inputs, options);
    }

    @Override
    public <A, B> Pool<A, B> typed() {
        // A view of this pool, not of the engine: it prints and compares as this pool's view.
        return Pool.super.typed();
    }

    @Override
    public int size() {
        return engine.size();
    }

    @Override
    public PoolStats stats() {
        return engine.stats();
    }

    @Override
    public boolean isClosed() {
        return engine.isClosed();
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public void terminate() {
        engine.terminate();
    }

    /**
     * Returns the pool's name, size and state, such as {@code SerialPool[size=1, RUNNING]}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return engine.toString();
    }

    /** The engine, running each chunk in the caller's thread. */
    private static final class Engine<T, R> extends AbstractPool<T, R> {

        private final ChunkRunner runner;

        Engine(PoolOptions options) {
            super("SerialPool", options);
            this.runner = new ChunkRunner("pool4j-serial", options);
        }

        @Override
        protected Object prepare(Task<?, ?> task) {
            return task;
        }

        @Override
        protected void dispatch(Chunk chunk) {
            runner.run(chunk);
        }

        @Override
        protected void stopWorkers() {
            runner.close();
        }

        @Override
        protected void killWorkers() {
            runner.close();
        }

        @Override
        protected List<WorkerStats> workerStats() {
            return List.of(new WorkerStats("caller", ProcessHandle.current().pid(), runner.tasksDone(), -1, !isClosed()));
        }

        /** Widens the engine's options to this file, for {@link SerialPool#options()}. */
        PoolOptions optionsForTests() {
            return options();
        }
    }

    /**
     * Builds a {@link SerialPool}. Not thread-safe.
     */
    public static final class Builder extends PoolBuilder<Builder> {

        private Builder() {
            size(1);
        }

        /**
         * Builds the pool.
         *
         * @param <T> the input type
         * @param <R> the result type
         * @return a new pool
         */
        public <T, R> SerialPool<T, R> build() {
            return new SerialPool<>(options());
        }
    }
}
