package io.github.pool4j.spi;

import io.github.pool4j.PoolClosedException;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * A lazy call ({@code imap}, {@code imapUnordered}): inputs are read in the consumer's thread
 * as results are taken, with at most {@code window} inputs dispatched but not yet consumed.
 *
 * <p>This is the engine's side of the call: the pool and its chunks reference it, never the
 * {@link StreamIterator} the caller holds, so an iterator dropped without {@code close()} can
 * become unreachable and have its call cancelled.
 *
 * <h2>Threads and state</h2>
 *
 * <p>Three kinds of thread touch a stream call, and none of them waits for another (the
 * adaptive chunk size's monitor is held for a few instructions, never around foreign code):
 *
 * <ul>
 *   <li><b>The consumer</b>, the one thread at a time in {@link #hasNext()}/{@link #next()}. It
 *       alone reads the caller's input iterator, dispatches chunks and takes outcomes, so the
 *       fields under "consumer only" below need no lock. Reading the caller's iterator (which may
 *       block, or call the pool again) and running tasks in this thread ({@code SerialPool}) thus
 *       never stop anyone else.
 *   <li><b>Reporters</b>, the threads that report outcomes through {@link Chunk} (pool threads, a
 *       worker process's reader, the watchdog of a timeout, a thread that cancels). An outcome is
 *       stored in its chunk, where the consumer reads it; a reporter only counts it, tells the
 *       listeners, and wakes the consumer if it waits for that chunk. An {@code imapUnordered}
 *       consumer takes whatever is ready, oldest chunk first, each chunk's outcomes in input order
 *       (a chunk runs in order; one whose outcomes come out of order waits for its earlier ones).
 *   <li><b>A closer</b>: {@link #close} (the caller, from any thread, or the cleaner of an
 *       abandoned iterator) and {@link #abort} (the pool terminating). They mark the call and
 *       cancel its unresolved chunks, whose outcomes then wake the consumer like any other.
 * </ul>
 *
 * <p>The consumer waits without polling: it publishes what it waits for in {@link #awaited} and
 * parks; a reporter stores its outcome and then reads {@link #awaited}. As both are volatile
 * accesses, either the consumer's check after publishing sees the outcome, or the reporter sees the
 * consumer waiting and unparks it: a wake-up cannot be missed. The first such reporter clears
 * {@link #awaited} as it unparks, so one wait costs one wake-up however many outcomes arrive before
 * the consumer runs again; the consumer then takes all that is ready before it waits again.
 */
final class StreamCall<R> extends Call {

    /** Bound on the inputs in flight, whatever the chunk size and pool size. */
    private static final long MAX_WINDOW = 1 << 20;
    /** Capacity a batch starts with: a large chunk size need not allocate up front. */
    private static final int INITIAL_BATCH_CAPACITY = 64;
    /** What an {@code imapUnordered} consumer waits for: an outcome of any of its chunks. */
    private static final Object ANY_CHUNK = new Object();
    private static final VarHandle AWAITED;

    static {
        try {
            AWAITED = MethodHandles.lookup().findVarHandle(StreamCall.class, "awaited", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Iterator<?> source;
    private final boolean ordered;
    /** The size of the next chunk, fixed or adapting to how fast chunks come back; thread-safe. */
    private final AdaptiveChunkSize chunkSize;
    /** The window is this many chunks of the current size. */
    private final long windowChunks;
    /** Whether anyone listens to progress, fixed for the call: outcomes are counted only then. */
    private final boolean tellsProgress;

    // ---- consumer only ----------------------------------------------------------------------

    /**
     * Dispatched chunks with results not consumed yet, in dispatch (= input) order. In ordered mode
     * results are taken from the first only; in unordered mode from any, oldest first.
     */
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private long dispatched;
    private long consumed;
    private boolean sourceDone;
    /**
     * Why the inputs ended early: the pool closed before the source was exhausted, or the
     * caller's iterator threw. Thrown once, after the results of the inputs read before it.
     */
    private RuntimeException truncated;
    /** Whether {@link #truncated} came from the caller's iterator, which hasNext() throws as is. */
    private boolean truncatedBySource;

    // ---- shared -----------------------------------------------------------------------------

    /** Dispatched chunks not resolved yet, for close and abort to cancel. */
    private final Set<Chunk> unresolved = ConcurrentHashMap.newKeySet();
    /** Why close() was called (the iterator was closed or became unreachable); null while open. */
    private final AtomicReference<String> closedBecause = new AtomicReference<>();
    /** Set by abort(): the pool terminates, read no more inputs. */
    private volatile boolean aborted;
    /**
     * What the waiting consumer needs: the chunk whose next outcome it waits for (ordered), or
     * {@link #ANY_CHUNK} (unordered); {@code null} while it does not wait.
     */
    private volatile Object awaited;
    /** The thread that set {@link #awaited}; written before it. */
    private volatile Thread waiter;
    /** Inputs with an outcome, counted only when someone listens to progress. */
    private final AtomicLong finished = new AtomicLong();
    /** The number of inputs once the source is exhausted, else -1; set by the consumer. */
    private volatile long total = -1;
    /** Whether the final progress event (done == total) was sent, by a reporter or the consumer. */
    private final AtomicBoolean totalReported = new AtomicBoolean();

    StreamCall(AbstractPool<?, ?> pool, long id, Object prepared, PoolListener listener, Iterator<?> source,
            boolean ordered, AdaptiveChunkSize chunkSize) {
        super(pool, id, prepared, listener);
        this.source = source;
        this.ordered = ordered;
        this.chunkSize = chunkSize;
        this.windowChunks = Math.max(2, 4L * pool.size());
        this.tellsProgress = reportsProgress();
    }

    /** A dispatched chunk and how far the consumer has taken its outcomes; consumer only. */
    private static final class Slot {
        final Chunk chunk;
        /** Offset of the next outcome to take: outcomes of a chunk are taken in input order. */
        int next;

        Slot(Chunk chunk) {
            this.chunk = chunk;
        }
    }

    /** Inputs dispatched but not consumed at most; bounded so a huge pool size never overflows it. */
    private long window(int size) {
        return Math.min(MAX_WINDOW, size * windowChunks);
    }

    // ---- consumer ---------------------------------------------------------------------------

    boolean hasNext() {
        if (closedBecause.get() != null) {
            slots.clear(); // the outcomes nobody will take
            return false;
        }
        topUp();
        if (consumed == dispatched && truncatedBySource) {
            throw takeTruncated();
        }
        return consumed < dispatched || truncated != null;
    }

    R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (consumed == dispatched) {
            throw takeTruncated();
        }
        Object outcome = take();
        consumed++;
        topUp();
        endIfDrained();
        if (outcome instanceof Chunk.Failure failure) {
            throw failure.exception();
        }
        @SuppressWarnings("unchecked")
        R value = (R) Chunk.valueOf(outcome);
        return value;
    }

    /** Returns the reason the inputs ended early, once; the call then ends. */
    private RuntimeException takeTruncated() {
        RuntimeException e = truncated;
        truncated = null;
        truncatedBySource = false;
        endIfDrained();
        return e;
    }

    /** Takes the next outcome, waiting for it; there is at least one not consumed. */
    private Object take() {
        Object outcome = poll();
        if (outcome != null) {
            return outcome;
        }
        Thread me = Thread.currentThread();
        waiter = me;
        try {
            while (true) {
                // Publish what is awaited, then look again: a reporter storing an outcome after this
                // look sees it and unparks this thread.
                awaited = ordered ? slots.peekFirst().chunk : ANY_CHUNK;
                if ((outcome = poll()) != null) {
                    return outcome;
                }
                if (me.isInterrupted()) {
                    throw new PoolException("Interrupted while waiting for the next imap result",
                            new InterruptedException());
                }
                LockSupport.park(this);
            }
        } finally {
            awaited = null;
        }
    }

    /** Takes an outcome that is ready, or returns {@code null}. */
    private Object poll() {
        if (ordered) {
            Slot head = slots.peekFirst();
            Object outcome = head.chunk.outcome(head.next);
            if (outcome != null && ++head.next == head.chunk.size()) {
                slots.pollFirst();
            }
            return outcome;
        }
        for (Iterator<Slot> it = slots.iterator(); it.hasNext(); ) {
            Slot slot = it.next();
            Object outcome = slot.chunk.outcome(slot.next);
            if (outcome != null) {
                if (++slot.next == slot.chunk.size()) {
                    it.remove();
                }
                return outcome;
            }
        }
        return null;
    }

    /** Reads and dispatches inputs until the window is full or the source is exhausted. */
    private void topUp() {
        int size;
        while (!sourceDone && dispatched - consumed + (size = chunkSize.size()) <= window(size)) {
            if (closedBecause.get() != null) {
                return; // closed from another thread: nothing more will be taken
            }
            if (aborted) {
                sourceDone = true; // the pool terminates: read no more
                sourceEnded();
                break;
            }
            // The caller's iterator is read holding no lock: it may block or call the pool.
            Object[] batch = new Object[Math.min(size, INITIAL_BATCH_CAPACITY)];
            int read = 0;
            RuntimeException sourceFailure = null;
            try {
                while (read < size && source.hasNext()) {
                    if (read == batch.length) {
                        batch = Arrays.copyOf(batch, (int) Math.min(size, 2L * read));
                    }
                    Object input = source.next(); // before counting it: next() may throw
                    batch[read++] = input;
                }
            } catch (RuntimeException e) {
                // The caller's own iterator failed: run what was read, then let the caller see it as is.
                sourceFailure = e;
            }
            if (closedBecause.get() != null) {
                return; // closed while reading: drop what was read
            }
            if (read == 0 || sourceFailure != null) {
                sourceDone = true;
                truncated = sourceFailure;
                truncatedBySource = sourceFailure != null;
            }
            if (read > 0 && !dispatch(read == batch.length ? batch : Arrays.copyOf(batch, read))) {
                break;
            }
            if (sourceDone) {
                sourceEnded();
            }
        }
        if (sourceDone) {
            endIfDrained();
        }
    }

    /** Dispatches one chunk of inputs; returns false if the pool no longer accepts work. */
    private boolean dispatch(Object[] batch) {
        try {
            pool.beginDispatch();
        } catch (PoolClosedException e) {
            sourceDone = true;
            truncatedBySource = false;
            truncated = new PoolClosedException(
                    "The pool was closed before all imap inputs were dispatched; input #" + dispatched
                            + " and later were not run",
                    dispatched);
            sourceEnded();
            return false;
        }
        try {
            long first = dispatched;
            dispatched += batch.length;
            Chunk chunk = newChunk(first, Arrays.asList(batch), 0, batch.length, new Object[batch.length]);
            String closedWhy = closedBecause.get();
            if (closedWhy != null) {
                // close() may have looked for unresolved chunks before this one was registered.
                chunk.cancel(cancelledFailure(closedWhy));
            } else {
                pool.dispatchChunk(chunk);
            }
        } finally {
            pool.endDispatch();
        }
        return true;
    }

    /** The source is exhausted (or cut short): the total is known now. */
    private void sourceEnded() {
        if (total >= 0) {
            return;
        }
        total = dispatched;
        // Every outcome may have been reported while the total was still unknown: report it now.
        if (tellsProgress && dispatched > 0 && finished.get() == dispatched && totalReported.compareAndSet(false, true)) {
            progress(dispatched, dispatched);
        }
    }

    private void endIfDrained() {
        if (sourceDone && consumed == dispatched && truncated == null) {
            pool.callEnded(this);
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
        slots.addLast(new Slot(chunk));
    }

    // ---- reporters --------------------------------------------------------------------------

    @Override
    void onOutcome(Chunk chunk, int offset, boolean failed, boolean chunkResolved) {
        reported(chunk, 1, chunkResolved);
    }

    @Override
    void onSuccesses(Chunk chunk, int count, boolean chunkResolved) {
        reported(chunk, count, chunkResolved);
    }

    /** After {@code count} outcomes of {@code chunk} were stored and counted. */
    private void reported(Chunk chunk, int count, boolean chunkResolved) {
        if (tellsProgress) {
            long done = finished.addAndGet(count);
            long knownTotal = total;
            if (knownTotal < 0 || done < knownTotal || totalReported.compareAndSet(false, true)) {
                progress(done, knownTotal);
            }
        }
        if (chunkResolved) {
            unresolved.remove(chunk);
            chunkSize.resolved(chunk.size(), chunk.dispatchedAt);
        }
        Object awaitedNow = awaited;
        // Only the first outcome the consumer waits for unparks it: it takes what else is ready
        // once it runs, and the reporters behind do not pay for a wake-up each.
        if ((awaitedNow == chunk || awaitedNow == ANY_CHUNK) && AWAITED.compareAndSet(this, awaitedNow, null)) {
            LockSupport.unpark(waiter);
        }
        if (chunkResolved) {
            pool.chunkResolved(); // last: once released, close() may return
        }
    }

    // ---- closers ----------------------------------------------------------------------------

    /** Cancels what is left and ends the call: its iterator was closed, or dropped unreachable. */
    void close(String why) {
        if (!closedBecause.compareAndSet(null, why)) {
            return;
        }
        cancelAll(cancelledFailure(why));
        wakeConsumer();
        pool.callEnded(this);
    }

    @Override
    void abort(LongFunction<PoolException> failureForIndex) {
        aborted = true;
        cancelAll(failureForIndex);
        wakeConsumer();
    }

    private void cancelAll(LongFunction<PoolException> failureForIndex) {
        for (Chunk chunk : unresolved) {
            chunk.cancel(failureForIndex);
            pool.chunkCancelled(chunk);
        }
    }

    private void wakeConsumer() {
        Thread thread = waiter;
        if (thread != null && awaited != null) {
            LockSupport.unpark(thread);
        }
    }
}
