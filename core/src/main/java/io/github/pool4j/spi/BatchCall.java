package io.github.pool4j.spi;

import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * A call whose inputs are all known up front ({@code map}, {@code mapAsync}, {@code mapResults},
 * {@code submit}): every chunk is dispatched at once, like {@code invokeAll}.
 *
 * <p>The success path is lock-free: each outcome is one CAS in its chunk and counter increments;
 * the call counts its chunks down, not its inputs ({@link #unresolvedChunks}), so threads that run
 * different chunks share no counter per input, and counts outcomes one by one only while someone
 * listens to its progress. Only after a failure does fail-fast scan, under a
 * lock, for the first failure in input order. The whole call holds one unit of the pool's pending
 * count (not one per chunk), released by the last outcome, so workers and the dispatching caller
 * do not contend on the pool's counter for every chunk.
 */
final class BatchCall extends Call {

    /**
     * The call's own copy of the inputs, or the caller's list read in place when the pool reads
     * inputs only while dispatching them ({@link AbstractPool#readsInputsOnDispatch}).
     */
    private final List<?> inputs;
    private final int inputCount;
    /** Every chunk's outcomes, at their inputs' positions; handed out as the result list by {@link #values}. */
    private final Object[] outcomes;
    /** Whether {@link #values} handed {@link #outcomes} out already: a second list gets a copy. */
    private final AtomicBoolean outcomesHandedOut = new AtomicBoolean();
    private final int chunkSize;
    private final Chunk[] chunks;
    private final boolean failFast;
    /** Chunks not yet resolved (every input of theirs has an outcome once resolved). */
    private final AtomicInteger unresolvedChunks;
    /** Whether anyone listens to progress; only then are outcomes counted one by one. */
    private final boolean tellsProgress;
    private final AtomicInteger outcomesSoFar = new AtomicInteger();
    /** Completes when every input is done, or when fail-fast found the first failure in input order. */
    final CompletableFuture<Void> done = new CompletableFuture<>();

    private volatile boolean sawFailure;
    /** Set by the one thread that found the first failure in input order and cancels the rest. */
    private final AtomicBoolean failedFast = new AtomicBoolean();
    /**
     * The call releases its pending unit once every input has an outcome and the call has
     * completed (its futures too), in whichever order the two happen, so close() never returns
     * before a future of accepted work is complete.
     */
    private final AtomicInteger untilReleased = new AtomicInteger(2);
    /** Why the call was given up, for inputs whose chunk was never created; null while it runs. */
    private volatile LongFunction<PoolException> cancelReason;
    /** Inputs before this index are done and succeeded; guarded by {@code this}. */
    private int successfulPrefix;

    BatchCall(AbstractPool<?, ?> pool, long id, Object prepared, PoolListener listener, List<?> inputs,
            int chunkSize, boolean failFast) {
        super(pool, id, prepared, listener);
        this.inputs = inputs;
        this.inputCount = inputs.size();
        this.outcomes = new Object[inputCount];
        this.failFast = failFast;
        this.chunkSize = chunkSize;
        this.chunks = new Chunk[(int) ((inputCount + (long) chunkSize - 1) / chunkSize)];
        this.unresolvedChunks = new AtomicInteger(chunks.length);
        this.tellsProgress = reportsProgress();
    }

    /**
     * Dispatches every chunk. With {@code stopOnInterrupt}, stops dispatching once the calling
     * thread is interrupted (tasks that run in the caller, as in {@code SerialPool}, would
     * otherwise keep the interrupted caller busy); the caller then cancels the call.
     */
    void start(boolean stopOnInterrupt) {
        if (inputCount == 0) {
            finish();
            return;
        }
        pool.chunkCreated(inputCount);
        int c = 0;
        try {
            for (; c < chunks.length; c++) {
                int from = c * chunkSize;
                int size = Math.min(inputCount - from, chunkSize);
                LongFunction<PoolException> reason = cancelReason;
                if (reason == null && stopOnInterrupt && Thread.currentThread().isInterrupted()) {
                    reason = cancelledFailure("the caller was interrupted");
                }
                if (reason != null) {
                    // Given up before dispatch (fail-fast, interrupt, termination): its inputs still
                    // get an outcome, so counters and close() see them finished.
                    discard(from, inputs, from, size, outcomes, reason);
                } else {
                    dispatch(from, inputs, from, size, outcomes);
                }
            }
        } catch (RuntimeException | Error e) {
            // An Error from a task run in this thread (SerialPool) or from dispatching: the
            // chunks not made yet still need outcomes, or the call would never release the pool.
            LongFunction<PoolException> reason = cancelledFailure("dispatching its call failed with " + e);
            for (; c < chunks.length; c++) {
                if (chunks[c] == null) {
                    int from = c * chunkSize;
                    discard(from, inputs, from, Math.min(inputCount - from, chunkSize), outcomes, reason);
                }
            }
            throw e;
        }
    }

    @Override
    void chunkCreated(Chunk chunk) {
        // Counted once for the whole call, in start().
    }

    @Override
    void register(Chunk chunk) {
        chunks[(int) (chunk.firstIndex() / chunkSize)] = chunk;
    }

    @Override
    void onOutcome(Chunk chunk, int offset, boolean failed, boolean chunkResolved) {
        // The chunk counted the outcome already, so once the last chunk resolved completes the
        // call, every outcome of it shows in stats().
        if (tellsProgress) {
            progress(outcomesSoFar.incrementAndGet(), inputCount);
        }
        if (failed) {
            sawFailure = true;
        }
        if (chunkResolved && unresolvedChunks.decrementAndGet() == 0) {
            if (cancelReason == null) {
                finish();
            } // else cancel() is running and completes the call once it told every chunk
            releaseStep();
        } else if (failFast && sawFailure && !failedFast.get()) {
            checkFirstFailure();
        }
    }

    @Override
    void onSuccesses(Chunk chunk, int count, boolean chunkResolved) {
        if (tellsProgress) {
            progress(outcomesSoFar.addAndGet(count), inputCount);
        }
        if (chunkResolved && unresolvedChunks.decrementAndGet() == 0) {
            if (cancelReason == null) {
                finish();
            }
            releaseStep();
        } else if (failFast && sawFailure && !failedFast.get()) {
            checkFirstFailure();
        }
    }

    private void checkFirstFailure() {
        int failedAt = -1;
        synchronized (this) {
            while (successfulPrefix < inputCount) {
                Object outcome = outcome(successfulPrefix);
                if (outcome == null) {
                    return;
                }
                if (outcome instanceof Chunk.Failure) {
                    failedAt = successfulPrefix;
                    break;
                }
                successfulPrefix++;
            }
        }
        if (failedAt >= 0 && failedFast.compareAndSet(false, true)) {
            // Cancel before completing, so whoever sees the call done also sees the rest cancelled.
            cancel(cancelledFailure("input #" + failedAt + " failed first"));
        }
    }

    private Object outcome(int index) {
        Chunk chunk = chunks[index / chunkSize];
        return chunk == null ? null : chunk.outcome(index % chunkSize);
    }

    /** Returns the outcome of a finished call's input; a chunk never created counts as cancelled. */
    private Object finalOutcome(int index) {
        Object outcome = outcome(index);
        if (outcome == null) {
            LongFunction<PoolException> reason = cancelReason;
            return new Chunk.Failure(reason != null
                    ? reason.apply(index)
                    : cancelledFailure("an earlier input failed").apply(index));
        }
        return outcome;
    }

    private boolean finish() {
        // Ended before completing, so stats() never counts a call whose caller already returned.
        pool.callEnded(this);
        if (done.complete(null)) {
            if (inputCount > 0) {
                releaseStep();
            }
            return true;
        }
        return false;
    }

    private void releaseStep() {
        if (untilReleased.decrementAndGet() == 0) {
            pool.chunkResolved();
        }
    }

    /** Gives up on every input not done yet (the caller no longer wants them), then completes. */
    void cancel(LongFunction<PoolException> failureForIndex) {
        if (cancelReason == null) {
            cancelReason = failureForIndex;
        }
        for (Chunk chunk : chunks) {
            if (chunk != null && !chunk.isResolved()) {
                chunk.cancel(failureForIndex);
                pool.chunkCancelled(chunk);
            }
        }
        finish();
    }

    @Override
    void abort(LongFunction<PoolException> failureForIndex) {
        cancel(failureForIndex);
    }

    /**
     * Returns all values in input order, or throws the first failure in input order. The first
     * list is the call's outcome array itself, not a copy of it: a map of millions of results
     * holds one array of them.
     */
    List<Object> values() {
        for (int i = 0; i < inputCount; i++) {
            Object outcome = finalOutcome(i);
            if (outcome instanceof Chunk.Failure failure) {
                throw failure.exception();
            }
        }
        // Every input has its value now, and a stored value is never null again: a late report
        // of an input cannot change the array under the caller's list.
        return new ResultList(outcomesHandedOut.compareAndSet(false, true) ? outcomes : outcomes.clone());
    }

    /** Returns one outcome per input in input order; call only once {@link #done} completed. */
    <R> List<TaskResult<R>> results() {
        List<TaskResult<R>> results = new ArrayList<>(inputCount);
        for (int i = 0; i < inputCount; i++) {
            Object outcome = finalOutcome(i);
            if (outcome instanceof Chunk.Failure failure) {
                results.add(TaskResult.failure(failure.exception()));
            } else {
                @SuppressWarnings("unchecked")
                R value = (R) Chunk.valueOf(outcome);
                results.add(TaskResult.success(i, value));
            }
        }
        return results;
    }
}
