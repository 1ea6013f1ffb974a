package io.github.pool4j.thread;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.PoolBuilder;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolStats;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.Task;
import io.github.pool4j.TaskResult;
import io.github.pool4j.WorkerInitializer;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.spi.AbstractPool;
import io.github.pool4j.spi.Chunk;
import io.github.pool4j.spi.ChunkRunner;
import io.github.pool4j.spi.PoolOptions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link io.github.pool4j.Pool} whose workers are threads of this JVM: Python's
 * {@code multiprocessing.pool.ThreadPool} for Java.
 *
 * <p>{@link #create(int)} and {@link #builder()} make a pool that owns a fixed set of named daemon
 * threads ({@code pool4j-thread-1}, {@code pool4j-thread-2}, ...) started at once and stopped by
 * {@link #close()}; as in Python, they never keep the JVM alive. {@link #wrap(ExecutorService)} borrows an executor instead, virtual
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
 * <p>Inputs travel to the threads in chunks (see {@link PoolBuilder#chunkSize}) through the pool's
 * own lock-free queue; at most {@code size} tasks of the executor take chunks from it, and a
 * chunk's inputs run one after another in one thread. Tasks share this
 * JVM's memory: they need no serialization, and they must guard shared mutable state themselves.
 *
 * <h2>Timeouts and interrupts</h2>
 * With a {@linkplain PoolBuilder#taskTimeout task timeout}, a task running too long has its input
 * failed with a {@link io.github.pool4j.TaskTimeoutException} and its thread interrupted. A Java
 * thread cannot be killed: a task that ignores the interrupt keeps its thread. If it still runs
 * {@link ChunkRunner#GIVE_UP_AFTER} later, the pool gives that thread up: the rest of its chunk
 * runs on other threads, and a pool that owns its threads starts a new one so it keeps its size.
 * At most {@link Builder#maxStuckThreads} given-up threads that are still stuck are replaced (by
 * default as many as the pool's size); one more, and the pool is broken: the inputs it holds and
 * every later input fail with a {@link io.github.pool4j.PoolException} saying so, and the pool
 * should be closed. A given-up thread that finally returns from its task ends. Neither
 * {@link #close()} nor {@link #terminate()} waits for a given-up thread.
 *
 * <p>On a borrowed executor ({@link #wrap}) the threads are its owner's: a given-up thread is not
 * replaced by the pool (the rest of its chunk waits for a free thread of the executor), and it stays
 * busy until its task returns; {@code close()} still does not wait for it.
 * Interrupting a thread blocked in {@code map} makes {@code map} return promptly with a
 * {@link io.github.pool4j.PoolException} whose cause is the {@link InterruptedException}; the
 * interrupt flag stays set and the call's unstarted inputs are cancelled.
 *
 * <h2>Lifecycle</h2>
 * RUNNING when built. {@link #close()}: SHUTDOWN (new calls fail with
 * {@link io.github.pool4j.PoolClosedException}, accepted inputs finish), then the owned threads
 * are stopped and awaited (but given-up ones), then TERMINATED. With a task timeout, {@code close()}
 * returns within that timeout plus {@link ChunkRunner#GIVE_UP_AFTER} once the accepted inputs are
 * done. {@link #terminate()}: TERMINATED at once; pending calls fail with
 * {@code PoolClosedException}; owned threads are interrupted and awaited for at most
 * {@link #TERMINATE_WAIT} (a thread still running then is left behind; it is a daemon); on a
 * borrowed executor only this pool's own running tasks are interrupted. A task must not
 * close its own pool (close waits for that task's input). The owner of a borrowed executor must
 * close the pool before shutting the executor down: work the executor drops is never run.
 *
 * <p>Thread-safety: thread-safe; many threads may call the pool at once.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public final class ThreadPool<T, R> implements Pool<T, R> {

    private static final Logger log = LoggerFactory.getLogger(ThreadPool.class);

    /** Bound on how long {@link #terminate()} waits for interrupted threads to end. */
    public static final Duration TERMINATE_WAIT = Duration.ofSeconds(2);

    /** How often {@link #close()} checks whether its threads ended or were given up. */
    private static final long STOP_POLL_MILLIS = 50;

    /** Held, not extended, so this class shows only the Pool operations and no engine hook. */
    private final Engine engine;
    /** Where drainers run: threads this pool owns, or a borrowed executor. */
    private final Threads threads;
    private final ChunkRunner runner;
    /**
     * Chunks waiting for a thread. Workers drain it: at most {@code size} drainer tasks run on the
     * executor at once, each taking chunks until the queue is empty, so a chunk costs a lock-free
     * offer and poll instead of an executor hand-off (a blocking-queue lock and a thread wake-up).
     */
    private final ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>();
    /** Drainer tasks submitted to the executor and not finished. */
    private final AtomicInteger drainers = new AtomicInteger();
    /** Set by terminate() before it interrupts the drainers. */
    private volatile boolean killing;
    /** Threads given up and still stuck in their task. */
    private final AtomicInteger stuck = new AtomicInteger();
    /** Set once the pool cannot run inputs any more; then every input fails with it. */
    private volatile Broken broken;

    private ThreadPool(PoolOptions options, String threadNamePrefix, int maxStuckThreads, WorkerInitializer initializer) {
        this.engine = new Engine(options);
        this.runner = new ChunkRunner(threadNamePrefix, options, this::givenUp);
        OwnedThreads owned = new OwnedThreads(options.size(), threadNamePrefix, maxStuckThreads, initializer);
        this.threads = owned;
        try {
            owned.start();
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    private ThreadPool(PoolOptions options, ExecutorService borrowed) {
        this.engine = new Engine(options);
        this.runner = new ChunkRunner("pool4j-thread", options, this::givenUp);
        this.threads = new BorrowedThreads(borrowed);
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
     * parallelism), else the number of available processors. The pool runs at most that many of
     * its tasks at once on the executor. Works with {@code Executors.newVirtualThreadPerTaskExecutor()}
     * on JDK 21+; give {@link #wrap(ExecutorService, int)} the number of tasks to run at once.
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
        return threads.owned();
    }

    private void dispatch(Chunk chunk) {
        Broken why = broken;
        if (why != null) {
            why.fail(chunk);
            return;
        }
        queue.offer(chunk);
        if (tryAcquireDrainer()) {
            startDrainer();
        }
    }

    /** Claims a drainer slot if fewer than {@code size} drainers run. */
    private boolean tryAcquireDrainer() {
        int size = size();
        for (int running = drainers.get(); running < size; running = drainers.get()) {
            if (drainers.compareAndSet(running, running + 1)) {
                return true;
            }
        }
        return false;
    }

    private void startDrainer() {
        try {
            threads.startDrainer(this::drain);
        } catch (RuntimeException e) {
            // Rejected (the pool terminates, or the owner shut a borrowed executor down): the engine
            // fails the chunk just offered; chunks already queued are left to the running drainers.
            drainers.decrementAndGet();
            throw e;
        }
    }

    /** Runs queued chunks until the queue is empty, then gives its slot back. */
    private void drain() {
        Worker worker = Thread.currentThread() instanceof Worker w ? w : null;
        boolean holdingSlot = true;
        try {
            if (worker != null && worker.initFailure != null) {
                return; // the pool is broken; its dispatch fails every chunk from now on
            }
            do {
                Chunk chunk;
                while ((chunk = queue.poll()) != null) {
                    // One executor task runs many chunks: an interrupt left by one chunk's task
                    // must not reach the next, unless it is terminate()'s.
                    if (Thread.interrupted() && killing) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    if (!chunk.isCancelled()) {
                        int ran = runner.run(chunk);
                        if (ran == ChunkRunner.GIVEN_UP) {
                            // Its slot went to a replacement when it was given up: just leave.
                            holdingSlot = false;
                            stuckReturned(worker);
                            return;
                        }
                        if (worker != null) {
                            worker.addTasksDone(ran);
                        }
                    }
                }
                drainers.decrementAndGet();
                holdingSlot = false;
                // A chunk offered while every slot looked taken would be stranded: take it on.
            } while (!queue.isEmpty() && (holdingSlot = tryAcquireDrainer()));
        } finally {
            if (holdingSlot) {
                releaseSlotAfterFailure();
            }
        }
    }

    /** An Error escaped a task, or terminate() stopped the drainer: keep the queue served. */
    private void releaseSlotAfterFailure() {
        drainers.decrementAndGet();
        if (!killing && broken == null && !queue.isEmpty() && tryAcquireDrainer()) {
            try {
                startDrainer();
            } catch (RuntimeException e) {
                log.warn("ThreadPool: could not replace a drainer", e);
            }
        }
    }

    /**
     * Gives up a thread stuck in a timed-out task (called on the watchdog thread): its chunk's
     * remaining inputs go back to the queue and its drainer slot to a new drainer; a pool that owns
     * its threads grows its executor by one so that drainer gets a new thread, unless too many are
     * stuck, which breaks the pool.
     */
    private void givenUp(Thread thread, Chunk chunk) {
        int nowStuck = stuck.incrementAndGet();
        if (thread instanceof Worker worker) {
            worker.givenUp = true;
        }
        int replaced = threads.maxStuckThreads();
        if (nowStuck > replaced) {
            breakPool(nowStuck + " of its threads are stuck in tasks that timed out and ignore interrupts (at most "
                    + replaced + " are replaced); close this pool", null);
        } else {
            log.warn("ThreadPool: {} still runs a task {} after it timed out and was interrupted; giving it up{}",
                    thread.getName(), ChunkRunner.GIVE_UP_AFTER, ownsThreads() ? " and starting another thread" : "");
        }
        threads.resize(stuck.get());
        Broken why = broken;
        if (why != null) {
            why.fail(chunk);
        } else if (!chunk.isCancelled() && !chunk.isResolved()) {
            queue.offer(chunk);
        }
        drainers.decrementAndGet();
        if (!killing && !queue.isEmpty() && tryAcquireDrainer()) {
            try {
                startDrainer();
            } catch (RuntimeException e) {
                log.warn("ThreadPool: could not replace a given-up thread", e);
            }
        }
    }

    /** Marks the pool broken (the first reason wins) and fails every queued chunk with it. */
    private void breakPool(String why, Throwable cause) {
        synchronized (queue) {
            if (broken == null) {
                broken = new Broken(why, cause);
                log.warn("ThreadPool: {}", why, cause);
            }
        }
        for (Chunk queued; (queued = queue.poll()) != null; ) {
            broken.fail(queued);
        }
    }

    /** A given-up thread's task returned: the thread is no longer stuck and leaves the pool's service. */
    private void stuckReturned(Worker worker) {
        stuck.decrementAndGet();
        if (worker != null) {
            worker.givenUp = false;
        }
        threads.resize(stuck.get());
    }

    private void stopWorkers() throws InterruptedException {
        try {
            threads.stop();
        } finally {
            runner.close();
        }
    }

    private void killWorkers() {
        killing = true;
        threads.kill();
        queue.clear();
        runner.close();
    }

    private List<WorkerStats> workerStats() {
        return threads.stats(isClosed());
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
     * Returns the pool's name, size and state, such as {@code ThreadPool[size=4, RUNNING]}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return engine.toString();
    }

    /** The engine: calls, chunks and lifecycle; its hooks hand chunks to this pool's threads. */
    private final class Engine extends AbstractPool<T, R> {

        Engine(PoolOptions options) {
            super("ThreadPool", options);
        }

        @Override
        protected Object prepare(Task<?, ?> task) {
            return task;
        }

        @Override
        protected void dispatch(Chunk chunk) {
            ThreadPool.this.dispatch(chunk);
        }

        @Override
        protected void stopWorkers() throws InterruptedException {
            ThreadPool.this.stopWorkers();
        }

        @Override
        protected void killWorkers() {
            ThreadPool.this.killWorkers();
        }

        @Override
        protected List<WorkerStats> workerStats() {
            return ThreadPool.this.workerStats();
        }
    }

    /**
     * Where this pool's drainers run, and what stopping them means: the one place where a pool that
     * owns its threads differs from one that borrows an executor.
     */
    private interface Threads {

        /** Whether the threads are this pool's, started by it and stopped by close(). */
        boolean owned();

        /** Runs {@code drainer} on a thread; throws if the executor rejects it. */
        void startDrainer(Runnable drainer);

        /** How many given-up threads stuck in a task are replaced before the pool breaks. */
        int maxStuckThreads();

        /** Adjusts the thread count to the pool's size plus the {@code stuck} threads it replaces. */
        void resize(int stuck);

        /** Ends the threads once accepted inputs are done (close). */
        void stop() throws InterruptedException;

        /** Interrupts the pool's running tasks and ends what can be ended (terminate). */
        void kill();

        /** The workers as {@link #stats()} shows them. */
        List<WorkerStats> stats(boolean closed);
    }

    /**
     * Threads this pool owns: a fixed-size executor of named daemon {@link Worker}s, each running
     * the initializer once when it starts.
     */
    private final class OwnedThreads implements Threads {
        private final int size;
        private final int maxStuckThreads;
        private final WorkerInitializer initializer;
        private final ThreadPoolExecutor executor;
        /** The live threads, for {@link #stats}. */
        private final List<Worker> workers = new CopyOnWriteArrayList<>();
        /** Counted down by each first thread once its initializer ran (or failed). */
        private final CountDownLatch initialized;

        OwnedThreads(int size, String threadNamePrefix, int maxStuckThreads, WorkerInitializer initializer) {
            this.size = size;
            this.maxStuckThreads = maxStuckThreads;
            this.initializer = initializer;
            this.initialized = new CountDownLatch(size);
            AtomicInteger ids = new AtomicInteger();
            ThreadFactory factory = task -> {
                // A thread killed by an Error is replaced: stats() lists the live ones, not the dead.
                workers.removeIf(dead -> dead.getState() == Thread.State.TERMINATED);
                Worker worker = new Worker(task, threadNamePrefix + "-" + ids.incrementAndGet(), this::initialize);
                worker.setDaemon(true);
                workers.add(worker);
                return worker;
            };
            this.executor = new ThreadPoolExecutor(size, size, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
        }

        /**
         * Starts every thread, as Python's {@code ThreadPool} does, so stats() and ps show them, and
         * waits for their initializers.
         *
         * @throws PoolException if an initializer failed (its exception is the cause) or the caller
         *     was interrupted; the threads are stopped
         */
        void start() {
            executor.prestartAllCoreThreads();
            if (initializer == null) {
                return;
            }
            try {
                initialized.await();
            } catch (InterruptedException e) {
                kill();
                Thread.currentThread().interrupt();
                throw new PoolException("ThreadPool: interrupted while its threads ran their initializer", e);
            }
            Broken why = broken;
            if (why != null) {
                kill();
                throw new PoolException("ThreadPool: " + why.why, why.cause);
            }
        }

        /** Runs in each new thread before it takes work; a failure breaks the pool. */
        private void initialize(Worker worker) {
            try {
                if (initializer != null) {
                    initializer.run();
                }
            } catch (Throwable t) {
                worker.initFailure = t;
                breakPool("the initializer failed in " + worker.getName() + ": " + t, t);
            } finally {
                initialized.countDown();
            }
        }

        @Override
        public boolean owned() {
            return true;
        }

        @Override
        public void startDrainer(Runnable drainer) {
            executor.execute(drainer);
        }

        @Override
        public int maxStuckThreads() {
            return maxStuckThreads;
        }

        @Override
        public synchronized void resize(int stuck) {
            if (executor.isShutdown()) {
                return;
            }
            int target = size + Math.min(stuck, maxStuckThreads);
            if (target > executor.getMaximumPoolSize()) {
                executor.setMaximumPoolSize(target);
                executor.setCorePoolSize(target);
            } else if (target < executor.getMaximumPoolSize()) {
                executor.setCorePoolSize(target); // ends an idle thread beyond the size
                executor.setMaximumPoolSize(target);
            }
        }

        @Override
        public void stop() throws InterruptedException {
            executor.shutdown();
            // Accepted inputs are done: threads end at once but those still in a task whose input
            // was cancelled or timed out. With a task timeout, those end or are given up soon; a
            // given-up thread is not waited for.
            while (!awaitThreads(STOP_POLL_MILLIS)) {
                Thread.sleep(STOP_POLL_MILLIS);
            }
        }

        @Override
        public void kill() {
            executor.shutdownNow();
            // shutdownNow() spares a thread that has not entered the executor's loop yet, such as
            // one still in its initializer.
            for (Worker worker : workers) {
                if (!worker.givenUp) {
                    worker.interrupt();
                }
            }
            try {
                if (!awaitThreads(TERMINATE_WAIT.toMillis())) {
                    log.warn("ThreadPool: threads still running {} after terminate() are left behind: their tasks "
                            + "ignore interrupts", TERMINATE_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits up to {@code millis} for the threads that are not given up; true if all ended. */
        private boolean awaitThreads(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (Worker worker : workers) {
                long left = deadline - System.nanoTime();
                if (!worker.givenUp && worker.isAlive()) {
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedJoin(worker, left);
                    if (!worker.givenUp && worker.isAlive()) {
                        return false;
                    }
                }
            }
            return true;
        }

        @Override
        public List<WorkerStats> stats(boolean closed) {
            long pid = ProcessHandle.current().pid();
            List<WorkerStats> stats = new ArrayList<>(workers.size());
            for (Worker worker : workers) {
                if (!closed && worker.getState() == Thread.State.TERMINATED) {
                    continue; // died of an Error and was replaced
                }
                stats.add(new WorkerStats(worker.getName(), pid, worker.tasksDone(), -1, worker.isAlive()));
            }
            return stats;
        }
    }

    /**
     * A borrowed executor: its threads are its owner's, so none is replaced, stopped or listed; the
     * pool only cancels its own drainers on terminate().
     */
    private final class BorrowedThreads implements Threads {
        private final ExecutorService executor;
        /** This pool's drainers on the executor, so terminate() can cancel them. */
        private final Set<BorrowedDrainer> drainers = ConcurrentHashMap.newKeySet();

        BorrowedThreads(ExecutorService executor) {
            this.executor = executor;
        }

        @Override
        public boolean owned() {
            return false;
        }

        @Override
        public void startDrainer(Runnable drainer) {
            BorrowedDrainer borrowed = new BorrowedDrainer(drainer);
            drainers.add(borrowed);
            try {
                executor.execute(borrowed);
            } catch (RuntimeException e) {
                drainers.remove(borrowed);
                throw e;
            }
        }

        @Override
        public int maxStuckThreads() {
            return Integer.MAX_VALUE;
        }

        @Override
        public void resize(int stuck) {
            // Not ours to resize.
        }

        @Override
        public void stop() {
            // The owner shuts the executor down; accepted inputs are already done.
        }

        @Override
        public void kill() {
            for (BorrowedDrainer drainer : drainers) {
                drainer.cancel(true);
            }
        }

        @Override
        public List<WorkerStats> stats(boolean closed) {
            // The borrowed executor's threads are not ours to list: report it as one worker.
            return List.of(new WorkerStats("borrowed " + executor.getClass().getSimpleName(),
                    ProcessHandle.current().pid(), runner.tasksDone(), -1, !executor.isShutdown()));
        }

        /**
         * A drainer on a borrowed executor. A {@link FutureTask}, so {@link #kill()} can interrupt it
         * with {@code cancel(true)}, which interrupts the thread only while it drains and never a
         * task of the executor's owner that runs later on the same thread.
         */
        private final class BorrowedDrainer extends FutureTask<Void> {
            BorrowedDrainer(Runnable drain) {
                super(drain, null);
            }

            @Override
            protected void done() {
                drainers.remove(this);
            }
        }
    }

    /** An owned pool thread. */
    private static final class Worker extends Thread {
        private static final VarHandle TASKS_DONE;

        static {
            try {
                TASKS_DONE = MethodHandles.lookup().findVarHandle(Worker.class, "tasksDone", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Written only by this thread, with release semantics: no fence per chunk. */
        @SuppressWarnings("unused")
        private long tasksDone;
        /** Set while the pool has given this thread up (stuck in a timed-out task). */
        volatile boolean givenUp;
        /** What the initializer threw in this thread, or null; such a thread takes no input. */
        volatile Throwable initFailure;
        private final Consumer<Worker> initialize;

        Worker(Runnable task, String name, Consumer<Worker> initialize) {
            super(task, name);
            this.initialize = initialize;
        }

        @Override
        public void run() {
            initialize.accept(this);
            super.run();
        }

        void addTasksDone(int ran) {
            TASKS_DONE.setRelease(this, (long) TASKS_DONE.getOpaque(this) + ran);
        }

        long tasksDone() {
            return (long) TASKS_DONE.getAcquire(this);
        }
    }

    /** Why the pool cannot run inputs any more (too many stuck threads, a failed initializer). */
    private record Broken(String why, Throwable cause) {
        void fail(Chunk chunk) {
            chunk.failUnfinished(index -> new BrokenPoolException(why, cause, index));
        }
    }

    /** The failure of inputs given to a broken pool. */
    private static final class BrokenPoolException extends PoolException {
        private static final long serialVersionUID = 1L;

        BrokenPoolException(String why, Throwable cause, long index) {
            super("Input #" + index + " was not run: the ThreadPool is broken: " + why, cause, index);
        }
    }

    /**
     * Builds a {@link ThreadPool} that owns its threads. Not thread-safe; {@link #build()} copies the
     * options, so a builder can build several pools.
     */
    public static final class Builder extends PoolBuilder<Builder> {

        private String threadNamePrefix = "pool4j-thread";
        private int maxStuckThreads = -1;
        private WorkerInitializer initializer;

        private Builder() {}

        /**
         * Sets code each thread runs once when it starts, before it takes any input, like the
         * {@code initializer} of Python's {@code ThreadPool}: set up a thread-local connection or
         * parser, for example. {@link #build()} waits until every thread ran it. If it throws while
         * the pool is built, {@code build()} throws; if it throws in a thread started later (one
         * replacing a thread lost to an {@code Error} or stuck in a task), the pool is broken: its
         * inputs fail with a {@link PoolException} whose cause is the initializer's exception.
         *
         * @param initializer the code to run in each new thread, or null for none (the default)
         * @return this builder
         */
        public Builder initializer(WorkerInitializer initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * Sets how many threads the pool replaces while they are stuck in a task that timed out and
         * ignores interrupts (see the class documentation); one more stuck thread breaks the pool,
         * failing its inputs with a {@link io.github.pool4j.PoolException}. Only matters with a
         * {@linkplain #taskTimeout task timeout}. Default: the pool's size.
         *
         * @param n at least 0
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 0}
         */
        public Builder maxStuckThreads(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxStuckThreads must be >= 0, was " + n);
            }
            this.maxStuckThreads = n;
            return this;
        }

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
         * Builds the pool and starts its threads, each running the {@linkplain #initializer
         * initializer} if one is set.
         *
         * @param <T> the input type
         * @param <R> the result type
         * @return a new, running pool
         * @throws PoolException if the initializer threw in a thread (its exception is the cause), or
         *     the caller was interrupted while the threads ran it; no thread is left running
         */
        public <T, R> ThreadPool<T, R> build() {
            PoolOptions options = PoolOptions.of(this);
            return new ThreadPool<>(options, threadNamePrefix, maxStuckThreads < 0 ? options.size() : maxStuckThreads,
                    initializer);
        }
    }
}
