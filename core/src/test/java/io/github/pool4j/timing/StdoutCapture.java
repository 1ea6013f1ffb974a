package io.github.pool4j.timing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Replaces {@code System.out} or {@code System.err} for the duration of a try block. */
final class StdoutCapture implements AutoCloseable {

    private final boolean err;
    private final PrintStream original;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private StdoutCapture(boolean err) {
        this.err = err;
        this.original = err ? System.err : System.out;
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        if (err) {
            System.setErr(capture);
        } else {
            System.setOut(capture);
        }
    }

    static StdoutCapture out() {
        return new StdoutCapture(false);
    }

    static StdoutCapture err() {
        return new StdoutCapture(true);
    }

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (err) {
            System.setErr(original);
        } else {
            System.setOut(original);
        }
    }
}
