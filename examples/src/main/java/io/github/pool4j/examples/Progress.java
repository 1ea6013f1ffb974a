package io.github.pool4j.examples;

import io.github.pool4j.PoolListener;
import io.github.pool4j.ProgressBar;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * Chooses how the examples show a call's progress: pool4j's {@link ProgressBar}, live on stderr.
 *
 * <p>Only on a terminal: when output goes to a file or a pipe the examples print nothing but
 * their results.
 */
final class Progress {

    private Progress() {}

    /** Returns a live progress bar on stderr when this JVM runs on a terminal, otherwise {@link PoolListener#NONE}. */
    static PoolListener onTerminal() {
        return isTerminal() ? ProgressBar.builder().output(System.err).terminal(true).build() : PoolListener.NONE;
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

    /** Returns a progress bar that always prints to {@code err}, one plain line per call. */
    static PoolListener to(PrintStream err) {
        return ProgressBar.to(err);
    }
}
