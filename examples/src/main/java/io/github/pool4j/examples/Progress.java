package io.github.pool4j.examples;

import io.github.pool4j.PoolListener;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;

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
        return isTerminal() ? new Progress(System.err) : PoolListener.NONE;
    }

    /**
     * Tells whether this JVM's input and output are a terminal. Up to JDK 21 that is
     * {@code System.console() != null}; JDK 22 may return a console for redirected streams too
     * and added {@code Console.isTerminal()} to tell, so ask it where it exists.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
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
