package io.github.pool4j.process;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures this JVM's {@code System.out} and {@code System.err}, where a pool forwards its
 * workers' output, and gives them back. Not thread-safe: start and restore from the test thread.
 */
final class CapturedOutput {

    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Points {@code System.out} and {@code System.err} at the capture. */
    void start() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Puts the original streams back. */
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    /** What reached {@code System.out} so far (read under the stream's lock, as PrintStream writes). */
    String out() {
        synchronized (System.out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** What reached {@code System.err} so far. */
    String err() {
        synchronized (System.err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }
}
