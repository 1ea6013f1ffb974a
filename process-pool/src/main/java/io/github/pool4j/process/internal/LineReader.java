package io.github.pool4j.process.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads {@code '\n'}-terminated lines of bytes from a pipe without ever holding more than
 * {@code maxLine} bytes of one line: a longer line is returned in pieces marked
 * {@linkplain #overflowed() overflowed}.
 *
 * <p>Not thread-safe: one reader thread per pipe.
 */
final class LineReader {

    private final InputStream in;
    private final int maxLine;
    private final byte[] chunk = new byte[64 * 1024];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[8 * 1024];
    private int length;
    private boolean overflowed;

    LineReader(InputStream in, long maxLine) {
        this.in = in;
        this.maxLine = (int) Math.min(Integer.MAX_VALUE - 64L, Math.max(1024, maxLine));
    }

    /**
     * Reads the next line (without its newline) into {@link #buffer()}.
     *
     * @return its length, or {@code -1} at end of stream with nothing left
     * @throws IOException if reading fails
     */
    int next() throws IOException {
        length = 0;
        overflowed = false;
        while (true) {
            if (chunkPos == chunkEnd) {
                int n = in.read(chunk);
                if (n < 0) {
                    return length > 0 ? length : -1;
                }
                chunkPos = 0;
                chunkEnd = n;
            }
            int newline = -1;
            for (int i = chunkPos; i < chunkEnd; i++) {
                if (chunk[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline < 0 ? chunkEnd : newline;
            int take = Math.min(end - chunkPos, maxLine - length);
            append(chunkPos, take);
            chunkPos += take;
            if (length == maxLine && chunkPos < end) {
                overflowed = true;
                return length;
            }
            if (newline >= 0) {
                chunkPos = newline + 1;
                return length;
            }
        }
    }

    private void append(int from, int count) {
        if (length + count > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxLine, Math.max(line.length * 2L, length + count)));
        }
        System.arraycopy(chunk, from, line, length, count);
        length += count;
    }

    /**
     * Reads exactly {@code length} bytes that follow the last line (a raw segment) into a new array:
     * what is buffered first, the rest straight from the pipe into the array, with no copy between.
     *
     * @param length how many bytes; the caller checked it against its bound
     * @return the bytes
     * @throws EOFException if the stream ends first
     * @throws IOException if reading fails
     */
    byte[] readExactly(int length) throws IOException {
        byte[] out = new byte[length];
        int have = Math.min(length, chunkEnd - chunkPos);
        System.arraycopy(chunk, chunkPos, out, 0, have);
        chunkPos += have;
        while (have < length) {
            int n = in.read(out, have, length - have);
            if (n < 0) {
                throw new EOFException("a segment ends after " + have + " of its " + length + " bytes");
            }
            have += n;
        }
        return out;
    }

    byte[] buffer() {
        return line;
    }

    /** Tells whether the last line was cut at {@code maxLine} bytes; its rest follows. */
    boolean overflowed() {
        return overflowed;
    }

    /** Lets a huge line's buffer go once it has been handled. */
    void shrink() {
        if (line.length > 1024 * 1024) {
            line = new byte[8 * 1024];
        }
    }
}
