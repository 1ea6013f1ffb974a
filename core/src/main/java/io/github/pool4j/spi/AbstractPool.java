package io.github.pool4j.spi;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.PoolClosedException;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.PoolStats;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.Task;
import io.github.pool4j.TaskResult;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.internal.Flight;
import io.github.pool4j.timing.Ticker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A skeleton {@link Pool} that implements every call on top of one primitive, {@link #dispatch}
 * a {@link Chunk} of inputs, as {@link java.util.concurrent.AbstractExecutorService} implements
 * {@code invokeAll} on top of {@code execute}.
 *
 * <p>This class owns what every pool must do the same way: reading and chunking inputs, ordering
 * results, failing on the first failure in input order, {@code imap}'s bounded window,
 * cancellation, interrupts, progress events, counters, and the RUNNING → SHUTDOWN → TERMINATED
 * lifecycle. An implementation supplies how a chunk runs ({@link #dispatch}), how a task is made
 * ready to run ({@link #prepare}) and how workers stop ({@link #stopWorkers},
 * {@link #killWorkers}).
 *
 * <p>The contract with implementations: every dispatched chunk eventually gets one outcome per
 * input through {@link Chunk#succeed}/{@link Chunk#fail}, unless it is cancelled first (then the
 * engine has already failed its inputs). {@code dispatch} must not block for long: it is called
 * from the caller's thread.
 *
 * <p>Thread-safety: this class is thread-safe; implementations must make their hooks thread-safe.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public abstract class AbstractPool<T, R> implements Pool<T, R> {

    private static final Logger log = LoggerFactory.getLogger(AbstractPool.class);

    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int TERMINATED = 2;

    /** How often close() checks a future being completed on a callback thread. */
    private static final long HAND_OFF_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /**
     * The classes of {@code Arrays.asList}, {@code List.of} and {@code Stream.toList} lists, read
     * in place where the pool allows it ({@link #readsInputsOnDispatch}); some are the same class,
     * depending on the JDK.
     */
    private static final Set<Class<?>> IN_PLACE_LISTS = Set.copyOf(List.of(Arrays.asList().getClass(),
            List.of().getClass(), List.of(1).getClass(), java.util.stream.Stream.of(1).toList().getClass()));

    private final PoolOptions options;
    private final String name;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    /** Unresolved chunks plus calls in the middle of dispatching; close() waits for zero. */
    private final AtomicLong pending = new AtomicLong();
    private final Object idle = new Object();
    private final AtomicLong callIds = new AtomicLong();
    private final Set<Call> activeCalls = ConcurrentHashMap.newKeySet();
    private final LongAdder submitted = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    /** Inputs reported started ({@link Chunk#started}) and without an outcome or requeue since. */
    private final LongAdder running = new LongAdder();
    private final LongAdder retried = new LongAdder();
    /**
     * Futures of {@code submit}/{@code mapAsync} whose call finished and which wait for a callback
     * thread to complete them; close() returns only once each is done (not once its callbacks ran).
     */
    private final Set<CompletableFuture<?>> handingOff = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicInteger stopsRequested = new AtomicInteger();

    /**
     * Creates the engine of a pool.
     *
     * @param name the pool's name, used in messages and logs
     * @param options the shared options
     */
    protected AbstractPool(String name, PoolOptions options) {
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
    }

    // ---- implementation hooks --------------------------------------------------------------

    /**
     * Makes {@code task} ready to run, once per call, in the caller's thread; the result is
     * available to {@link #dispatch} as {@link Chunk#preparedTask()}.
     *
     * @param task the caller's task, not null
     * @return what the workers need to run it (the task itself, or a serialized form)
     * @throws io.github.pool4j.TaskSerializationException if the task cannot reach the workers
     */
    protected abstract Object prepare(Task<?, ?> task);

    /**
     * Hands a chunk to the workers; must not block for long. Each input must eventually get an
     * outcome unless the chunk is cancelled.
     *
     * @param chunk the chunk
     */
    protected abstract void dispatch(Chunk chunk);

    /**
     * Tells whether {@link #dispatch(Chunk)} reads every input of its chunk before it returns, in
     * the dispatching thread, and never again (a process pool encodes them there and resends the
     * encoded bytes). Then {@code map} and the other calls with all their inputs known up front
     * read a caller's {@code ArrayList}, {@code Arrays.asList}, {@code List.of} or result list in
     * place, each input once in the calling thread, instead of copying it first: a map of
     * millions of inputs then allocates no array of them. Otherwise, and for every other kind of
     * {@code Iterable}, a call copies its inputs before it dispatches anything, and its tasks read
     * that copy.
     *
     * @return {@code false} unless an implementation overrides it
     */
    protected boolean readsInputsOnDispatch() {
        return false;
    }

    /**
     * Called when the engine gives up on a dispatched chunk (its call failed fast, was cancelled,
     * or the pool terminates); its unfinished inputs already have failure outcomes. Implementations
     * may drop it from queues or interrupt its task. The default does nothing.
     *
     * @param chunk the cancelled chunk
     */
    protected void onCancel(Chunk chunk) {}

    /**
     * Stops the workers gracefully once all accepted work is done; blocks until they stopped.
     * Called once, by {@link #close()}.
     *
     * @throws InterruptedException if interrupted while waiting; the pool then terminates
     */
    protected abstract void stopWorkers() throws InterruptedException;

    /**
     * Stops the workers now (kills processes, interrupts threads) and waits briefly for them.
     * Called once, by {@link #terminate()}, possibly after {@link #stopWorkers()} was interrupted.
     */
    protected abstract void killWorkers();

    /**
     * Returns a snapshot of each worker, for {@link #stats()}.
     *
     * @return one entry per worker
     */
    protected abstract List<WorkerStats> workerStats();

    // ---- Pool ------------------------------------------------------------------------------

    /**
     * Returns the options this pool was built with. Not public: a pool holds its engine, and its
     * users see only the {@link Pool} operations.
     *
     * @return the options
     */
    protected final PoolOptions options() {
        return options;
    }

    @Override
    public final int size() {
        return options.size();
    }

    @Override
    public final List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        BatchCall call = startBatch("map", task, inputs, true, true, options);
        await(call, "map");
        @SuppressWarnings("unchecked")
        List<R> values = (List<R>) call.values();
        return values;
    }

    @Override
    public final List<TaskResult<R>> mapResults(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        BatchCall call = startBatch("mapResults", task, inputs, false, true, options);
        await(call, "mapResults");
        return call.results();
    }

    @Override
    public final CompletableFuture<List<R>> mapAsync(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        BatchCall call = startBatch("mapAsync", task, inputs, true, false, options);
        @SuppressWarnings("unchecked")
        CompletableFuture<List<R>> result = userFuture(call, c -> (List<R>) c.values());
        return result;
    }

    @Override
    public final CompletableFuture<R> submit(Task<? super T, ? extends R> task, T input, CallOptions options) {
        List<T> single = new ArrayList<>(1);
        single.add(input);
        BatchCall call = startBatch("submit", task, single, true, false, options);
        @SuppressWarnings("unchecked")
        CompletableFuture<R> result = userFuture(call, c -> (R) c.values().get(0));
        return result;
    }

    @Override
    public final ResultIterator<R> imap(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return startStream("imap", task, inputs, true, options);
    }

    @Override
    public final ResultIterator<R> imapUnordered(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return startStream("imapUnordered", task, inputs, false, options);
    }

    @Override
    public final PoolStats stats() {
        // Running is read last and bounded by what is pending, so that a snapshot taken while
        // inputs finish never shows more running than pending (queued() would hide it at 0).
        long submittedSum = submitted.sum();
        long completedSum = completed.sum();
        long failedSum = failed.sum();
        long cancelledSum = cancelled.sum();
        long pendingSum = submittedSum - completedSum - failedSum - cancelledSum;
        long runningNow = Math.max(0, Math.min(running.sum(), pendingSum));
        return new PoolStats(size(), submittedSum, completedSum, failedSum, cancelledSum, activeCalls.size(),
                retried.sum(), runningNow, workerStats());
    }

    @Override
    public final boolean isClosed() {
        return state.get() != RUNNING;
    }

    @Override
    public final void close() {
        if (!state.compareAndSet(RUNNING, SHUTDOWN)) {
            try {
                stopped.get();
            } catch (InterruptedException e) {
                log.warn("{}: interrupted while waiting for close; terminating", name);
                terminate();
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException("stopping never fails", e);
            }
            return;
        }
        try {
            synchronized (idle) {
                while (pending.get() > 0 && state.get() == SHUTDOWN) {
                    idle.wait();
                }
            }
            if (state.get() == SHUTDOWN && stopsRequested.getAndIncrement() == 0) {
                stopWorkers();
                awaitHandOffs();
                markStopped();
            } else {
                stopped.get();
            }
        } catch (InterruptedException e) {
            log.warn("{}: interrupted while closing; terminating", name);
            terminate();
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("stopping never fails", e);
        }
    }

    @Override
    public final void terminate() {
        int previous = state.getAndSet(TERMINATED);
        if (previous == TERMINATED) {
            awaitStoppedUninterruptibly();
            return;
        }
        synchronized (idle) {
            idle.notifyAll();
        }
        for (Call call : activeCalls) {
            call.abort(Call.closedFailure("the pool was terminated"));
        }
        killWorkers();
        markStopped();
    }

    @Override
    public String toString() {
        String[] states = {"RUNNING", "SHUTDOWN", "TERMINATED"};
        return name + "[size=" + size() + ", " + states[state.get()] + "]";
    }

    // ---- engine ----------------------------------------------------------------------------

    private BatchCall startBatch(String operation, Task<? super T, ? extends R> task, Iterable<? extends T> inputs,
            boolean failFast, boolean blocking, CallOptions callOptions) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(callOptions, "options");
        // Read the caller's inputs first, in the caller's thread: if its iterator throws, the
        // caller gets that exception and nothing of the call has run. A list that cannot throw
        // is read by dispatch instead, where that reads each input once (readsInputsOnDispatch).
        List<?> materialized = readsInputsOnDispatch() && readableInPlace(inputs) ? (List<?>) inputs
                : Arrays.asList(materialize(inputs));
        beginDispatch();
        BatchCall call;
        try {
            int chunkSize = callOptions.chunkSize() != CallOptions.POOL_CHUNK_SIZE
                    ? callOptions.chunkSize()
                    : options.chunkSizeFor(materialized.size());
            call = new BatchCall(this, callIds.incrementAndGet(), prepare(task), callOptions.listener(), materialized,
                    chunkSize, failFast);
            callStarted(call, operation, materialized.size());
            call.start(blocking);
        } finally {
            endDispatch();
        }
        if (call.done.isDone()) {
            callEnded(call);
        }
        return call;
    }

    private ResultIterator<R> startStream(String operation,
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, boolean ordered, CallOptions callOptions) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(callOptions, "options");
        checkRunning();
        int fixedChunkSize = callOptions.chunkSize() != CallOptions.POOL_CHUNK_SIZE
                ? callOptions.chunkSize()
                : options.chunkSize(); // AUTO_CHUNK_SIZE (0) lets the call adapt it
        StreamCall<R> call = new StreamCall<>(this, callIds.incrementAndGet(), prepare(task), callOptions.listener(),
                inputs.iterator(), ordered, fixedChunkSize == PoolOptions.AUTO_CHUNK_SIZE
                        ? new AdaptiveChunkSize(ticker())
                        : AdaptiveChunkSize.fixed(fixedChunkSize));
        callStarted(call, operation, -1);
        // The engine keeps only the call; the caller holds the iterator, so an iterator dropped
        // without close() becomes unreachable and its call is cancelled.
        return new StreamIterator<>(call);
    }

    /**
     * Returns the clock that adaptive chunk sizes read; tests of the engine replace it.
     *
     * @return the system ticker
     */
    Ticker ticker() {
        return Ticker.system();
    }

    /**
     * Tells whether {@code inputs} is a list of the JDK's or of pool4j's whose {@code size} and
     * {@code get} run no code of the caller's and cannot fail while nothing changes it. A list
     * meant to be changed concurrently ({@code CopyOnWriteArrayList}, {@code Vector}), a view of
     * another list, or a list class of the caller's is copied as before.
     */
    private static boolean readableInPlace(Iterable<?> inputs) {
        Class<?> type = inputs.getClass();
        return type == ArrayList.class || type == ResultList.class || IN_PLACE_LISTS.contains(type);
    }

    private static Object[] materialize(Iterable<?> inputs) {
        if (inputs instanceof Collection<?> collection) {
            return collection.toArray();
        }
        List<Object> list = new ArrayList<>();
        for (Object input : inputs) {
            list.add(input);
        }
        return list.toArray();
    }

    private void await(BatchCall call, String what) {
        try {
            // Checked first because a pool that runs tasks in the caller (SerialPool) has already
            // finished the call, and the interrupt must not be lost in a task's outcome.
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            call.done.get();
        } catch (InterruptedException e) {
            call.cancel(Call.cancelledFailure("the caller was interrupted"));
            Thread.currentThread().interrupt();
            throw new PoolException("Interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("call completion never fails", e);
        }
    }

    /**
     * Returns the future a user gets for {@code call}. It is completed on a callback thread
     * ({@link Callbacks}), never on the thread that reported the last outcome (a pool thread, a
     * worker's reader), so a callback that calls the pool again cannot block the pool's progress;
     * or by a user's thread blocked in its {@code join()} or {@code get()}, which then needs no
     * callback thread (see {@link UserFuture}). A call already done (a pool that ran it in the
     * caller) completes it here: nobody can have attached a callback yet. Cancelling the future
     * cancels the call's unfinished inputs.
     */
    private <V> CompletableFuture<V> userFuture(BatchCall call, Function<BatchCall, V> value) {
        if (call.done.isDone()) {
            CompletableFuture<V> result = new CompletableFuture<>();
            complete(result, call, value);
            return result;
        }
        UserFuture<V> result = new UserFuture<>(call, value);
        // Runs inside the call's completion, before the call releases its pending unit: close()
        // sees the hand-off.
        call.done.whenComplete(result);
        result.whenComplete((v, failure) -> {
            if (result.isCancelled()) {
                call.cancel(Call.cancelledFailure("its future was cancelled"));
            }
        });
        return result;
    }

    /**
     * The future of a {@code submit} or {@code mapAsync} whose call is still running. When the
     * call is done, the reader of its last outcome (a pool's thread) never completes it: it either
     * hands the completion to a callback thread or, if a user's thread already waits in
     * {@link #join()} or {@link #get()}, wakes that thread, which completes it itself. A blocked
     * caller so costs one wake-up rather than two, and callbacks still run only on a callback
     * thread or on a thread of the user's (as they would on any {@link CompletableFuture} the
     * user's thread completes). Threads of pool4j's own (named {@code pool4j-...}) and of a
     * {@link ForkJoinPool} (which expects managed blocking) wait the ordinary way.
     *
     * <p>Who completes it is decided once, by {@link #completer}: OPEN → HANDED_OFF (the call
     * ended first: a callback thread completes it), or OPEN → CLAIMING → JOINER (one thread waits;
     * other waiters wait the ordinary way) → READY (the call ended: that thread completes it); a
     * waiter that gives up (interrupt, timeout, the future completed some other way such as
     * {@link #orTimeout}) moves JOINER back to OPEN, so the call's end hands it off as usual.
     *
     * <p>Thread-safety: thread-safe.
     */
    private final class UserFuture<V> extends CompletableFuture<V> implements BiConsumer<Void, Throwable> {
        private static final int OPEN = 0;
        private static final int JOINER = 1;
        private static final int READY = 2;
        private static final int HANDED_OFF = 3;
        /** A thread is taking the JOINER role: sets {@link #joiner}, then JOINER. */
        private static final int CLAIMING = 4;
        // What waitToComplete found.
        private static final int MINE = 1;
        private static final int NOT_MINE = 0;
        private static final int INTERRUPTED = -1;

        private final BatchCall call;
        private final Function<BatchCall, V> value;
        private final AtomicInteger completer = new AtomicInteger(OPEN);
        /** The thread waiting to complete it, set while {@link #completer} is CLAIMING. */
        private volatile Thread joiner;

        UserFuture(BatchCall call, Function<BatchCall, V> value) {
            this.call = call;
            this.value = value;
        }

        /** The call ended: on the thread that reported its last outcome, inside its completion. */
        @Override
        public void accept(Void ignored, Throwable never) {
            handingOff.add(this);
            while (true) {
                int state = completer.get();
                if (state == OPEN && completer.compareAndSet(OPEN, HANDED_OFF)) {
                    Callbacks.run(this::completeNow);
                    return;
                }
                if (state == JOINER && completer.compareAndSet(JOINER, READY)) {
                    LockSupport.unpark(joiner);
                    return;
                }
                if (state == CLAIMING) {
                    Thread.yield(); // two stores away from JOINER
                }
            }
        }

        private void completeNow() {
            try {
                AbstractPool.complete(this, call, value);
            } finally {
                handingOff.remove(this);
            }
        }

        @Override
        public V join() {
            if (waitToComplete(false, false, 0) == MINE) {
                completeNow();
            }
            return super.join();
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            int waited = waitToComplete(true, false, 0);
            if (waited == INTERRUPTED) {
                throw new InterruptedException();
            }
            if (waited == MINE) {
                completeNow();
            }
            return super.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            int waited = waitToComplete(true, true, deadline);
            if (waited == INTERRUPTED) {
                throw new InterruptedException();
            }
            if (waited == MINE) {
                completeNow();
                return super.get();
            }
            return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        /**
         * Waits, if this thread may complete the future and no other does, until the call ended.
         * Returns {@link #MINE} if this thread is now the one to complete it, {@link #NOT_MINE} if
         * it is not (it waits the ordinary way), or {@link #INTERRUPTED} if, with
         * {@code interruptible}, an interrupt ended the wait (the flag is then clear). When
         * {@code timed}, reaching {@code deadline} (on {@link System#nanoTime}) gives the wait up
         * and the caller's own wait then times out.
         */
        private int waitToComplete(boolean interruptible, boolean timed, long deadline) {
            if (isDone() || completer.get() != OPEN || !mayComplete(Thread.currentThread())) {
                return NOT_MINE;
            }
            // Claimed before the thread is published, so that of two waiters only the one that will
            // complete the future is the one woken.
            if (!completer.compareAndSet(OPEN, CLAIMING)) {
                return NOT_MINE;
            }
            Thread self = Thread.currentThread();
            joiner = self;
            completer.set(JOINER);
            // Completed some other way meanwhile (orTimeout, complete, cancel): the wait ends too.
            whenComplete((v, failure) -> LockSupport.unpark(self));
            boolean interrupted = false;
            try {
                while (completer.get() == JOINER) {
                    if (isDone()) {
                        if (giveUp()) {
                            return NOT_MINE;
                        }
                        break; // the call ended too: complete it (a no-op) and leave
                    }
                    if (!timed) {
                        LockSupport.park(this);
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return giveUp() ? NOT_MINE : MINE;
                        }
                        LockSupport.parkNanos(this, left);
                    }
                    if (Thread.interrupted()) {
                        if (interruptible) {
                            if (giveUp()) {
                                return INTERRUPTED;
                            }
                            interrupted = true; // the call ended meanwhile: complete, keep the flag
                            break;
                        }
                        interrupted = true;
                    }
                }
                return MINE;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Stops waiting; returns false if the call ended meanwhile (this thread must complete it). */
        private boolean giveUp() {
            return completer.compareAndSet(JOINER, OPEN);
        }
    }

    /**
     * Whether {@code thread} may complete a user's future itself: not one of pool4j's (callbacks
     * never run on a thread a pool needs), nor a fork-join worker, whose blocking must be managed.
     */
    private static boolean mayComplete(Thread thread) {
        return !(thread instanceof ForkJoinWorkerThread) && !thread.getName().startsWith("pool4j");
    }

    private static <V> void complete(CompletableFuture<V> result, BatchCall call, Function<BatchCall, V> value) {
        try {
            result.complete(value.apply(call));
        } catch (PoolException e) {
            result.completeExceptionally(e);
        }
    }

    /**
     * Waits until every future handed to a callback thread is complete: close() promises that
     * accepted work, futures included, is done when it returns. Only the completion is awaited,
     * not the user's callbacks (which may themselves call close()); it follows within moments,
     * the callback executor never queues.
     */
    private void awaitHandOffs() {
        for (CompletableFuture<?> future : handingOff) {
            while (!future.isDone()) {
                LockSupport.parkNanos(HAND_OFF_POLL_NANOS);
            }
        }
    }

    private void checkRunning() {
        if (state.get() != RUNNING) {
            throw new PoolClosedException(name + " is closed: no new work is accepted");
        }
    }

    /** Marks the start of a dispatch section; throws if the pool no longer accepts work. */
    final void beginDispatch() {
        pending.incrementAndGet();
        if (state.get() != RUNNING) {
            endDispatch();
            throw new PoolClosedException(name + " is closed: no new work is accepted");
        }
    }

    final void endDispatch() {
        if (pending.decrementAndGet() == 0 && state.get() != RUNNING) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Counts new inputs, holding one unit of the pending count until they are all resolved. */
    final void chunkCreated(int inputCount) {
        pending.incrementAndGet();
        submitted.add(inputCount);
    }

    final void dispatchChunk(Chunk chunk) {
        if (state.get() == TERMINATED) {
            chunk.cancel(Call.closedFailure("the pool was terminated"));
            return;
        }
        try {
            dispatch(chunk);
        } catch (RuntimeException | Error e) {
            // The implementation refused the chunk: its inputs fail, the caller sees why.
            PoolException failure = e instanceof PoolException pe ? pe
                    : readsInputsOnDispatch() && (e instanceof IndexOutOfBoundsException
                            || e instanceof java.util.NoSuchElementException
                            || e instanceof java.util.ConcurrentModificationException)
                    ? new PoolException(name + " could not read the inputs of a chunk: another thread probably changed"
                            + " the caller's list during the call (" + e + ")", e)
                    : new PoolException(name + " could not dispatch a chunk", e);
            chunk.failUnfinished(index -> failure);
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    final void chunkResolved() {
        endDispatch();
    }

    final void chunkCancelled(Chunk chunk) {
        try {
            onCancel(chunk);
        } catch (RuntimeException e) {
            log.warn("{}: onCancel threw", name, e);
        }
    }

    /** Counts one outcome as completed, failed or cancelled. */
    final void countOutcome(Object outcome) {
        if (outcome instanceof Chunk.Failure failure) {
            (isCancellation(failure.exception()) ? cancelled : failed).increment();
        } else {
            completed.increment();
        }
    }

    /** Tells whether an input's failure means it was given up on rather than that its run failed. */
    static boolean isCancellation(PoolException e) {
        return e instanceof Call.CancelledInputException
                || e instanceof Call.InterruptedInputException
                || e instanceof PoolClosedException;
    }

    /** Counts an input whose task started in a worker, see {@link Chunk#started}. */
    final void inputStarted() {
        running.increment();
    }

    /** Counts a started input as no longer running: it has its outcome, or went back to the queue. */
    final void inputStopped() {
        running.decrement();
    }

    /** Counts {@code count} started inputs as no longer running (they have their outcomes). */
    final void inputsStopped(int count) {
        running.add(-count);
    }

    /** Counts an input sent to run again after its worker was lost, see {@link Chunk#requeued}. */
    final void inputRetried() {
        retried.increment();
    }

    final void countSuccesses(int count) {
        completed.add(count);
    }

    private void callStarted(Call call, String operation, long total) {
        activeCalls.add(call);
        call.flight = Flight.callStarted(name, call.id, operation, total);
        call.started(operation, total);
    }

    /** Called when a call ends, possibly more than once (a drained imap); acts on the first. */
    final void callEnded(Call call) {
        if (activeCalls.remove(call)) {
            Flight.callEnded(call.flight, call.failedInputs());
            call.ended();
        }
    }

    /** Returns the pool's name, for events and messages of the engine's other classes. */
    final String poolName() {
        return name;
    }

    private void markStopped() {
        if (stopped.complete(null)) {
            PoolListener listener = options.listener();
            try {
                listener.onPoolClosed();
            } catch (RuntimeException e) {
                log.warn("{}: PoolListener.onPoolClosed threw; ignoring it", name, e);
            }
        }
    }

    /** Waits for another thread's terminate(); killWorkers() waits only briefly, so this does too. */
    private void awaitStoppedUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                throw new IllegalStateException("stopping never fails", e);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
