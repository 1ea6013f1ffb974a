package io.github.pool4j.spi;

import io.github.pool4j.PoolClosedException;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * A lazy call ({@code imap}, {@code imapUnordered}): inputs are read in the consumer's thread
 * as results are taken, with at most {@code window} inputs dispatched but not yet consumed.
 *
 * <p>This is the engine's side of the call: the pool and its chunks reference it, never the
 * {@link StreamIterator} the caller holds, so an iterator dropped without {@code close()} can
 * become unreachable and have its call cancelled.
 */
final class StreamCall<R> extends Call {

    /** Bound on the inputs in flight, whatever the chunk size and pool size. */
    private static final long MAX_WINDOW = 1 << 20;
    /** Capacity a batch starts with: a large chunk size need not allocate up front. */
    private static final int INITIAL_BATCH_CAPACITY = 64;

    private final Iterator<?> source;
    private final boolean ordered;
    /** The size of the next chunk, fixed or adapting to how fast chunks come back. Guarded by lock. */
    private final AdaptiveChunkSize chunkSize;
    /** The window is this many chunks of the current size. */
    private final long windowChunks;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Dispatched chunks not fully consumed, in input order (ordered mode). Guarded by lock. */
    private final ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
    /** Position of the next result to return within {@code inFlight.peekFirst()}. */
    private int headOffset;
    /** Finished outcomes not consumed yet, in completion order (unordered mode). Guarded by lock. */
    private final ArrayDeque<Object> completed = new ArrayDeque<>();
    /** All chunks dispatched and not fully resolved, for cancel/abort. Guarded by lock. */
    private final List<Chunk> unresolved = new ArrayList<>();

    private long dispatched;
    private long consumed;
    /** Inputs with an outcome; counted without the lock on the ordered fast path. */
    private final AtomicLong finished = new AtomicLong();
    /**
     * Set by an ordered consumer about to wait for an outcome, so the threads reporting outcomes
     * take the lock to wake it only then (Dekker-style: the consumer sets it, then checks the
     * outcome again; a reporter stores the outcome, then reads it).
     */
    private volatile boolean consumerWaiting;
    private boolean sourceDone;
    private boolean closed;
    /**
     * Why the inputs ended early: the pool closed before the source was exhausted, or the
     * caller's iterator threw. Thrown once, after the results of the inputs read before it.
     */
    private RuntimeException truncated;
    /** Whether {@link #truncated} came from the caller's iterator, which hasNext() throws as is. */
    private boolean truncatedBySource;

    StreamCall(AbstractPool<?, ?> pool, long id, Object prepared, PoolListener listener, Iterator<?> source,
            boolean ordered, AdaptiveChunkSize chunkSize) {
        super(pool, id, prepared, listener);
        this.source = source;
        this.ordered = ordered;
        this.chunkSize = chunkSize;
        this.windowChunks = Math.max(2, 4L * pool.size());
    }

    /** Inputs dispatched but not consumed at most; bounded so a huge pool size never overflows it. */
    private long window(int size) {
        return Math.min(MAX_WINDOW, size * windowChunks);
    }

    boolean hasNext() {
        lock.lock();
        try {
            topUp();
            if (consumed == dispatched && truncatedBySource) {
                throw takeTruncated();
            }
            return consumed < dispatched || truncated != null;
        } finally {
            lock.unlock();
        }
    }

