package io.github.pool4j.thread;

import io.github.pool4j.PoolBuilder;
import io.github.pool4j.Task;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.spi.AbstractPool;
import io.github.pool4j.spi.Chunk;
import io.github.pool4j.spi.ChunkRunner;
import io.github.pool4j.spi.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link io.github.pool4j.Pool} whose workers are threads of this JVM: Python's
 * {@code multiprocessing.pool.ThreadPool} for Java.
 *
 * <p>{@link #create(int)} and {@link #builder()} make a pool that owns a fixed set of named,
 * non-daemon threads ({@code pool4j-thread-1}, {@code pool4j-thread-2}, ...) started at once and
 * stopped by {@link #close()}. {@link #wrap(ExecutorService)} borrows an executor instead, virtual
 * thread executors included: the pool sends its work there and never shuts it down.
 *
 * <pre>{@code
 * try (Pool<String, String> pool = ThreadPool.create(3)) {
 *     List<String> greetings = pool.map(name -> "Hi " + name + "!", List.of("Kai", "Tessa", "Jess"));
 * }
 *
 * Pool<Integer, Integer> timed = ThreadPool.builder().size(3).taskTimeout(Duration.ofSeconds(5)).build();
 * }</pre>
 *
 * <p>Inputs travel to the threads in chunks (see {@link PoolBuilder#chunkSize}); each chunk is one
 * task of the executor, and its inputs run one after another in that thread. Tasks share this
 * JVM's memory: they need no serialization, and they must guard shared mutable state themselves.
 *
 * <h2>Timeouts and interrupts</h2>
 * With a {@linkplain PoolBuilder#taskTimeout task timeout}, a task running too long has its input
 * failed with a {@link io.github.pool4j.TaskTimeoutException} and its thread interrupted. A Java
 * thread cannot be killed: a task that ignores interrupts keeps its thread busy until it returns.
 * Interrupting a thread blocked in {@code map} makes {@code map} return promptly with a
 * {@link io.github.pool4j.PoolException} whose cause is the {@link InterruptedException}; the
 * interrupt flag stays set and the call's unstarted inputs are cancelled.
 *
 * <h2>Lifecycle</h2>
 * RUNNING when built. {@link #close()}: SHUTDOWN (new calls fail with
 * {@link io.github.pool4j.PoolClosedException}, accepted inputs finish), then an owned executor is
 * shut down and awaited, then TERMINATED. {@link #terminate()}: TERMINATED at once; pending calls
 * fail with {@code PoolClosedException}; an owned executor is shut down with
 * {@link ExecutorService#shutdownNow()} (running tasks are interrupted) and awaited for a bounded
 * time; on a borrowed executor only this pool's own running tasks are interrupted. A task must not
 * close its own pool (close waits for that task's input). The owner of a borrowed executor must
 * close the pool before shutting the executor down: work the executor drops is never run.
 *
 * <p>Thread-safety: thread-safe; many threads may call the pool at once.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public final class ThreadPool<T, R> extends AbstractPool<T, R> {

    private static final Logger log = LoggerFactory.getLogger(ThreadPool.class);

    /** Bound on how long {@link #terminate()} waits for interrupted threads to end. */
    private static final long TERMINATE_WAIT_SECONDS = 10;

    private final ExecutorService executor;
    /** The threads of an owned executor, for {@link #workerStats()}; empty when borrowed. */
    private final List<Worker> workers;
    /** This pool's chunks queued or running on a borrowed executor, so terminate() can cancel them. */
    private final Set<BorrowedRun> borrowedRuns;
    private final ChunkRunner runner;

    private ThreadPool(PoolOptions options, String threadNamePrefix) {
        super("ThreadPool", options);
        this.runner = new ChunkRunner(threadNamePrefix, options);
        this.workers = new CopyOnWriteArrayList<>();
        AtomicInteger ids = new AtomicInteger();
        ThreadFactory factory = task -> {
            Worker worker = new Worker(task, threadNamePrefix + "-" + ids.incrementAndGet());
            workers.add(worker);
            return worker;
        };
        ThreadPoolExecutor owned = new ThreadPoolExecutor(
                options.size(), options.size(), 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
        // Python's ThreadPool starts its threads up front; so do we, so stats() and ps show them.
        owned.prestartAllCoreThreads();
        this.executor = owned;
        this.borrowedRuns = null;
    }

    private ThreadPool(PoolOptions options, ExecutorService borrowed) {
        super("ThreadPool", options);
        this.runner = new ChunkRunner("pool4j-thread", options);
        this.executor = borrowed;
        this.workers = List.of();
        this.borrowedRuns = ConcurrentHashMap.newKeySet();
    }

    /**
     * Creates a pool that owns {@code size} threads named {@code pool4j-thread-1} .. {@code -size},
     * with every other option at its default.
     *
     * @param size the number of threads, at least 1
     * @param <T> the input type
     * @param <R> the result type
     * @return a new, running pool
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public static <T, R> ThreadPool<T, R> create(int size) {
        return builder().size(size).build();
    }

    /**
     * Returns a builder for a pool that owns its threads.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a pool that runs its tasks on a borrowed executor, which it never shuts down.
     *
     * <p>The pool's size, which sets the automatic chunk size, is the executor's parallelism when
     * known (a {@link ThreadPoolExecutor}'s bounded maximum pool size, a {@link ForkJoinPool}'s
     * parallelism), else the number of available processors. Works with
     * {@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21+.
     *
     * @param executor the executor; its owner shuts it down after closing the pool
     * @param <T> the input type
     * @param <R> the result type
     * @return a new, running pool
     * @throws NullPointerException if {@code executor} is null
     */
    public static <T, R> ThreadPool<T, R> wrap(ExecutorService executor) {
        return wrap(executor, parallelismOf(Objects.requireNonNull(executor, "executor")));
    }

    /**
     * Creates a pool that runs its tasks on a borrowed executor, which it never shuts down,
     * reporting {@code size} as its size (used for the automatic chunk size).
     *
     * @param executor the executor; its owner shuts it down after closing the pool
     * @param size how many tasks the executor runs at once, at least 1
     * @param <T> the input type
     * @param <R> the result type
     * @return a new, running pool
     * @throws NullPointerException if {@code executor} is null
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public static <T, R> ThreadPool<T, R> wrap(ExecutorService executor, int size) {
        return wrap(executor, PoolOptions.ofSize(size));
    }

    /** Wraps with every option; for tests that run the contract suite on borrowed executors. */
    static <T, R> ThreadPool<T, R> wrap(ExecutorService executor, PoolOptions options) {
        return new ThreadPool<>(options, Objects.requireNonNull(executor, "executor"));
    }

    private static int parallelismOf(ExecutorService executor) {
        if (executor instanceof ThreadPoolExecutor tpe && tpe.getMaximumPoolSize() < Integer.MAX_VALUE) {
            return tpe.getMaximumPoolSize();
        }
        if (executor instanceof ForkJoinPool fjp) {
            return fjp.getParallelism();
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Tells whether this pool owns its threads ({@link #create}, {@link #builder}) rather than
     * borrowing an executor ({@link #wrap}).
     *
     * @return {@code true} if {@link #close()} shuts the threads down
     */
    boolean ownsThreads() {
        return borrowedRuns == null;
    }

    @Override
    protected Object prepare(Task<?, ?> task) {
        return task;
    }

    @Override
    protected void dispatch(Chunk chunk) {
        if (borrowedRuns == null) {
            executor.execute(new OwnedRun(chunk));
            return;
        }
        BorrowedRun run = new BorrowedRun(chunk);
        borrowedRuns.add(run);
        try {
            executor.execute(run);
        } catch (RuntimeException e) {
            borrowedRuns.remove(run);
            throw e;
        }
    }

    @Override
    protected void stopWorkers() throws InterruptedException {
        try {
            if (ownsThreads()) {
                executor.shutdown();
                while (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                    log.warn("ThreadPool: still waiting for its threads to finish after close()");
                }
            }
        } finally {
            runner.close();
        }
    }

    @Override
    protected void killWorkers() {
        if (ownsThreads()) {
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(TERMINATE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    log.warn("ThreadPool: threads still running {} s after terminate(): their tasks ignore interrupts",
                            TERMINATE_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            for (BorrowedRun run : borrowedRuns) {
                run.cancel(true);
            }
        }
        runner.close();
    }

    @Override
    protected List<WorkerStats> workerStats() {
        long pid = ProcessHandle.current().pid();
        if (!ownsThreads()) {
            // The borrowed executor's threads are not ours to list: report it as one worker.
            return List.of(new WorkerStats("borrowed " + executor.getClass().getSimpleName(), pid,
                    runner.tasksDone(), -1, !executor.isShutdown()));
        }
        List<WorkerStats> stats = new ArrayList<>(workers.size());
        for (Worker worker : workers) {
            stats.add(new WorkerStats(worker.getName(), pid, worker.tasksDone, -1, worker.isAlive()));
        }
        return stats;
    }

    /** A chunk on an owned executor: counts the inputs each thread runs. */
    private final class OwnedRun implements Runnable {
        private final Chunk chunk;

        OwnedRun(Chunk chunk) {
            this.chunk = chunk;
        }

        @Override
        public void run() {
            if (chunk.isCancelled()) {
                return;
            }
            int ran = runner.run(chunk);
            if (Thread.currentThread() instanceof Worker worker) {
                worker.tasksDone += ran; // only this thread writes it
            }
        }
    }

    /**
     * A chunk on a borrowed executor. A {@link FutureTask}, so {@link #killWorkers()} can interrupt
     * it with {@code cancel(true)}, which interrupts the thread only while it runs this chunk and
     * never a task of the executor's owner that runs later on the same thread.
     */
    private final class BorrowedRun extends FutureTask<Void> {
        BorrowedRun(Chunk chunk) {
            super(() -> {
                if (!chunk.isCancelled()) {
                    runner.run(chunk);
                }
            }, null);
        }

        @Override
        protected void done() {
            borrowedRuns.remove(this);
        }
    }

    /** An owned pool thread. */
    private static final class Worker extends Thread {
        volatile long tasksDone;

        Worker(Runnable task, String name) {
            super(task, name);
        }
    }

    /**
     * Builds a {@link ThreadPool} that owns its threads. Not thread-safe; {@link #build()} copies the
     * options, so a builder can build several pools.
     */
    public static final class Builder extends PoolBuilder<Builder> {

        private String threadNamePrefix = "pool4j-thread";

        private Builder() {}

        /**
         * Sets the prefix of the pool's thread names; threads are named {@code prefix-1},
         * {@code prefix-2}, ... (default {@code pool4j-thread}).
         *
         * @param prefix the prefix, not blank
         * @return this builder
         * @throws NullPointerException if {@code prefix} is null
         * @throws IllegalArgumentException if {@code prefix} is blank
         */
        public Builder threadNamePrefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isBlank()) {
                throw new IllegalArgumentException("threadNamePrefix must not be blank");
            }
            this.threadNamePrefix = prefix;
            return this;
        }

        /**
         * Builds the pool and starts its threads.
         *
         * @param <T> the input type
         * @param <R> the result type
         * @return a new, running pool
         */
        public <T, R> ThreadPool<T, R> build() {
            return new ThreadPool<>(options(), threadNamePrefix);
        }
    }
}
