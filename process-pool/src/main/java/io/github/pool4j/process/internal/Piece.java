package io.github.pool4j.process.internal;

import io.github.pool4j.spi.Chunk;
import java.util.BitSet;
import java.util.Map;

/**
 * Consecutive inputs of one chunk that travel in one call frame. Fields below {@code body} are
 * guarded by the group's lock ({@link WorkerGroup}) and describe the current send, if any.
 */
final class Piece {
    final Chunk chunk;
    final int base;
    final int count;
    final byte[] body;
    /**
     * The raw segments written before each send of {@link #body} (header, bytes, ...), kept for a
     * resend: the inputs are read once, when the chunk is dispatched (they may be the caller's
     * own list, read in place; see {@code ProcessPool.Engine#readsInputsOnDispatch}).
     */
    final byte[][] segments;
    final PreparedTask prepared;
    Map<Integer, Integer> attempts;
    /** Positions given an outcome that may not be reported yet: never sent again. */
    final BitSet settled;
    long sendId = -1;
    BitSet skip = new BitSet();
    int cursor;
    WorkerProcess worker;

    Piece(Chunk chunk, int base, int count, byte[] body, byte[][] segments, PreparedTask prepared) {
        this.chunk = chunk;
        this.base = base;
        this.count = count;
        this.body = body;
        this.segments = segments;
        this.prepared = prepared;
        this.settled = new BitSet(count);
    }

    int nextExpected() {
        int i = cursor;
        while (i < count && skip.get(i)) {
            i++;
        }
        return i;
    }

    long index(int offset) {
        return chunk.firstIndex() + base + offset;
    }
}
