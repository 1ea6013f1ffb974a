package io.github.pool4j.codec;

import io.github.pool4j.PoolException;
import io.github.pool4j.RemoteTaskException;
import io.github.pool4j.TaskFailedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * An exception as it travels from a worker: class name, message, printed trace, frames and cause
 * chain (cut at a cycle or {@link #MAX_CAUSES}). Messages and the printed trace are bounded
 * ({@link #MAX_MESSAGE_CHARS}, {@link #MAX_PRINTED_CHARS}): their middle is cut, the class and
 * the frames are kept.
 *
 * @param className the exception's class name
 * @param message its message, or {@code null}
 * @param printed its printed stack trace (with causes), as the worker printed it
 * @param frames its stack frames, innermost first
 * @param cause its cause, or {@code null}
 * @param suppressed the exceptions it suppressed (at most {@link #MAX_SUPPRESSED})
 */
public record RemoteError(String className, String message, String printed, List<StackTraceElement> frames,
        RemoteError cause, List<RemoteError> suppressed) {

    public static final int MAX_CAUSES = 32;

    /** The most suppressed exceptions that travel per exception, and how deep they are followed. */
    public static final int MAX_SUPPRESSED = 16;
    private static final int MAX_SUPPRESSED_DEPTH = 2;

    /**
     * The most characters of an exception's message that travel; the rest is cut from the middle,
     * so that a task throwing a huge message fails its input instead of its worker.
     */
    public static final int MAX_MESSAGE_CHARS = 64 * 1024;

    /** The most characters of a printed stack trace that travel (its frames also travel apart). */
    public static final int MAX_PRINTED_CHARS = 1024 * 1024;

    /**
     * Describes {@code t}, surviving messages that throw and cause cycles.
     *
     * @param t the exception
     * @return its description
     */
    public static RemoteError of(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return of(t, true, seen, 0);
    }

    private static RemoteError of(Throwable t, boolean withPrintedTrace, Set<Throwable> seen, int depth) {
        seen.add(t);
        Throwable next = t.getCause();
        RemoteError cause = next == null || seen.contains(next) || depth >= MAX_CAUSES
                ? null
                : of(next, false, seen, depth + 1);
        List<RemoteError> suppressed = new ArrayList<>();
        if (depth < MAX_SUPPRESSED_DEPTH) {
            for (Throwable s : t.getSuppressed()) {
                if (suppressed.size() < MAX_SUPPRESSED && !seen.contains(s)) {
                    suppressed.add(of(s, false, seen, MAX_SUPPRESSED_DEPTH + depth));
                }
            }
        }
        String message = safeMessage(t);
        String printed = null;
        if (withPrintedTrace) {
            // TaskFailedException already prints a trace safely (a throwing toString(), cause
            // cycles); reuse it, unless a message is too long to be printed whole.
            printed = hasLongMessage(t) ? printBounded(t) : TaskFailedException.of(PoolException.NO_INPUT, t)
                    .remoteStackTrace();
            printed = bound(printed, MAX_PRINTED_CHARS);
        }
        return new RemoteError(t.getClass().getName(), bound(message, MAX_MESSAGE_CHARS), printed,
                List.of(t.getStackTrace()), cause, List.copyOf(suppressed));
    }

    private static String safeMessage(Throwable t) {
        try {
            return t.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            return "<getMessage() threw " + e.getClass().getName() + ">";
        }
    }

    private static boolean hasLongMessage(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c) && seen.size() <= MAX_CAUSES; c = c.getCause()) {
            String message = safeMessage(c);
            if (message != null && message.length() > MAX_MESSAGE_CHARS) {
                return true;
            }
        }
        return false;
    }

    /** Prints {@code t} and its causes as printStackTrace would, with each message bounded. */
    private static String printBounded(Throwable t) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        String prefix = "";
        for (Throwable c = t; c != null && seen.add(c) && seen.size() <= MAX_CAUSES; c = c.getCause()) {
            String message = bound(safeMessage(c), MAX_MESSAGE_CHARS);
            text.append(prefix).append(c.getClass().getName()).append(message == null ? "" : ": " + message)
                    .append('\n');
            for (StackTraceElement frame : c.getStackTrace()) {
                text.append("\tat ").append(frame).append('\n');
            }
            prefix = "Caused by: ";
        }
        return text.toString();
    }

    /** Cuts the middle out of {@code text} longer than {@code max}, saying how much was cut. */
    static String bound(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int half = max / 2;
        return text.substring(0, half) + "\n... [" + (text.length() - 2 * half) + " characters cut] ...\n"
                + text.substring(text.length() - half);
    }

    /**
     * Rebuilds this error in the parent: as an instance of the original class where this JVM can
     * load it and build it safely, so that {@code catch (IOException e)} and {@code instanceof}
     * work as with a thread pool, else as a {@link RemoteTaskException}. Either way it carries the
     * remote message, stack frames, cause chain and suppressed exceptions.
     *
     * <p>Safely means: the class is a {@link Throwable} with a public {@code (String, Throwable)} or
     * {@code (String)} constructor that keeps the message as given. No other class is instantiated.
     *
     * @return the rebuilt exception
     */
    public Throwable rebuild() {
        Throwable original = original(cause == null ? null : cause.rebuild());
        if (original == null) {
            return remote();
        }
        for (RemoteError s : suppressed) {
            original.addSuppressed(s.rebuild());
        }
        return original;
    }

    /** Rebuilds this error and its causes as {@link RemoteTaskException}s. */
    private RemoteTaskException remote() {
        RemoteTaskException rebuilt = new RemoteTaskException(className, message, frames,
                cause == null ? null : cause.remote());
        for (RemoteError s : suppressed) {
            rebuilt.addSuppressed(s.rebuild());
        }
        return rebuilt;
    }

    /** Builds the original class, or returns {@code null} where that cannot be done safely. */
    private Throwable original(Throwable rebuiltCause) {
        Class<?> type;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            // Not initialised until it is known to be a Throwable.
            type = Class.forName(className, false, loader != null ? loader : RemoteError.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            return null;
        }
        if (!Throwable.class.isAssignableFrom(type) || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
            return null;
        }
        Throwable built;
        try {
            try {
                built = (Throwable) type.getConstructor(String.class, Throwable.class).newInstance(message, rebuiltCause);
            } catch (NoSuchMethodException e) {
                built = (Throwable) type.getConstructor(String.class).newInstance(message);
                if (rebuiltCause != null && built.getCause() == null) {
                    built.initCause(rebuiltCause);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
        if (!java.util.Objects.equals(built.getMessage(), message) || built.getCause() != rebuiltCause) {
            return null; // a constructor that rewrites its message or cause would misreport the failure
        }
        built.setStackTrace(frames.toArray(new StackTraceElement[0]));
        return built;
    }
}
