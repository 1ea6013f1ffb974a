package io.github.pool4j.process.internal;

import io.github.pool4j.PoolException;
import io.github.pool4j.TaskTimeoutException;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.process.ProcessPool;
import io.github.pool4j.process.internal.protocol.ProgressNote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker's death costs: which inputs it ran without their outcome reaching this side (they
 * fail, or run again up to {@code retries} times), which go back to the queue, how the death is
 * described, and when repeated start failures mean the pool gives up.
 *
 * <p>An input runs at most {@code retries + 1} times. The worker's progress note names the input it
 * ran last: that one and every input it held before it have started, so each of them whose outcome
 * never arrived (the worker gathers results before it writes them) counts an attempt, and fails
 * with a {@link WorkerCrashedException} once its attempts exceed {@code retries}. Inputs after it
 * never started and are queued again freely. One input is blamed on every unexpected death (the
 * noted one, else the first without an outcome), so a worker that always dies is not replaced
 * forever. After {@value #MAX_START_FAILURES} workers in a row died before saying hello, the pool
 * gives up ({@link #startFailed}).
 *
 * <p>It decides; it does not act: outcomes go into the caller's list, pieces to queue again are
 * returned, and the {@link Supervisor} applies both. Logs as {@link WorkerGroup} (one logger for
 * a pool's worker events).
 *
 * <p>Thread-safety: not thread-safe. Every method but the static ones is called under the group's
 * lock ({@link WorkerGroup}), which guards the start-failure count and the pieces it reads.
 */
final class CrashPolicy {

    private static final Logger log = LoggerFactory.getLogger(WorkerGroup.class);

    /** Workers in a row that may die before saying hello before no more are started. */
    static final int MAX_START_FAILURES = 3;
    /** The heap option an out-of-memory message suggests for a heap below 1 GiB. */
    private static final String RAISED_HEAP = "-Xmx1g";
    /** Lines of a worker's stderr put in a start failure's message: the JVM's own reason is there. */
    private static final int START_FAILURE_LINES = 5;
    private static final int START_FAILURE_LINE_CHARS = 300;
    private static final Pattern MEMORY_SIZE = Pattern.compile("(\\d+)([kKmMgGtT]?)");

    private final String poolName;
    private final int retries;
    private final Duration taskTimeout;
    private final List<String> jvmOptions;

    // ---- guarded by the group's lock ----
    private int startFailures;
    private RemoteError lastFatal;

    /**
     * Creates the policy of one pool.
     *
     * @param poolName the pool's name, for messages
     * @param retries how often an input whose worker died runs again
     * @param taskTimeout the task timeout, or null for none
     * @param jvmOptions the workers' JVM options, for the out-of-memory hint
     */
    CrashPolicy(String poolName, int retries, Duration taskTimeout, List<String> jvmOptions) {
        this.poolName = poolName;
        this.retries = retries;
        this.taskTimeout = taskTimeout;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * What is known of a dead worker once its output has ended, read under the group's lock.
     *
     * @param worker its name and pid, as messages show them
     * @param pid its pid
     * @param exitCode its exit status, -1 if unknown
     * @param signal the signal that killed it, or null
     * @param tail the last lines of its stderr
     * @param reason why it exited, or null for a crash
     * @param protocolError with {@link WorkerProcess.ExitReason#PROTOCOL_ERROR}: what was wrong
     * @param fatal with {@link WorkerProcess.ExitReason#INIT_FAILED}: what its initializer threw
     * @param helloed whether it said hello
     * @param note its progress note at death ({@link ProgressNote})
     * @param noteAtProtocolError its progress note when a protocol error was seen, or {@link ProgressNote#NONE}
     */
    record Death(String worker, long pid, int exitCode, String signal, List<String> tail,
            WorkerProcess.ExitReason reason, String protocolError, RemoteError fatal, boolean helloed,
            long note, long noteAtProtocolError) {

        /** Reads what {@code w} left. Under the group's lock. */
        static Death of(WorkerProcess w, int exitCode, String signal, List<String> tail) {
            return new Death(w.name + " (pid " + w.pid + ")", w.pid, exitCode, signal, tail, w.exitReason,
                    w.protocolError, w.fatal, w.helloed, w.progress(), w.progressAtProtocolError);
        }
    }

    // ---- start failures --------------------------------------------------------------------------

    /**
     * Counts a worker that died (or could not be launched) before saying hello; returns whether
     * that was the last allowed, so no replacement starts.
     *
     * @param fatal what its initializer threw, or null
     */
    boolean startFailed(RemoteError fatal) {
        startFailures++;
        if (fatal != null) {
            lastFatal = fatal;
        }
        return startFailures >= MAX_START_FAILURES;
    }

    /** A worker said hello: the start failures are no longer in a row. */
    void started() {
        startFailures = 0;
    }

    /** The failure of a pool that gave up starting workers, the last one failing for {@code reason}. */
    PoolException gaveUp(String reason) {
        return new PoolException(poolName + ": " + MAX_START_FAILURES + " worker processes in a row failed to "
                + "start, giving up: " + reason, lastFatal == null ? null : lastFatal.rebuild());
    }

    // ---- blame -------------------------------------------------------------------------------------

    /**
     * Which inputs a dead worker ran, from its progress notes: pure arithmetic on the pieces it held,
     * in the order it received them.
     *
     * @param inFlight the pieces it held, oldest first
     * @param noted the piece its progress note names, or null
     * @param notedPosition the position the note names in it, or -1
     * @param notedFinished whether that input finished
     * @param culprit the piece of the input to blame, or null
     * @param culpritPosition that input's position, or -1
     */
    record Blame(List<Piece> inFlight, Piece noted, int notedPosition, boolean notedFinished, Piece culprit,
            int culpritPosition) {

        /**
         * Reads the notes. The input to blame is the one the note names, unless its outcome arrived
         * (a death between inputs); else the first one without an outcome. After a protocol error,
         * it is the input running when the error was seen, not the one running when the kill
         * landed: the bad frame came from the first (as near as the parent can tell).
         */
        static Blame of(Collection<Piece> inFlight, Death death) {
            List<Piece> pieces = List.copyOf(inFlight);
            long note = death.note();
            Piece noted = notedPiece(pieces, note);
            long blameNote = death.reason() == WorkerProcess.ExitReason.PROTOCOL_ERROR
                    && death.noteAtProtocolError() != ProgressNote.NONE ? death.noteAtProtocolError() : note;
            Piece culprit = notedPiece(pieces, blameNote);
            int culpritPosition = -1;
            if (culprit != null) {
                int position = ProgressNote.position(blameNote);
                if (position >= 0 && position < culprit.count && !culprit.settled.get(position)) {
                    culpritPosition = position;
                } else {
                    culprit = null;
                }
            }
            if (culprit == null && !pieces.isEmpty()) {
                culprit = pieces.get(0);
                culpritPosition = culprit.nextExpected();
            }
            return new Blame(pieces, noted, noted == null ? -1 : ProgressNote.position(note),
                    noted != null && ProgressNote.isFinished(note), culprit, culpritPosition);
        }

        /** Whether input {@code i} of {@code piece} is the one blamed for the death. */
        boolean blamed(Piece piece, int i) {
            return piece == culprit && i == culpritPosition;
        }

        /**
         * Whether input {@code i} of {@code piece} started: the worker runs its calls in order, so
         * every input of the calls before the noted one, and of the noted call up to the noted
         * input, has started (a skipped one never does).
         */
        boolean started(Piece piece, int i) {
            if (noted == null || piece.skip.get(i)) {
                return false;
            }
            if (piece == noted) {
                return i <= notedPosition;
            }
            return inFlight.indexOf(piece) < inFlight.indexOf(noted);
        }

        /** Whether input {@code i} of {@code piece} ran to the end: the worker went on, or noted it finished. */
        boolean completed(Piece piece, int i) {
            return started(piece, i) && !(piece == noted && i == notedPosition && !notedFinished);
        }
    }

    /** The piece in {@code pieces} that a progress note names, or null. */
    private static Piece notedPiece(List<Piece> pieces, long note) {
        if (note == ProgressNote.NONE) {
            return null;
        }
        for (Piece piece : pieces) {
            if (ProgressNote.names(note, piece.sendId)) {
                return piece;
            }
        }
        return null;
    }

    /**
     * Fails or retries the inputs a dead worker ran without their outcome reaching this side and
     * returns its pieces, oldest first, to be queued again at the front (an input given an outcome
     * here is marked done, so the next send skips it). Under the group's lock.
     *
     * @param inFlight the pieces it held, oldest first; each loses its worker
     * @param death what it left
     * @param why how its death is described ({@link #describe})
     * @param outcomes where the failures go, reported by the caller after unlocking
     * @return the pieces to queue again, oldest first
     */
    List<Piece> blameAndRequeue(Collection<Piece> inFlight, Death death, String why,
            List<WorkerGroup.Outcome> outcomes) {
        Blame blame = Blame.of(inFlight, death);
        boolean blames = death.reason() == null || death.reason().blamesInput;
        List<Piece> requeue = new ArrayList<>();
        for (Piece piece : blame.inFlight()) {
            piece.worker = null;
            requeue.add(piece);
            if (piece.chunk.isCancelled()) {
                continue;
            }
            for (int i = 0; i < piece.count; i++) {
                boolean blamed = blames && blame.blamed(piece, i);
                boolean started = blame.started(piece, i);
                if (!(blamed || started) || piece.settled.get(i) || piece.chunk.isDone(piece.base + i)) {
                    if (!piece.settled.get(i)) {
                        piece.chunk.requeued(piece.base + i, false); // no longer running, if it was reported so
                    }
                    continue;
                }
                long index = piece.index(i);
                if (blamed && death.reason() == WorkerProcess.ExitReason.UNRESPONSIVE) {
                    piece.settled.set(i);
                    outcomes.add(new WorkerGroup.Outcome(piece.chunk, piece.base + i, null,
                            new TaskTimeoutException(index, taskTimeout, List.of())));
                    continue;
                }
                boolean completed = blame.completed(piece, i);
                if (piece.attempts == null) {
                    piece.attempts = new HashMap<>();
                }
                int attempts = piece.attempts.merge(i, 1, Integer::sum);
                if (attempts <= retries) {
                    log.info("{}: re-running input #{} on another worker (retry {} of {}){}", poolName, index,
                            attempts, retries, completed ? ": its result was lost" : "");
                    piece.chunk.requeued(piece.base + i, true);
                    continue;
                }
                piece.settled.set(i);
                String what = completed
                        ? "Input #" + index + " ran, but its result was lost when " + death.worker() + " " + why
                        : "Input #" + index + " was lost: " + death.worker() + " " + why;
                outcomes.add(new WorkerGroup.Outcome(piece.chunk, piece.base + i, null, new WorkerCrashedException(
                        what + (attempts > 1 ? " (attempt " + attempts + ")" : ""), index,
                        death.worker(), death.pid(), death.exitCode(), death.signal(), death.tail())));
            }
        }
        return requeue;
    }

    // ---- describing a death ------------------------------------------------------------------------

    /** Says why a worker died, as its warning and its inputs' failures show it. */
    String describe(Death death) {
        StringBuilder why = new StringBuilder();
        WorkerProcess.ExitReason reason = death.reason();
        List<String> tail = death.tail();
        if (reason == WorkerProcess.ExitReason.TIMED_OUT) {
            why.append("was killed: its task ran past the timeout");
        } else if (reason == WorkerProcess.ExitReason.PROTOCOL_ERROR) {
            why.append("was killed after a protocol error (").append(death.protocolError()).append(")");
        } else if (reason == WorkerProcess.ExitReason.UNRESPONSIVE) {
            why.append("was killed: its task ran past the timeout and did not answer");
        } else if (reason == WorkerProcess.ExitReason.INIT_FAILED) {
            why.append("failed in its initializer: ").append(death.fatal().className())
                    .append(death.fatal().message() == null ? "" : ": " + death.fatal().message());
        } else if (death.signal() != null) {
            why.append("was killed by ").append(death.signal()).append(" (exit status ").append(death.exitCode())
                    .append(")");
        } else {
            why.append("exited with status ").append(death.exitCode());
            if (death.exitCode() == WorkerMain.EXIT_TASK_THREAD_FAILED) {
                why.append(": its task thread failed outside any task, so it could not run tasks any more");
                tail.stream().filter(l -> l.startsWith(WorkerMain.TASK_THREAD_FAILED)).reduce((a, b) -> b)
                        .ifPresent(l -> why.append(" (").append(l.substring(WorkerMain.TASK_THREAD_FAILED.length()))
                                .append(')'));
            }
        }
        tail.stream().filter(l -> l.contains("OutOfMemoryError")).reduce((a, b) -> b)
                .ifPresent(l -> why.append(", out of memory (").append(outOfMemoryHint(l)).append(')'));
        if (!death.helloed() && reason != WorkerProcess.ExitReason.INIT_FAILED) {
            why.append(", before it said hello").append(WorkerClassPath.explain(tail));
        }
        return why.toString();
    }

    /** Adds the end of a worker's stderr to why it failed to start (an unknown JVM option, a heap too small). */
    static String withStderr(String why, List<String> tail) {
        List<String> lines = tail.stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return why;
        }
        StringBuilder text = new StringBuilder(why).append("; its stderr ends with: ");
        List<String> last = lines.subList(Math.max(0, lines.size() - START_FAILURE_LINES), lines.size());
        for (int i = 0; i < last.size(); i++) {
            String line = last.get(i).strip();
            text.append(i == 0 ? "" : " | ").append(line.length() > START_FAILURE_LINE_CHARS
                    ? line.substring(0, START_FAILURE_LINE_CHARS) + "..." : line);
        }
        return text.toString();
    }

    /**
     * Says which memory ran out (from the JVM's line on stderr) and, for the heap, the worker's heap
     * size and how to raise it.
     */
    String outOfMemoryHint(String line) {
        int at = line.indexOf("OutOfMemoryError");
        String what = line.substring(at + "OutOfMemoryError".length()).replaceFirst("^:\\s*", "").trim();
        boolean heap = what.isEmpty() || what.contains("Java heap space") || what.contains("GC overhead")
                || what.contains("array size");
        if (!heap) {
            return what;
        }
        String xmx = heapOption(jvmOptions);
        boolean byDefault = xmx != null && xmx.equals(heapOption(ProcessPool.Builder.DEFAULT_JVM_OPTIONS))
                && jvmOptions.containsAll(ProcessPool.Builder.DEFAULT_JVM_OPTIONS);
        String size = xmx == null ? "worker heap: the JVM's default maximum"
                : "worker heap " + xmx + (byDefault ? ", the default" : "");
        return (what.isEmpty() ? "" : what + "; ") + size + "; raise it with ProcessPool.builder().addJvmOptions(\""
                + raisedHeap(xmx) + "\")";
    }

    /** The heap option to suggest: {@code -Xmx1g}, or twice the current heap if that is already 1 GiB or more. */
    static String raisedHeap(String xmx) {
        long bytes = xmx == null ? -1 : heapBytes(xmx.startsWith("-Xmx") ? xmx.substring(4)
                : xmx.substring("-XX:MaxHeapSize=".length()));
        long gib = 1L << 30;
        return bytes < gib ? RAISED_HEAP : "-Xmx" + (2 * bytes + gib - 1) / gib + "g";
    }

    /** Reads a JVM memory size such as {@code 512m} or {@code 2G}; -1 if it is not one. */
    static long heapBytes(String size) {
        Matcher m = MEMORY_SIZE.matcher(size);
        if (!m.matches()) {
            return -1;
        }
        try {
            int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                default -> 0;
            };
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
    }

    /** The heap option a worker runs with: the last {@code -Xmx} or {@code -XX:MaxHeapSize=} (the JVM takes the last). */
    static String heapOption(List<String> jvmOptions) {
        String found = null;
        for (String option : jvmOptions) {
            if (option.startsWith("-Xmx") || option.startsWith("-XX:MaxHeapSize=")) {
                found = option;
            }
        }
        return found;
    }
}
