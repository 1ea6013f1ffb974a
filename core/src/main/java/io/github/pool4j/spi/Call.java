package io.github.pool4j.spi;

import io.github.pool4j.PoolClosedException;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import java.time.Duration;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One {@code map}, {@code imap}, {@code submit}... call: its task, chunks and outcomes. */
abstract class Call {

    private static final Logger log = LoggerFactory.getLogger(Call.class);
    private static final VarHandle FAILED;

    static {
        try {
            FAILED = MethodHandles.lookup().findVarHandle(Call.class, "failed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long id;
    final Object prepared;
    final AbstractPool<?, ?> pool;
    /** The call's own progress listener ({@code CallOptions}), besides the pool's. */
    private final PoolListener listener;
    /** Inputs of this call whose run failed, for {@link PoolListener#onCallEnded}; through FAILED. */
    @SuppressWarnings("unused")
    private volatile long failed;
    /** The call's flight-recorder event while one is recorded, else null; set before dispatching. */
    Object flight;

    Call(AbstractPool<?, ?> pool, long id, Object prepared, PoolListener listener) {
        this.pool = pool;
        this.id = id;
        this.prepared = prepared;
        this.listener = listener;
    }

    /** Called once per input, by the thread whose report was accepted, once the outcome is counted. */
    abstract void onOutcome(Chunk chunk, int offset, boolean failed, boolean chunkResolved);

    /**
     * Takes note of the successes of {@code count} inputs of {@code chunk}, stored and counted already;
     * {@code chunkResolved} says whether the last of them resolved the chunk. Which inputs they
     * were does not matter to a count, and a batch of a million results need not say.
     */
    abstract void onSuccesses(Chunk chunk, int count, boolean chunkResolved);

    /** Fails every unfinished input of this call (the pool is terminating). */
    abstract void abort(LongFunction<PoolException> failureForIndex);

    /**
     * Creates a chunk of {@code inputs[from, from + size)}, its outcomes kept in
     * {@code outcomes[from, from + size)}, and hands it to the pool; the chunk holds one unit of
     * the pool's pending count.
     */
    final Chunk dispatch(long firstIndex, List<?> inputs, int from, int size, Object[] outcomes) {
        Chunk chunk = newChunk(firstIndex, inputs, from, size, outcomes);
        pool.dispatchChunk(chunk);
        return chunk;
    }

    /**
     * Creates a chunk the call gave up on before dispatching it, so its inputs still get an
     * outcome and are counted.
     */
    final void discard(long firstIndex, List<?> inputs, int from, int size, Object[] outcomes,
            LongFunction<PoolException> failureForIndex) {
        newChunk(firstIndex, inputs, from, size, outcomes).cancel(failureForIndex);
    }

    /**
     * Creates, counts and registers a chunk of {@code inputs[from, from + size)} whose outcomes go
     * to {@code outcomes[from, from + size)}; the caller dispatches or cancels it.
     */
    final Chunk newChunk(long firstIndex, List<?> inputs, int from, int size, Object[] outcomes) {
        Chunk chunk = new Chunk(this, firstIndex, inputs, from, size, outcomes);
        chunkCreated(chunk);
        register(chunk);
        return chunk;
    }

    /** Accounts for a new chunk in the pool's counters, before it is registered and dispatched. */
    abstract void chunkCreated(Chunk chunk);

    /** Makes {@code chunk} visible to {@link #abort} before it is dispatched. */
    abstract void register(Chunk chunk);

    /**
     * Counts one stored outcome, in this call's failures and the pool's statistics (a unit test's
     * call has no pool). Called by its chunk before the chunk counts the input as resolved.
     */
    final void countOutcome(Object outcome) {
        if (outcome instanceof Chunk.Failure failure && !AbstractPool.isCancellation(failure.exception())) {
            FAILED.getAndAdd(this, 1L);
        }
        if (pool != null) {
            pool.countOutcome(outcome);
        }
    }

    /** Counts {@code count} stored successes in the pool's statistics, as {@link #countOutcome}. */
    final void countSuccesses(int count) {
        if (pool != null) {
            pool.countSuccesses(count);
        }
    }

    /** Tells the pool's and the call's listeners that the call started; in the caller's thread. */
    final void started(String operation, long total) {
        for (PoolListener l : new PoolListener[] {pool.options().listener(), listener}) {
            if (l != PoolListener.NONE) {
                try {
                    l.onCallStarted(id, operation, total);
                } catch (RuntimeException e) {
                    log.warn("PoolListener.onCallStarted threw; ignoring it", e);
                }
            }
        }
    }

    /** Tells the pool's and the call's listeners that the call ended; called once. */
    final void ended() {
        long failedInputs = failed;
        for (PoolListener l : new PoolListener[] {pool.options().listener(), listener}) {
            if (l != PoolListener.NONE) {
                try {
                    l.onCallEnded(id, failedInputs);
                } catch (RuntimeException e) {
                    log.warn("PoolListener.onCallEnded threw; ignoring it", e);
                }
            }
        }
    }

    /** Returns how many inputs of this call have failed so far, cancellations not counted. */
    final long failedInputs() {
        return failed;
    }

    /** Tells whether anyone listens to this call's progress. */
    final boolean reportsProgress() {
        return listener != PoolListener.NONE || pool.options().listener() != PoolListener.NONE;
    }

    final void progress(long done, long total) {
        tell(pool.options().listener(), done, total);
        tell(listener, done, total);
    }

    /**
     * Tells the listeners that {@code count} tasks of this call ran, {@code nanos} in all: one
     * {@link PoolListener#onTaskFinished} per task, with an equal share (the remainder spread
     * over the first ones).
     */
    final void tasksFinished(int count, long nanos) {
        PoolListener own = pool.options().listener();
        if (own == PoolListener.NONE && listener == PoolListener.NONE) {
            return;
        }
        long share = nanos / count;
        long rest = nanos % count;
        for (int i = 0; i < count; i++) {
            Duration duration = Duration.ofNanos(i < rest ? share + 1 : share);
            taskFinished(own, duration);
            taskFinished(listener, duration);
        }
    }

    private void taskFinished(PoolListener listener, Duration duration) {
        if (listener != PoolListener.NONE) {
            try {
                listener.onTaskFinished(id, duration);
            } catch (RuntimeException e) {
                log.warn("PoolListener.onTaskFinished threw; ignoring it", e);
            }
        }
    }

    private void tell(PoolListener listener, long done, long total) {
        if (listener != PoolListener.NONE) {
            try {
                listener.onProgress(id, done, total);
            } catch (RuntimeException e) {
                log.warn("PoolListener.onProgress threw; ignoring it", e);
            }
        }
    }

    static LongFunction<PoolException> closedFailure(String why) {
        return index -> new PoolClosedException("Input #" + index + " was discarded: " + why, index);
    }

    static LongFunction<PoolException> cancelledFailure(String why) {
        return index -> new CancelledInputException(index, why);
    }

    /** The outcome of an input given up on by its call. */
    static final class CancelledInputException extends PoolException {
        private static final long serialVersionUID = 1L;

        CancelledInputException(long index, String why) {
            super("Input #" + index + " was cancelled: " + why, null, index);
        }
    }

    /**
     * The outcome of an input not run, or cut short, because the thread that runs it was
     * interrupted (not by the task timeout): counted as cancelled, not as failed.
     */
    static final class InterruptedInputException extends PoolException {
        private static final long serialVersionUID = 1L;

        InterruptedInputException(long index) {
            super("Input #" + index + " was not run: the thread was interrupted", new InterruptedException(), index);
        }

        /** For an input whose task gave up with {@code cause} because its thread was interrupted. */
        InterruptedInputException(long index, InterruptedException cause) {
            super("Input #" + index + " was interrupted while it ran: " + cause, cause, index);
        }
    }
}
