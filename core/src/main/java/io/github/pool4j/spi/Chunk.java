package io.github.pool4j.spi;

import io.github.pool4j.PoolException;
import io.github.pool4j.internal.Flight;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A run of consecutive inputs of one call, handed to a pool implementation by
 * {@link AbstractPool#dispatch(Chunk)}.
 *
 * <p>The implementation reports one outcome per input with {@link #succeed} or {@link #fail}.
 * Reports are idempotent: the first outcome of an input wins and later ones are ignored, so an
 * implementation may report late (after a timeout or cancellation) without harm. A chunk whose
 * call no longer needs it is {@linkplain #isCancelled() cancelled}; implementations should skip
 * it if not started, or stop between inputs.
 *
 * <p>For {@link io.github.pool4j.PoolStats#running()}, an implementation tells when an input has
 * {@linkplain #started started} (and when one that started went back to its queue with
 * {@link #requeued}); for {@link io.github.pool4j.PoolListener#onTaskFinished}, how long tasks
 * {@linkplain #ran ran}. Both are optional: a pool that does not report them shows no running
 * inputs and no task times.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class Chunk {

    private static final Object NULL_RESULT = new Object();
    /**
     * The outcome slot of an input whose task has started and has no outcome yet; never an
     * outcome: {@link #outcome} reads it as pending.
     */
    private static final Object STARTED = new Object();
    /** What {@link #swap} returns for an input that had its outcome already; never stored. */
    private static final Object NOT_STORED = new Object();
    // Plain arrays and fields with VarHandles instead of Atomic* objects: a chunk of one input
    // (chunk size 1, the common case of submit and imap) then costs three allocations, not five.
    private static final VarHandle OUTCOMES = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle UNRESOLVED;

    static {
        try {
            UNRESOLVED = MethodHandles.lookup().findVarHandle(Chunk.class, "unresolved", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Call call;
    private final long firstIndex;
    /** The call's inputs; this chunk's are {@code size} of them from {@code from}. */
    private final List<?> inputs;
    private final int from;
    private final int size;
    /**
     * Per input, at the input's own position ({@code from + offset}): {@code null} (queued),
     * {@link #STARTED}, a {@link Failure}, or the value (a {@code null} one as {@link #NULL_RESULT});
     * accessed through OUTCOMES. May be the call's array for all its chunks, which then becomes
     * the list the call returns ({@link ResultList}).
     */
    private final Object[] outcomes;
    /** Inputs without an outcome; accessed through UNRESOLVED. */
    @SuppressWarnings("unused")
    private volatile int unresolved;
    private volatile boolean cancelled;
    /** When a lazy call dispatched this chunk, for its adaptive chunk size; written before dispatch. */
    long dispatchedAt;

    /**
     * A chunk of {@code inputs[from, from + size)}, read in place (the call's own copy, or the
     * caller's list when the pool reads inputs only while dispatching), whose outcomes go to
     * {@code outcomes[from, from + size)}.
     */
    Chunk(Call call, long firstIndex, List<?> inputs, int from, int size, Object[] outcomes) {
        // Not against inputs.size(): a caller's list read in place may shrink under a racing
        // thread, and a chunk that could not be made would leave its inputs without outcomes.
        // Reading past its end fails that chunk's dispatch instead.
        java.util.Objects.checkFromIndexSize(from, size, outcomes.length);
        this.call = call;
        this.firstIndex = firstIndex;
        this.inputs = inputs;
        this.from = from;
        this.size = size;
        this.outcomes = outcomes;
        this.unresolved = size;
    }

    /**
     * Returns the identifier of the call this chunk belongs to, unique within its pool.
     *
     * @return the call id
     */
    public long callId() {
        return call.id;
    }

    /**
     * Returns what {@link AbstractPool#prepare} returned for this chunk's task.
     *
     * @return the prepared task
     */
    public Object preparedTask() {
        return call.prepared;
    }

    /**
     * Returns the index, within its call, of this chunk's first input.
     *
     * @return the first input's index
     */
    public long firstIndex() {
        return firstIndex;
    }

    /**
     * Returns the number of inputs in this chunk.
     *
     * @return at least 1
     */
    public int size() {
        return size;
    }

    /**
     * Returns the input at {@code offset}.
     *
     * @param offset position within this chunk
     * @return the input, possibly {@code null}
     */
    public Object input(int offset) {
        java.util.Objects.checkIndex(offset, size);
        return inputs.get(from + offset);
    }

    /**
     * Returns this chunk's inputs in order.
     *
     * @return an unmodifiable view
     */
    public List<Object> inputs() {
        return Collections.unmodifiableList(inputs.subList(from, from + size));
    }

    /**
     * Tells whether the call gave up on this chunk (an earlier input failed, the caller was
     * interrupted or closed its iterator, or the pool terminated).
     *
     * @return {@code true} if no further outcome is wanted
     */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Tells whether the input at {@code offset} already has an outcome.
     *
     * @param offset position within this chunk
     * @return {@code true} once {@link #succeed} or {@link #fail} was accepted for it
     */
    public boolean isDone(int offset) {
        return outcome(offset) != null;
    }

    /**
     * Tells whether every input of this chunk has an outcome.
     *
     * @return {@code true} when nothing is left to report
     */
    public boolean isResolved() {
        return size == 1 ? outcome(0) != null : unresolved == 0;
    }

    /**
     * Reports the task's result for the input at {@code offset}.
     *
     * @param offset position within this chunk
     * @param value the result, possibly {@code null}
     * @return {@code true} if this was the input's first outcome
     */
    public boolean succeed(int offset, Object value) {
        return resolve(offset, stored(value), false);
    }

    /**
     * Reports successful results for the inputs at {@code fromOffset}, {@code fromOffset + 1}, ...,
     * one per element of {@code values}, in one step: as {@link #succeed} for each, but the call
     * counts them and tells its listener once. Inputs that already have an outcome keep it.
     *
     * <p>Thread-safe; meant for implementations that receive results in batches (a worker
     * process answering a whole chunk).
     *
     * @param fromOffset the offset of the first input
     * @param values the results, {@code null} elements allowed
     * @return how many of the inputs got their outcome from this call
     * @throws IndexOutOfBoundsException if the offsets run past the chunk
     */
    public int succeedAll(int fromOffset, List<?> values) {
        int count = values.size();
        java.util.Objects.checkFromIndexSize(fromOffset, count, size);
        int wins = 0;
        int stopped = 0;
        // No copy of a batch that may hold millions: a random-access list is read in place.
        Object[] all = values instanceof java.util.RandomAccess ? null : values.toArray();
        for (int i = 0; i < count; i++) {
            Object value = all == null ? values.get(i) : all[i];
            Object previous = swap(fromOffset + i, stored(value));
            if (previous != NOT_STORED) {
                wins++;
                if (previous == STARTED) {
                    stopped++;
                }
            }
        }
        if (stopped > 0 && call.pool != null) {
            // Once for the batch: the pool's running count is shared by every result thread.
            call.pool.inputsStopped(stopped);
        }
        if (wins > 0) {
            call.countSuccesses(wins); // before the countdown, as in resolve
            boolean last = (int) UNRESOLVED.getAndAdd(this, -wins) == wins;
            call.onSuccesses(this, wins, last);
        }
        return wins;
    }

    /**
     * Reports that the input at {@code offset} failed.
     *
     * @param offset position within this chunk
     * @param failure why; its {@link PoolException#inputIndex()} should be {@code firstIndex() + offset}
     * @return {@code true} if this was the input's first outcome
     */
    public boolean fail(int offset, PoolException failure) {
        if (!resolve(offset, new Failure(failure), true)) {
            return false;
        }
        if (!AbstractPool.isCancellation(failure)) {
            Flight.taskFailed(call.pool == null ? null : call.pool.poolName(), call.id, failure); // no pool in unit tests
        }
        return true;
    }

    /**
     * Fails every input of this chunk that has no outcome yet.
     *
     * @param failureForIndex makes the failure for an input index (of the call)
     * @return how many inputs this failed
     */
    public int failUnfinished(LongFunction<PoolException> failureForIndex) {
        int failed = 0;
        for (int i = 0; i < size; i++) {
            if (outcome(i) == null && fail(i, failureForIndex.apply(firstIndex + i))) {
                failed++;
            }
        }
        return failed;
    }

    void cancel(LongFunction<PoolException> failureForIndex) {
        cancelled = true;
        failUnfinished(failureForIndex);
    }

    /** Returns the stored outcome: {@code null} (pending), a {@link Failure}, or the value. */
    Object outcome(int offset) {
        Object outcome = OUTCOMES.getVolatile(outcomes, slot(offset));
        return outcome == STARTED ? null : outcome;
    }

    // ---- running inputs and task times (optional reports of an implementation) ---------------

    /**
     * Reports that the task has started for the input at {@code offset} in a worker: the input
     * counts as {@linkplain io.github.pool4j.PoolStats#running() running} until it has an outcome
     * or is {@linkplain #requeued requeued}. Does nothing if the input already has an outcome or
     * was reported started.
     *
     * @param offset position within this chunk
     */
    public void started(int offset) {
        if (OUTCOMES.compareAndSet(outcomes, slot(offset), null, STARTED) && call.pool != null) {
            call.pool.inputStarted();
        }
    }

    /**
     * Reports that the input at {@code offset} goes back to the queue because the worker that held
     * it was lost: it no longer counts as running. With {@code retry}, the input had started there
     * and will run again, which {@link io.github.pool4j.PoolStats#retried()} counts.
     *
     * @param offset position within this chunk
     * @param retry whether the input will run again after it started on the lost worker
     */
    public void requeued(int offset, boolean retry) {
        if (OUTCOMES.compareAndSet(outcomes, slot(offset), STARTED, null) && call.pool != null) {
            call.pool.inputStopped();
        }
        if (retry && call.pool != null) {
            call.pool.inputRetried();
        }
    }

    /**
     * Tells whether anyone listens for task times, so an implementation may skip measuring them.
     *
     * @return {@code true} if {@link #ran} reaches a listener
     */
    public boolean timesTasks() {
        return call.reportsProgress();
    }

    /**
     * Reports that {@code count} inputs of this chunk ran back to back in a worker, their tasks
     * taking {@code nanos} in all, measured where they ran; each listener's
     * {@link io.github.pool4j.PoolListener#onTaskFinished} then hears of {@code count} tasks, each
     * with an equal share. Report before the inputs' outcomes, so listeners hear of a task before
     * its progress.
     *
     * @param count how many inputs ran, at least 1 (nothing is reported otherwise)
     * @param nanos how long their tasks ran in all, in nanoseconds (a negative value counts as 0)
     */
    public void ran(int count, long nanos) {
        if (count > 0) {
            call.tasksFinished(count, Math.max(0, nanos));
        }
    }

    static Object valueOf(Object outcome) {
        return outcome == NULL_RESULT ? null : outcome;
    }

    private boolean resolve(int offset, Object outcome, boolean failed) {
        if (!store(offset, outcome)) {
            return false;
        }
        // Counted before the chunk's countdown: once the last outcome resolves the chunk, and
        // perhaps completes the call, every outcome of it shows in stats().
        call.countOutcome(outcome);
        // A chunk of one input (chunk size 1) is resolved by its only outcome: skip the atomic.
        boolean last = size == 1 || (int) UNRESOLVED.getAndAdd(this, -1) == 1;
        call.onOutcome(this, offset, failed, last);
        return true;
    }

    /**
     * Stores the first outcome of the input at {@code offset}, over a queued or started input (the
     * pool then counts one input less as running); returns false if it already had one.
     */
    private boolean store(int offset, Object outcome) {
        Object previous = swap(offset, outcome);
        if (previous == STARTED && call.pool != null) {
            call.pool.inputsStopped(1);
        }
        return previous != NOT_STORED;
    }

    /**
     * Stores the first outcome of the input at {@code offset}; returns what it replaced ({@code null}
     * or {@link #STARTED}), or {@link #NOT_STORED} if the input had its outcome already. The caller
     * counts a replaced {@code STARTED} as an input stopped.
     */
    private Object swap(int offset, Object outcome) {
        int slot = slot(offset);
        Object previous = OUTCOMES.getVolatile(outcomes, slot);
        while (true) {
            if (previous != null && previous != STARTED) {
                return NOT_STORED;
            }
            if (OUTCOMES.compareAndSet(outcomes, slot, previous, outcome)) {
                return previous;
            }
            previous = OUTCOMES.getVolatile(outcomes, slot);
        }
    }

    /** Where the input at {@code offset} keeps its outcome; checked, as the array may be the call's. */
    private int slot(int offset) {
        return from + java.util.Objects.checkIndex(offset, size);
    }

    /** How a value is stored: never {@code null}, which would read as an input without an outcome. */
    static Object stored(Object value) {
        return value == null ? NULL_RESULT : value;
    }

    /** A failed outcome, distinguishable from any value a task may return. */
    record Failure(PoolException exception) {}
}
