package io.github.pool4j.examples;

import io.github.pool4j.PoolListener;
import java.io.PrintStream;

/**
 * Shows a call's progress (inputs done/total) on stderr, from the pool's {@link PoolListener}.
 *
 * <p>Only on a terminal: when output goes to a file or a pipe the examples print nothing but
 * their results. Thread-safe: lines are printed whole.
 */
final class Progress implements PoolListener {

    private final PrintStream err;

    private Progress(PrintStream err) {
        this.err = err;
    }

    /** Returns a progress listener when this JVM runs on a terminal, otherwise {@link PoolListener#NONE}. */
    static PoolListener onTerminal() {
        return System.console() != null ? new Progress(System.err) : PoolListener.NONE;
    }

    /** Returns a progress listener that always prints to {@code err}. */
    static PoolListener to(PrintStream err) {
        return new Progress(err);
    }

    @Override
    public void onProgress(long callId, long done, long total) {
        String of = total < 0 ? "?" : Long.toString(total);
        err.println("progress " + done + "/" + of + " inputs done");
    }
}
