package io.github.pool4j.process.internal;

import io.github.pool4j.RemoteTaskException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * An exception as it travels from a worker: class name, message, printed trace, frames and cause
 * chain (cut at a cycle or {@link #MAX_CAUSES}).
 *
 * @param className the exception's class name
 * @param message its message, or {@code null}
 * @param printed its printed stack trace (with causes), as the worker printed it
 * @param frames its stack frames, innermost first
 * @param cause its cause, or {@code null}
 */
public record RemoteError(
        String className, String message, String printed, List<StackTraceElement> frames, RemoteError cause) {

    static final int MAX_CAUSES = 32;

    /**
     * Describes {@code t}, surviving messages that throw and cause cycles.
     *
     * @param t the exception
     * @return its description
     */
    static RemoteError of(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return of(t, printed(t), seen, 0);
    }

    private static RemoteError of(Throwable t, String printed, Set<Throwable> seen, int depth) {
        seen.add(t);
        Throwable next = t.getCause();
        RemoteError cause = next == null || seen.contains(next) || depth >= MAX_CAUSES
                ? null
                : of(next, null, seen, depth + 1);
        return new RemoteError(t.getClass().getName(), safeMessage(t), printed, List.of(t.getStackTrace()), cause);
    }

    /**
     * Rebuilds this error in the parent as a {@link RemoteTaskException} chain.
     *
     * @return the rebuilt exception
     */
    public RemoteTaskException rebuild() {
        return new RemoteTaskException(className, message, frames, cause == null ? null : cause.rebuild());
    }

    static String safeMessage(Throwable t) {
        try {
            return t.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            return "<getMessage() threw " + e.getClass().getName() + ">";
        }
    }

    static String printed(Throwable t) {
        StringWriter out = new StringWriter();
        try {
            t.printStackTrace(new PrintWriter(out, true));
            return out.toString();
        } catch (RuntimeException | StackOverflowError e) {
            StringBuilder text = new StringBuilder();
            Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            String prefix = "";
            for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
                text.append(prefix).append(c.getClass().getName()).append(": ").append(safeMessage(c)).append('\n');
                for (StackTraceElement frame : c.getStackTrace()) {
                    text.append("\tat ").append(frame).append('\n');
                }
                prefix = "Caused by: ";
            }
            return text.toString();
        }
    }
}
