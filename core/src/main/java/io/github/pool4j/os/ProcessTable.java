package io.github.pool4j.os;

import io.github.pool4j.Pool;
import io.github.pool4j.WorkerStats;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of processes, or of their threads, with the columns of {@code ps u} (or
 * {@code ps u -T}): the blog's way of seeing that a process pool runs several processes and a
 * thread pool several threads of one process.
 *
 * <pre>{@code
 * ProcessTable table = ProcessTable.of(pool, true);   // this JVM and the pool's workers, per thread
 * table.print(System.out);
 * System.out.println("total RSS " + table.totalRssKiB() + " KiB");
 * }</pre>
 * prints, for a JVM on its own (the first lines of a real run; VSZ overflows its column and
 * pushes the line right, exactly as {@code ps} does):
 * <pre>
 * USER       PID  SPID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
 * root     12680 12680  0.0  0.1 8973404 41700 ?       Sl   14:38   0:00 java -cp classes:. Demo
 * root     12680 12682  0.0  0.1 8973404 41700 ?       Rl   14:38   0:00 java -cp classes:. Demo
 * root     12680 12683  0.0  0.1 8973404 41700 ?       Sl   14:38   0:00 java -cp classes:. Demo
 * </pre>
 *
 * <h2>Where the values come from</h2>
 * On Linux every value is read from {@code /proc} and computed as procps' {@code ps} computes it,
 * so the table matches {@code ps} taken at the same moment: {@code %CPU} is CPU time over time
 * since start (not a recent rate), {@code %MEM} is RSS over {@code MemTotal}, {@code STAT} carries
 * {@code ps}' flags ({@code s} session leader, {@code l} multi-threaded, {@code +} foreground,
 * {@code <}/{@code N} priority, {@code L} locked pages). Tick counts are converted with USER_HZ,
 * derived from this JVM's own start time as the JDK reports it, or assumed to be 100 (its value
 * on all mainstream architectures) if that fails. In a thread table, VSZ, RSS and %MEM are the
 * process's (threads share its memory), and {@link #totalRssKiB()} counts each process once.
 *
 * <p>Elsewhere (no {@code /proc}: macOS, Windows, or a locked-down container) the table
 * degrades to what {@link ProcessHandle} offers, one row per process with user, PID, start,
 * CPU time, {@code %CPU} and command; the other values print as {@code -} and
 * {@link #limitation()} says what is missing.
 *
 * <p>A snapshot is immutable and thread-safe. Processes that do not exist (any more) are left
 * out.
 */
public final class ProcessTable {

    /** The line width {@link #format()} cuts lines at, like {@code ps} on a wide terminal. */
    public static final int DEFAULT_WIDTH = 160;

    private final List<ProcessRow> rows;
    private final boolean perThread;
    private final int pidWidth;
    private final String limitation;

    private ProcessTable(List<ProcessRow> rows, boolean perThread, int pidWidth, String limitation) {
        this.rows = List.copyOf(rows);
        this.perThread = perThread;
        this.pidWidth = pidWidth;
        this.limitation = limitation;
    }

    /**
     * Takes a snapshot with one row per process, like {@code ps u -p <pids>}.
     *
     * @param pids the process ids; duplicates are ignored
     * @return the snapshot, rows in ascending PID order
     * @throws NullPointerException if {@code pids} or one of its elements is null
     */
    public static ProcessTable processes(Collection<Long> pids) {
        return read(ProcFs.system(), pids, false);
    }

    /**
     * Takes a snapshot with one row per thread, like {@code ps u -T -p <pids>}.
     *
     * @param pids the process ids; duplicates are ignored
     * @return the snapshot, rows in ascending PID then thread id order; one row per process where
     *     threads cannot be listed (see {@link #limitation()})
     * @throws NullPointerException if {@code pids} or one of its elements is null
     */
    public static ProcessTable threads(Collection<Long> pids) {
        return read(ProcFs.system(), pids, true);
    }

    /**
     * Takes a snapshot of this JVM's process, like {@code ps u -p <this pid>}.
     *
     * @return the snapshot, with one row
     */
    public static ProcessTable self() {
        return processes(List.of(ProcessHandle.current().pid()));
    }

    /**
     * Takes a snapshot of this JVM and the given worker processes.
     *
     * @param workerPids the workers' process ids (this JVM's may be among them)
     * @param perThread {@code true} for one row per thread ({@code ps u -T}), {@code false} for one
     *     row per process ({@code ps u})
     * @return the snapshot
     * @throws NullPointerException if {@code workerPids} or one of its elements is null
     */
    public static ProcessTable ofThisJvmAnd(Collection<Long> workerPids, boolean perThread) {
        Set<Long> pids = new LinkedHashSet<>();
        pids.add(ProcessHandle.current().pid());
        pids.addAll(Objects.requireNonNull(workerPids, "workerPids"));
        return read(ProcFs.system(), pids, perThread);
    }

    /**
     * Takes a snapshot of this JVM and the processes of a pool's workers, as its
     * {@link Pool#stats()} reports them: the parent and its worker JVMs for a process pool, this
     * JVM alone (with its pool threads, if {@code perThread}) for a thread pool.
     *
     * @param pool the pool
     * @param perThread {@code true} for one row per thread, {@code false} for one per process
     * @return the snapshot
     * @throws NullPointerException if {@code pool} is null
     */
    public static ProcessTable of(Pool<?, ?> pool, boolean perThread) {
        List<Long> pids = new ArrayList<>();
        for (WorkerStats worker : pool.stats().workers()) {
            if (worker.pid() > 0) {
                pids.add(worker.pid());
            }
        }
        return ofThisJvmAnd(pids, perThread);
    }

    static ProcessTable read(ProcFs fs, Collection<Long> pids, boolean perThread) {
        List<Long> wanted = List.copyOf(Objects.requireNonNull(pids, "pids"));
        Clock clock = Clock.systemDefaultZone();
        if (!fs.isAvailable()) {
            return fallback(wanted, clock, perThread, "there is no /proc file system here (" + System.getProperty("os.name") + ")");
        }
        try {
            return new ProcessTable(fs.rows(wanted, perThread), perThread, fs.pidWidth(), null);
        } catch (UncheckedIOException e) {
            return fallback(wanted, clock, perThread, "/proc could not be read (" + e.getCause().getMessage() + ")");
        }
    }

    private static ProcessTable fallback(List<Long> pids, Clock clock, boolean perThread, String why) {
        String limitation = why + ": rows come from java.lang.ProcessHandle, so %MEM, VSZ, RSS, TTY and STAT"
                + " are unknown (-)" + (perThread ? " and threads cannot be listed (one row per process instead)" : "");
        return new ProcessTable(HandleFallback.rows(pids, clock.instant(), clock.getZone()), false, 5, limitation);
    }

    /**
     * Returns the rows: processes, or threads grouped by process.
     *
     * @return an immutable list
     */
    public List<ProcessRow> rows() {
        return rows;
    }

    /**
     * Tells whether the table has one row per thread.
     *
     * @return {@code true} for a thread table ({@code ps u -T}); {@code false} for a process table,
     *     also when threads were asked for but cannot be listed
     */
    public boolean isPerThread() {
        return perThread;
    }

    /**
     * Returns the number of distinct processes in the table.
     *
     * @return the process count
     */
    public int processCount() {
        return (int) rows.stream().mapToLong(ProcessRow::pid).distinct().count();
    }

    /**
     * Returns the resident memory of all processes in the table, counting each process once (its
     * threads share its memory): the figure the blog compares between processes and threads.
     *
     * @return the sum of RSS in KiB, or {@code -1} if RSS is unknown (see {@link #limitation()})
     */
    public long totalRssKiB() {
        if (!isComplete()) {
            return -1;
        }
        Map<Long, Long> rssByPid = new HashMap<>();
        for (ProcessRow row : rows) {
            rssByPid.putIfAbsent(row.pid(), row.rssKiB());
        }
        return rssByPid.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Tells whether every column holds real values, i.e. {@code /proc} could be read.
     *
     * @return {@code true} unless the table degraded to {@link ProcessHandle} information
     */
    public boolean isComplete() {
        return limitation == null;
    }

    /**
     * Says what this table cannot show on this system, and why.
     *
     * @return the explanation, or empty if the table is complete
     */
    public Optional<String> limitation() {
        return Optional.ofNullable(limitation);
    }

    /**
     * Formats the table as {@code ps} prints it on a {@value #DEFAULT_WIDTH}-column terminal:
     * columns aligned the same way, each line cut at {@value #DEFAULT_WIDTH} characters, and a
     * {@code java} command's long class path shortened to {@code <N class path entries>} so the
     * main class stays visible.
     *
     * @return a header line and one line per row, each ending with a line separator
     */
    public String format() {
        return format(DEFAULT_WIDTH);
    }

    /**
     * Formats the table as {@code ps} prints it on a terminal {@code width} columns wide, or, for
     * {@code width <= 0}, unabridged as {@code ps} prints into a pipe (the same text, line for
     * line, as {@code ps u [-T] -p <pids> | cat} at the same moment).
     *
     * @param width the line width, or {@code 0} for no limit
     * @return a header line and one line per row, each ending with a line separator
     */
    public String format(int width) {
        List<PsText.Column> columns = PsText.columns(perThread, pidWidth);
        StringBuilder text = new StringBuilder();
        List<String> headers = columns.stream().map(PsText.Column::header).toList();
        text.append(PsText.line(columns, headers, width)).append(System.lineSeparator());
        for (ProcessRow row : rows) {
            List<String> cells = new ArrayList<>(PsText.cells(row, perThread));
            if (width > 0) {
                int last = cells.size() - 1;
                cells.set(last, PsText.abbreviateClassPath(cells.get(last)));
            }
            text.append(PsText.line(columns, cells, width)).append(System.lineSeparator());
        }
        return text.toString();
    }

    /**
     * Prints {@link #format()} to {@code out}, followed by a {@code note:} line with the
     * {@linkplain #limitation() limitation} if there is one.
     *
     * @param out where to print
     * @throws NullPointerException if {@code out} is null
     */
    public void print(PrintStream out) {
        Objects.requireNonNull(out, "out");
        StringBuilder text = new StringBuilder(format());
        if (limitation != null) {
            text.append("note: ").append(limitation).append(System.lineSeparator());
        }
        out.print(text);
        out.flush();
    }

    /** Returns {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }
}
