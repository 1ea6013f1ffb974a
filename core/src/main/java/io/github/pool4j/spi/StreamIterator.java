package io.github.pool4j.spi;

import io.github.pool4j.ResultIterator;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * The caller's side of an {@code imap}/{@code imapUnordered} call: the {@link ResultIterator}
 * handed out, forwarding to its {@link StreamCall}.
 *
 * <p>Nothing of the pool references this object, only the caller does. When the caller drops it
 * without {@link #close()}, a {@link Cleaner} cancels its call once it is unreachable, so an
 * abandoned iterator's inputs, chunks and results are freed instead of piling up.
 *
 * <p>Thread-safety: as {@link ResultIterator}: one thread at a time; {@link #close()} may be
 * called from any thread.
 */
final class StreamIterator<R> implements ResultIterator<R> {

    private final StreamCall<R> call;
    private final Cleaner.Cleanable cleanable;

    StreamIterator(StreamCall<R> call) {
        this.call = call;
        // The action must not reference this iterator, or it would never become unreachable.
        this.cleanable = Cleaners.CLEANER.register(this, new Release(call));
    }

    // hasNext() and next() may block for a long time inside the call, where this iterator is no
    // longer used: without the fences the JIT may let it become unreachable mid-wait, and the
    // cleaner would cancel a call its caller is still reading.
    @Override
    public boolean hasNext() {
        try {
            return call.hasNext();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public R next() {
        try {
            return call.next();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void close() {
        call.close("the imap iterator was closed");
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "ResultIterator[call " + call.id + "]";
    }

    /** Cancels an unreachable iterator's call; run once, by the cleaner thread or by close(). */
    private record Release(StreamCall<?> call) implements Runnable {
        @Override
        public void run() {
            call.close("the imap iterator became unreachable without close()");
        }
    }

    /** Holds the cleaner, so its thread starts with the first imap call, not with the class. */
    private static final class Cleaners {
        /** One daemon thread, {@code pool4j-cleaner}, shared by every pool of this JVM. */
        static final Cleaner CLEANER = Cleaner.create(runnable -> {
            Thread thread = new Thread(runnable, "pool4j-cleaner");
            thread.setDaemon(true);
            return thread;
        });
    }
}
