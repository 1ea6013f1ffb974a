package io.github.pool4j.spi;

import io.github.pool4j.timing.Ticker;

/**
 * The chunk size of a lazy call ({@code imap}, {@code imapUnordered}) whose size was not set: it
 * starts at one input, so the first results come soon, doubles while chunks come back fast and
 * halves when they turn slow, between 1 and {@link #MAX_CHUNK_SIZE}.
 *
 * <p>A chunk's latency (from its dispatch to its last outcome) counts its run and its wait behind
 * the call's other chunks in flight, which grow with the chunk size; so doubling stops by itself
 * once a chunk's work (rather than the per-chunk cost of a hand-off or a round trip to a worker
 * process) is what takes the time. Only a chunk of the current size can make it grow, so the
 * small chunks of the start do not double it many times over.
 *
 * <p>Thread-safety: thread-safe: the consumer of a {@link StreamCall} reads the size while the
 * threads that report outcomes let it learn from resolved chunks.
 */
final class AdaptiveChunkSize {

    /** The largest chunk the adaptive size reaches. */
    static final int MAX_CHUNK_SIZE = 1024;

    /** A chunk back faster than this doubles the chunk size. */
    static final long GROW_BELOW_NANOS = 10_000_000L; // 10 ms

    /** A chunk slower than this halves the chunk size. */
    static final long SHRINK_ABOVE_NANOS = 200_000_000L; // 200 ms

    private final Ticker ticker;
    /** Written under this object's monitor; read without it. */
    private volatile int size;

    /**
     * Creates an adaptive size reading {@code ticker}.
     *
     * @param ticker the clock chunk latencies are measured with
     */
    AdaptiveChunkSize(Ticker ticker) {
        this.ticker = ticker;
        this.size = 1;
    }

    private AdaptiveChunkSize(int fixed) {
        this.ticker = null;
        this.size = fixed;
    }

    /**
     * Returns a size that never changes (set per pool or per call).
     *
     * @param size inputs per chunk, at least 1
     * @return the fixed size
     */
    static AdaptiveChunkSize fixed(int size) {
        return new AdaptiveChunkSize(size);
    }

    /** Returns the size of the next chunk. */
    int size() {
        return size;
    }

    /** Returns the time to stamp a chunk with when it is dispatched, 0 for a fixed size. */
    long now() {
        return ticker == null ? 0 : ticker.nanos();
    }

    /**
     * Learns from a resolved chunk.
     *
     * @param chunkSize how many inputs the chunk had
     * @param dispatchedAt what {@link #now()} returned when it was dispatched
     */
    void resolved(int chunkSize, long dispatchedAt) {
        if (ticker == null) {
            return;
        }
        synchronized (this) {
            learn(chunkSize, dispatchedAt);
        }
    }

    private void learn(int chunkSize, long dispatchedAt) {
        long latency = ticker.nanos() - dispatchedAt;
        if (latency < GROW_BELOW_NANOS) {
            if (chunkSize >= size && size < MAX_CHUNK_SIZE) {
                size = Math.min(MAX_CHUNK_SIZE, size * 2);
            }
        } else if (latency > SHRINK_ABOVE_NANOS && size > 1) {
            size = Math.max(1, Math.min(size, chunkSize) / 2);
        }
    }
}
