package io.github.pool4j.benchmarks;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The physical limit the process pool's rows are compared with: a child JVM that echoes raw
 * length-prefixed messages from its stdin to its stdout, and the parent-side measurements that
 * drive it (a payload copy of the same number of bytes, a small-message ping-pong).
 *
 * <p>The echo is store-and-forward, as a worker's echo task is: the child reads a whole message
 * (a 4-byte big-endian length, then that many bytes) before it writes it back, so one round trip
 * crosses each pipe once with no encoding, no extra copy and no thread hand-off. Nothing a pool
 * does on top of two pipes can be faster than this.
 *
 * <p>Thread-safety: the measurement methods drive one child each and must be called from one
 * thread at a time.
 */
public final class PipeEcho {

    /** Bytes of the length prefix. */
    private static final int HEADER_BYTES = 4;
    /** Payload bytes of one ping-pong message, about the size of a small task frame's body. */
    static final int PING_BYTES = 16;
    /** Heap of the child: room for one 50 MB message and the buffers around it. */
    private static final String CHILD_HEAP = "-Xmx256m";

    private PipeEcho() {}

    /**
     * Echoes length-prefixed messages from stdin to stdout until end of input.
     *
     * @param args ignored
     * @throws IOException if a pipe fails
     */
    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new FileInputStream(FileDescriptor.in));
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        byte[] message = new byte[0];
        while (true) {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException end) {
                return;
            }
            if (message.length != HEADER_BYTES + length) {
                message = new byte[HEADER_BYTES + length];
                ByteBuffer.wrap(message).putInt(length);
            }
            in.readFully(message, HEADER_BYTES, length);
            out.write(message);
        }
    }

    /**
     * Raw pipe bandwidth for {@code bytes}-byte messages sent to a child JVM and echoed back,
     * counted as the payload rows count theirs: 2 × size / time, in MB/s.
     *
     * @param bytes the message size
     * @param minSeconds how long to measure (and, half as long, to warm up)
     * @return MB/s
     * @throws IOException if the child fails
     * @throws InterruptedException if interrupted while the child exits
     */
    static double bandwidth(int bytes, double minSeconds) throws IOException, InterruptedException {
        try (Child child = new Child()) {
            byte[] message = message(bytes);
            child.roundTrip(message);
            JavaSide.loop(minSeconds / 2, () -> child.roundTrip(message));
            double seconds = JavaSide.loop(minSeconds, () -> child.roundTrip(message));
            return 2.0 * bytes / seconds / 1e6;
        }
    }

    /**
     * Median round trip of one small message to a child JVM and back, in microseconds, after
     * {@code warmup} round trips (the same counts as the submit rows).
     *
     * @param warmup round trips before measuring
     * @param calls round trips measured
     * @return the median in µs
     * @throws IOException if the child fails
     * @throws InterruptedException if interrupted while the child exits
     */
    static double pingPong(int warmup, int calls) throws IOException, InterruptedException {
        try (Child child = new Child()) {
            byte[] message = message(PING_BYTES);
            for (int i = 0; i < warmup; i++) {
                child.roundTrip(message);
            }
            List<Double> samples = new ArrayList<>(calls);
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                child.roundTrip(message);
                samples.add((System.nanoTime() - start) / 1e3);
            }
            return Stats.of(samples).median();
        }
    }

    private static byte[] message(int bytes) {
        byte[] message = new byte[HEADER_BYTES + bytes];
        // Random bytes, as the byte[] payload rows send (incompressible, not that pipes care).
        new Random(42).nextBytes(message);
        ByteBuffer.wrap(message).putInt(bytes);
        return message;
    }

    /** One echoing child JVM; closing it closes its stdin and waits for it to exit. */
    private static final class Child implements AutoCloseable {
        private static final long EXIT_WAIT_SECONDS = 30;

        private final Process process;
        private final OutputStream toChild;
        private final InputStream fromChild;
        private byte[] reply = new byte[0];

        Child() throws IOException {
            process = new ProcessBuilder(JavaSide.javaBinary(), CHILD_HEAP, "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), PipeEcho.class.getName())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            toChild = process.getOutputStream();
            fromChild = process.getInputStream();
        }

        /** Writes the whole message, then reads the whole echo (a Runnable for JavaSide.loop). */
        void roundTrip(byte[] message) {
            try {
                toChild.write(message);
                toChild.flush();
                if (reply.length != message.length) {
                    reply = new byte[message.length];
                }
                int read = fromChild.readNBytes(reply, 0, reply.length);
                if (read != message.length) {
                    throw new EOFException("echo child sent " + read + " of " + message.length + " bytes");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            toChild.close();
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("echo child did not exit");
            }
            fromChild.close();
        }
    }
}
