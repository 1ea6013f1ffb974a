package io.github.pool4j.process.internal;

import io.github.pool4j.PoolException;
import io.github.pool4j.RemoteTaskException;
import io.github.pool4j.TaskFailedException;
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
        return of(t, true, seen, 0);
    }

    private static RemoteError of(Throwable t, boolean withPrintedTrace, Set<Throwable> seen, int depth) {
        seen.add(t);
        Throwable next = t.getCause();
        RemoteError cause = next == null || seen.contains(next) || depth >= MAX_CAUSES
                ? null
                : of(next, false, seen, depth + 1);
        // TaskFailedException already reads a message and a printed trace safely (throwing
        // getMessage(), cause cycles); reuse it rather than repeat that here.
        TaskFailedException described = TaskFailedException.of(PoolException.NO_INPUT, t);
        return new RemoteError(
                t.getClass().getName(),
                described.remoteMessage(),
                withPrintedTrace ? described.remoteStackTrace() : null,
                List.of(t.getStackTrace()),
                cause);
    }

    /**
     * Rebuilds this error in the parent as a {@link RemoteTaskException} chain.
     *
     * @return the rebuilt exception
     */
    public RemoteTaskException rebuild() {
        return new RemoteTaskException(className, message, frames, cause == null ? null : cause.rebuild());
    }
}
