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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    /** The child's argument: read each message into a new array. */
    private static final String FRESH = "fresh";
    /** Heap of the child: room for one 50 MB message and the buffers around it. */
    private static final String CHILD_HEAP = "-Xmx256m";

    private PipeEcho() {}

    /**
     * Echoes length-prefixed messages from stdin to stdout until end of input.
     *
     * @param args {@value #FRESH} to read each message into a new array, as a worker reads a value
     * @throws IOException if a pipe fails
     */
    public static void main(String[] args) throws IOException {
        boolean fresh = args.length > 0 && args[0].equals(FRESH);
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
            if (fresh || message.length != HEADER_BYTES + length) {
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
        return bandwidth(bytes, minSeconds, false);
    }

    /**
     * The JVM's own floor for a {@code byte[]} value's round trip: as {@link #bandwidth}, but each
     * end reads each message into a new array (a task gets a new {@code byte[]}, and so does the
     * caller), and the child runs with a worker's default JVM options. What this loses against
     * {@code bandwidth} is the cost of fresh arrays (zeroing, the pages a growing heap touches for
     * the first time, collections), which no JVM pool can avoid; no encoding, no extra copy.
     *
     * @param bytes the message size
     * @param minSeconds how long to measure (and, half as long, to warm up)
     * @return MB/s
     * @throws IOException if the child fails
     * @throws InterruptedException if interrupted while the child exits
     */
    static double bandwidthFreshArrays(int bytes, double minSeconds) throws IOException, InterruptedException {
        return bandwidth(bytes, minSeconds, true);
    }

    private static double bandwidth(int bytes, double minSeconds, boolean freshArrays)
            throws IOException, InterruptedException {
        try (Child child = new Child(freshArrays)) {
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

    /**
     * The floor of a cold chunk-1 map: {@code n} small messages, one per input, split between two
     * freshly started echo children (each answered once first, as the cold-map rows start both
     * workers before the clock), in messages per second. The children run their echo loop in the
     * interpreter as a new worker runs its read loop; this JVM's side is whatever it has compiled.
     *
     * @param n messages in all
     * @return messages per second
     * @throws Exception if a child fails or the exchange is interrupted
     */
    static double coldStream(int n) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try (Child first = new Child(); Child second = new Child()) {
            List<Child> children = List.of(first, second);
            byte[] ping = message(PING_BYTES);
            for (Child child : children) {
                child.roundTrip(ping);
            }
            List<List<byte[]>> messages = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < n; i++) {
                messages.get(i % 2).add(ping);
            }
            long start = System.nanoTime();
            exchange(children, messages, readers, (child, index, body) -> { });
            return n / ((System.nanoTime() - start) / 1e9);
        } finally {
            readers.shutdownNow();
        }
    }

    /**
     * The floor of a warm {@code map} of {@code n} boxed integers over two JVMs: the inputs
     * unboxed into the same chunks the pool's automatic chunk size makes ({@code ceil(n / 8)}
     * for two workers), one 4-byte integer each, echoed by two warm children, and boxed into a
     * result list again. No task, no pool: what the pipes and the boxes cost. The best of
     * {@code bestOf} maps in milliseconds, after warming up for {@code warmSeconds}.
     *
     * @param n the number of inputs
     * @param bestOf maps measured
     * @param warmSeconds how long to warm up
     * @return the best time in milliseconds
     * @throws Exception if a child fails or the exchange is interrupted
     */
    static double mapBestMillis(int n, int bestOf, double warmSeconds) throws Exception {
        List<Integer> inputs = Workloads.range(n);
        int chunk = (n + 7) / 8;
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try (Child first = new Child(); Child second = new Child()) {
            List<Child> children = List.of(first, second);
            Callable<List<Integer>> map = () -> echoMap(children, readers, inputs, chunk);
            if (!map.call().equals(inputs)) {
                throw new IllegalStateException("echo map returned wrong results");
            }
            JavaSide.loop(warmSeconds, () -> {
                try {
                    map.call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < bestOf; i++) {
                long start = System.nanoTime();
                map.call();
                best = Math.min(best, (System.nanoTime() - start) / 1e6);
            }
            return best;
        } finally {
            readers.shutdownNow();
        }
    }

    private static List<Integer> echoMap(List<Child> children, ExecutorService readers, List<Integer> inputs, int chunk)
            throws Exception {
        int n = inputs.size();
        List<List<byte[]>> messages = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Integer>> offsets = List.of(new ArrayList<>(), new ArrayList<>());
        for (int from = 0, k = 0; from < n; from += chunk, k++) {
            int to = Math.min(n, from + chunk);
            ByteBuffer message = ByteBuffer.allocate(HEADER_BYTES + 4 * (to - from)).putInt(4 * (to - from));
            for (int i = from; i < to; i++) {
                message.putInt(inputs.get(i));
            }
            messages.get(k % 2).add(message.array());
            offsets.get(k % 2).add(from);
        }
        Integer[] results = new Integer[n];
        exchange(children, messages, readers, (child, index, body) -> {
            ByteBuffer values = ByteBuffer.wrap(body);
            int at = offsets.get(child).get(index);
            while (values.hasRemaining()) {
                results[at++] = values.getInt();
            }
        });
        return Arrays.asList(results);
    }

    /** What a reader does with the {@code index}-th echo of child number {@code child}. */
    private interface EchoHandler {
        void accept(int child, int index, byte[] body);
    }

    /** Writes each child its messages from this thread while one reader per child takes the echoes. */
    private static void exchange(List<Child> children, List<List<byte[]>> messages, ExecutorService readers,
            EchoHandler onEcho) throws Exception {
        List<Future<?>> reads = new ArrayList<>();
        for (int c = 0; c < children.size(); c++) {
            int child = c;
            reads.add(readers.submit(() -> {
                for (int i = 0; i < messages.get(child).size(); i++) {
                    onEcho.accept(child, i, children.get(child).readMessage());
                }
                return null;
            }));
        }
        int most = Math.max(messages.get(0).size(), messages.get(1).size());
        for (int i = 0; i < most; i++) {
            for (int c = 0; c < children.size(); c++) {
                if (i < messages.get(c).size()) {
                    children.get(c).write(messages.get(c).get(i));
                }
            }
        }
        for (Future<?> read : reads) {
            read.get();
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
        private final boolean fresh;
        private byte[] reply = new byte[0];

        Child() throws IOException {
            this(false);
        }

        /** A child that reads each message into a new array, as this end then does too, with a worker's options. */
        Child(boolean fresh) throws IOException {
            this.fresh = fresh;
            List<String> command = new ArrayList<>();
            command.add(JavaSide.javaBinary());
            if (fresh) {
                command.addAll(io.github.pool4j.process.ProcessPool.Builder.DEFAULT_JVM_OPTIONS);
            } else {
                command.addAll(List.of(CHILD_HEAP, "-XX:+UseSerialGC"));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), PipeEcho.class.getName()));
            if (fresh) {
                command.add(FRESH);
            }
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            toChild = process.getOutputStream();
            fromChild = process.getInputStream();
        }

        /** Writes one whole message (its length prefix included) and flushes it. */
        void write(byte[] message) throws IOException {
            toChild.write(message);
            toChild.flush();
        }

        /** Reads one echoed message and returns its body, without the length prefix. */
        byte[] readMessage() throws IOException {
            byte[] header = fromChild.readNBytes(HEADER_BYTES);
            if (header.length != HEADER_BYTES) {
                throw new EOFException("echo child closed its output");
            }
            int length = ByteBuffer.wrap(header).getInt();
            byte[] body = fromChild.readNBytes(length);
            if (body.length != length) {
                throw new EOFException("echo child sent " + body.length + " of " + length + " bytes");
            }
            return body;
        }

        /** Writes the whole message, then reads the whole echo (a Runnable for JavaSide.loop). */
        void roundTrip(byte[] message) {
            try {
                toChild.write(message);
                toChild.flush();
                if (fresh || reply.length != message.length) {
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
