package io.github.pool4j;

import java.util.List;
import java.util.Optional;

/**
 * Thrown for an input whose worker process died while it held that input: killed by a signal,
 * {@code System.exit} in the task, an {@link OutOfMemoryError}, a native crash.
 *
 * <p>Only the inputs the dead worker held fail; the pool replaces the worker and the rest of the
 * call completes. The exception carries what is known about the death: the worker's
 * {@linkplain #pid() pid}, {@linkplain #exitCode() exit code}, the {@linkplain #signal() signal}
 * that killed it if any, and the {@linkplain #stderrTail() last lines} it wrote to standard error.
 */
public final class WorkerCrashedException extends PoolException {

    private static final long serialVersionUID = 1L;

    private final long pid;
    private final int exitCode;
    private final String signal;
    private final List<String> stderrTail;

    /**
     * Creates an exception for the input at {@code inputIndex}, lost with its worker.
     *
     * @param message what happened, in words
     * @param inputIndex the input's zero-based index in its call
     * @param pid the worker's process id
     * @param exitCode the worker's exit status as the OS reported it ({@code 128 + n} for signal n),
     *     or {@code -1} if unknown
     * @param signal the name of the signal that killed the worker ({@code "SIGKILL"}), or {@code null}
     * @param stderrTail the last lines the worker wrote to standard error, oldest first
     */
    public WorkerCrashedException(
            String message, long inputIndex, long pid, int exitCode, String signal, List<String> stderrTail) {
        super(message, null, inputIndex);
        this.pid = pid;
        this.exitCode = exitCode;
        this.signal = signal;
        this.stderrTail = List.copyOf(stderrTail);
    }

    /**
     * Returns the process id of the worker that died.
     *
     * @return the pid
     */
    public long pid() {
        return pid;
    }

    /**
     * Returns the worker's exit status: its {@code System.exit} code, or {@code 128 + n} when
     * signal {@code n} killed it, or {@code -1} if unknown.
     *
     * @return the exit code
     */
    public int exitCode() {
        return exitCode;
    }

    /**
     * Returns the name of the signal that killed the worker, such as {@code "SIGKILL"}.
     *
     * @return the signal name, or empty if the worker exited by itself
     */
    public Optional<String> signal() {
        return Optional.ofNullable(signal);
    }

    /**
     * Returns the last lines the worker wrote to its standard error before it died.
     *
     * @return an immutable list, oldest line first, possibly empty
     */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
