package io.github.pool4j;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Thrown for an input whose worker was lost while it held that input: a worker process killed by
 * a signal, {@code System.exit} in the task, an {@link OutOfMemoryError}, a native crash; a
 * cluster member that left.
 *
 * <p>Only the inputs the lost worker held fail (after the pool's retries, if it has any); the pool
 * replaces the worker and the rest of the call completes. The exception carries what is known:
 * the {@linkplain #worker() worker}, its {@linkplain #pid() pid}, {@linkplain #exitCode() exit
 * code}, the {@linkplain #signal() signal} that killed it if any, and the
 * {@linkplain #stderrTail() last lines} it wrote to standard error.
 */
public final class WorkerCrashedException extends PoolException {

    private static final long serialVersionUID = 1L;

    private final String worker;
    private final long pid;
    private final int exitCode;
    private final String signal;
    private final List<String> stderrTail;

    /**
     * Creates an exception for the input at {@code inputIndex}, lost with its worker, describing
     * the worker by its pid.
     *
     * @param message what happened, in words
     * @param inputIndex the input's zero-based index in its call
     * @param pid the worker's process id, or {@code -1} if unknown
     * @param exitCode the worker's exit status as the OS reported it ({@code 128 + n} for signal n),
     *     or {@code -1} if unknown
     * @param signal the name of the signal that killed the worker ({@code "SIGKILL"}), or {@code null}
     * @param stderrTail the last lines the worker wrote to standard error, oldest first
     */
    public WorkerCrashedException(
            String message, long inputIndex, long pid, int exitCode, String signal, List<String> stderrTail) {
        this(message, inputIndex, pid < 0 ? "a worker" : "pid " + pid, pid, exitCode, signal, stderrTail);
    }

    /**
     * Creates an exception for the input at {@code inputIndex}, lost with the worker
     * {@code worker}.
     *
     * @param message what happened, in words
     * @param inputIndex the input's zero-based index in its call
     * @param worker the worker, in words that fit the pool: {@code "worker-2 (pid 4242)"},
     *     {@code "member 127.0.0.1:5702 (pid 4242)"}
     * @param pid the worker's process id, or {@code -1} if unknown
     * @param exitCode the worker's exit status as the OS reported it ({@code 128 + n} for signal n),
     *     or {@code -1} if unknown
     * @param signal the name of the signal that killed the worker ({@code "SIGKILL"}), or {@code null}
     * @param stderrTail the last lines the worker wrote to standard error, oldest first
     * @throws NullPointerException if {@code worker} or {@code stderrTail} is null
     */
    public WorkerCrashedException(String message, long inputIndex, String worker, long pid, int exitCode,
            String signal, List<String> stderrTail) {
        super(message, null, inputIndex);
        this.worker = Objects.requireNonNull(worker, "worker");
        this.pid = pid;
        this.exitCode = exitCode;
        this.signal = signal;
        this.stderrTail = List.copyOf(stderrTail);
    }

    /**
     * Returns which worker was lost, in words that fit the pool: a worker JVM's name and pid
     * ({@code "worker-2 (pid 4242)"}), a cluster member's address
     * ({@code "member 127.0.0.1:5702 (pid 4242)"}).
     *
     * @return the description, never null
     */
    public String worker() {
        return worker;
    }

    /**
     * Returns the process id of the worker that was lost.
     *
     * @return the pid, or {@code -1} if unknown
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
