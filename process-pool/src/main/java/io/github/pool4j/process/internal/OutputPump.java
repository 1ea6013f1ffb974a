package io.github.pool4j.process.internal;

import io.github.pool4j.process.internal.protocol.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Copies one of a worker's plain output descriptors (fd 1 or fd 2, see {@link WorkerIo}) to this
 * JVM's {@code System.out} or {@code System.err}, byte for byte.
 *
 * <p>Standard output is forwarded as it is read. Standard error is forwarded a line at a time (a
 * line longer than {@value #MAX_LINE} bytes in pieces), so the pool can keep its last lines for
 * crash reports. The pump ends at end of file, or at the {@linkplain WorkerIo#finish end mark}
 * written after the worker exited, or when its channel is closed; it then closes its channel.
 * Memory is bounded: one read buffer and at most one {@value #MAX_LINE}-byte line.
 *
 * <p>Thread-safety: one pump thread; {@link #start} and {@link #join} from any thread.
 */
final class OutputPump {

    /** The longest piece of one standard error line held before it is forwarded anyway. */
    static final int MAX_LINE = 8 * 1024;
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final FileChannel channel;
    private final byte[] mark;
    private final boolean stderr;
    private final Consumer<String> lines;
    private final Thread thread;
    /** Bytes to forward, gathered while one read is scanned. */
    private final Wire.Buffer pending = new Wire.Buffer(256);
    /** How many bytes of the end mark the input ended with so far (held back). */
    private int matched;

    /**
     * Creates a pump reading a FIFO up to {@code mark}.
     *
     * @param channel this side's end of the FIFO; closed when the pump ends
     * @param mark the end mark (distinct bytes)
     * @param stderr whether it forwards to {@code System.err} (else {@code System.out})
     * @param lines receives each standard error line (for the stderr tail), or null
     * @param name the thread's name
     */
    OutputPump(FileChannel channel, byte[] mark, boolean stderr, Consumer<String> lines, String name) {
        this(Channels.newInputStream(channel), channel, mark, stderr, lines, name);
    }

    /**
     * Creates a pump reading a pipe to its end.
     *
     * @param in the pipe
     * @param stderr whether it forwards to {@code System.err}
     * @param lines receives each standard error line, or null
     * @param name the thread's name
     */
    OutputPump(InputStream in, boolean stderr, Consumer<String> lines, String name) {
        this(in, null, null, stderr, lines, name);
    }

    private OutputPump(InputStream in, FileChannel channel, byte[] mark, boolean stderr, Consumer<String> lines,
            String name) {
        this.in = in;
        this.channel = channel;
        this.mark = mark;
        this.stderr = stderr;
        this.lines = lines;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits up to {@code millis} for the pump to end; returns whether it did. */
    boolean join(long millis) throws InterruptedException {
        if (millis > 0) {
            thread.join(millis);
        }
        return !thread.isAlive();
    }

    private void run() {
        byte[] buf = new byte[BUFFER];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                boolean more = mark == null ? gather(buf, 0, n) : scan(buf, n);
                forward(false);
                if (!more) {
                    break;
                }
            }
        } catch (IOException e) {
            // Closed (the worker is gone and the pool stopped waiting) or broken.
        } finally {
            forward(true);
            try {
                in.close();
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /**
     * Passes the read bytes on, up to the end mark; returns false once it was seen. The mark's
     * bytes are distinct, so after a mismatch only the current byte can start it again.
     */
    private boolean scan(byte[] buf, int n) {
        int from = 0;
        for (int i = 0; i < n; i++) {
            byte b = buf[i];
            if (matched == 0 && b != mark[0]) {
                continue;
            }
            if (b == mark[matched]) {
                if (matched == 0) {
                    gather(buf, from, i - from);
                }
                matched++;
                from = i + 1;
                if (matched == mark.length) {
                    return false;
                }
                continue;
            }
            // Not the mark after all: what was held back is output.
            gather(mark, 0, matched);
            matched = 0;
            from = i;
            if (b == mark[0]) {
                matched = 1;
                from = i + 1;
            }
        }
        gather(buf, from, n - from);
        return true;
    }

    /** Adds bytes to forward; standard error forwards each whole line at once. */
    private boolean gather(byte[] buf, int off, int len) {
        if (!stderr) {
            pending.write(buf, off, len);
            return true;
        }
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (buf[i] == '\n') {
                pending.write(buf, start, i - start);
                line(true);
                start = i + 1;
            } else if (pending.size() + (i - start) >= MAX_LINE) {
                pending.write(buf, start, i - start);
                line(false);
                start = i;
            }
        }
        pending.write(buf, start, off + len - start);
        return true;
    }

    /** Forwards one standard error line (or a piece of a long one). */
    private void line(boolean newline) {
        if (lines != null) {
            lines.accept(new String(pending.array(), 0, pending.size(), StandardCharsets.UTF_8));
        }
        if (newline) {
            pending.write('\n');
        }
        write(System.err, pending.array(), pending.size());
        pending.reset();
    }

    /** Forwards what standard output gathered; at the end, also standard error's unfinished line. */
    private void forward(boolean end) {
        if (pending.size() == 0) {
            return;
        }
        if (stderr) {
            if (end) {
                line(false);
            }
            return;
        }
        write(System.out, pending.array(), pending.size());
        pending.reset();
    }

    private static void write(PrintStream target, byte[] bytes, int length) {
        synchronized (target) {
            target.write(bytes, 0, length);
            target.flush();
        }
    }
}
