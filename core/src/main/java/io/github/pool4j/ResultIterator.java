package io.github.pool4j;

import java.util.Iterator;

/**
 * An iterator over the results of {@link Pool#imap} or {@link Pool#imapUnordered}, which can be
 * closed to give up the results not read yet.
 *
 * <p>{@link #next()} blocks until the next result is ready and throws the {@link PoolException}
 * that replaced it if its input failed; the iterator stays usable after such a failure, like
 * Python's {@code imap}. {@link #close()} cancels the inputs not yet started and stops reading the
 * caller's inputs; an iterator dropped without {@code close()} keeps at most its window of inputs in
 * flight and reads no further, and once it is unreachable (garbage) its call is cancelled and
 * freed as if closed. Not thread-safe: use an iterator from one thread at a time.
 *
 * @param <R> the result type
 */
public interface ResultIterator<R> extends Iterator<R>, AutoCloseable {

    /**
     * Tells whether another result will come, reading more of the caller's inputs if needed.
     *
     * @return {@code true} if {@link #next()} will return or throw for another input
     * @throws PoolException wrapping an {@link InterruptedException} if the thread is interrupted
     *     while reading inputs; any exception thrown by the caller's input iterator, unchanged
     */
    @Override
    boolean hasNext();

    /**
     * Returns the next result, blocking until it is ready.
     *
     * @return the next result
     * @throws java.util.NoSuchElementException if there are no more results
     * @throws TaskFailedException if the task failed for that input (the iterator stays usable)
     * @throws PoolException another failure of that input (crash, timeout, pool closed), or
     *     wrapping an {@link InterruptedException} if the calling thread is interrupted while
     *     waiting (its interrupt flag stays set)
     */
    @Override
    R next();

    /** Cancels the inputs not started yet and releases the iterator; idempotent. */
    @Override
    void close();
}