    R next() {
        lock.lock();
        try {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (consumed == dispatched) {
                throw takeTruncated();
            }
            Object outcome = ordered ? takeOrdered() : takeUnordered();
            consumed++;
            topUp();
            endIfDrained();
            if (outcome instanceof Chunk.Failure failure) {
                throw failure.exception();
            }
            @SuppressWarnings("unchecked")
            R value = (R) Chunk.valueOf(outcome);
            return value;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the reason the inputs ended early, once; the call then ends. */
    private RuntimeException takeTruncated() {
        RuntimeException e = truncated;
        truncated = null;
        truncatedBySource = false;
        endIfDrained();
        return e;
    }

    private Object takeOrdered() {
        Chunk head = inFlight.peekFirst();
        Object outcome;
        while ((outcome = head.outcome(headOffset)) == null) {
            consumerWaiting = true;
            try {
                if ((outcome = head.outcome(headOffset)) != null) {
                    break;
                }
                await();
            } finally {
                consumerWaiting = false;
            }
        }
        if (++headOffset == head.size()) {
            inFlight.pollFirst();
            headOffset = 0;
        }
        return outcome;
    }

    private Object takeUnordered() {
        while (completed.isEmpty()) {
            await();
        }
        return completed.pollFirst();
    }

    private void await() {
        try {
            // Bounded wait: a missed signal can only delay, never hang, the consumer.
            changed.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PoolException("Interrupted while waiting for the next imap result", e);
        }
    }

    /** Reads and dispatches inputs until the window is full or the source is exhausted. */
    private void topUp() {
        int size;
        while (!sourceDone && !closed && dispatched - consumed + (size = chunkSize.size()) <= window(size)) {
            List<Object> batch = new ArrayList<>(Math.min(size, INITIAL_BATCH_CAPACITY));
            RuntimeException sourceFailure = null;
            try {
                while (batch.size() < size && source.hasNext()) {
                    batch.add(source.next());
                }
            } catch (RuntimeException e) {
                // The caller's own iterator failed: run what was read, then let the caller see it as is.
                sourceFailure = e;
            }
            if (batch.isEmpty() || sourceFailure != null) {
                sourceDone = true;
                truncated = sourceFailure;
                truncatedBySource = sourceFailure != null;
                if (batch.isEmpty() && finished.get() == dispatched && dispatched > 0) {
                    // Every outcome was reported while the total was still unknown: report it now.
                    progress(dispatched, dispatched);
                }
            }
            if (batch.isEmpty()) {
                break;
            }
            try {
                pool.beginDispatch();
            } catch (PoolClosedException e) {
                sourceDone = true;
                truncatedBySource = false;
                truncated = new PoolClosedException(
                        "The pool was closed before all imap inputs were dispatched; input #" + dispatched
                                + " and later were not run",
                        dispatched);
                break;
            }
            try {
                dispatched += batch.size();
                dispatch(dispatched - batch.size(), batch.toArray());
            } finally {
                pool.endDispatch();
            }
        }
        if (sourceDone) {
            endIfDrained();
        }
    }

    @Override
    void chunkCreated(Chunk chunk) {
        pool.chunkCreated(chunk.size()); // one pending unit per chunk: the window is small
        chunk.dispatchedAt = chunkSize.now();
    }

    @Override
    void register(Chunk chunk) {
        unresolved.add(chunk);
        if (ordered) {
            inFlight.addLast(chunk);
        }
    }

    @Override
    void onOutcome(Chunk chunk, int offset, boolean failed, boolean chunkResolved) {
        if (ordered && !chunkResolved && !reportsProgress()) {
            // The common case of imap: the consumer reads outcomes straight from the chunks, so
            // an outcome needs no lock unless the consumer waits for one.
            countOutcome(chunk.outcome(offset), false);
            finished.incrementAndGet();
            if (consumerWaiting) {
                lock.lock();
                try {
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            return;
        }
        countOutcome(chunk.outcome(offset), chunkResolved);
        long done;
        long total;
        lock.lock();
        try {
            done = finished.incrementAndGet();
            total = sourceDone ? dispatched : -1;
            if (!ordered && !closed) {
                completed.addLast(chunk.outcome(offset));
            }
            if (chunkResolved) {
                unresolved.remove(chunk);
                chunkSize.resolved(chunk.size(), chunk.dispatchedAt);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        progress(done, total);
    }

    private void endIfDrained() {
        if ((sourceDone || closed) && consumed == dispatched && truncated == null) {
            pool.callEnded(this);
        }
    }

    /** Cancels what is left and ends the call: its iterator was closed, or dropped unreachable. */
    void close(String why) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            cancelAll(cancelledFailure(why));
            consumed = dispatched;
            truncated = null;
            truncatedBySource = false;
            inFlight.clear();
            completed.clear();
            endIfDrained();
        } finally {
            lock.unlock();
        }
    }

    @Override
    void abort(LongFunction<PoolException> failureForIndex) {
        lock.lock();
        try {
            sourceDone = true;
            cancelAll(failureForIndex);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void cancelAll(LongFunction<PoolException> failureForIndex) {
        for (Chunk chunk : List.copyOf(unresolved)) {
            chunk.cancel(failureForIndex);
            pool.chunkCancelled(chunk);
        }
    }
}
