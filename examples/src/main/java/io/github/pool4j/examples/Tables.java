package io.github.pool4j.examples;

import io.github.pool4j.os.ProcessRow;
import io.github.pool4j.os.ProcessTable;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** The {@code ps u} / {@code ps u -T} snapshots the examples print, with a one-line summary. */
final class Tables {

    private Tables() {}

    /**
     * A process table as printed, with the figures the memory experiment compares.
     *
     * @param text the table, and a note if this system cannot show every column; ends with a line
     *     separator
     * @param totalRssKiB the RSS of all rows, or {@code -1} if this system cannot tell
     * @param processCount how many processes the rows cover
     */
    record Snapshot(String text, long totalRssKiB, int processCount) {}

    /** Takes a {@code ps u} snapshot of {@code pids}. */
    static Snapshot snapshot(Collection<Long> pids) {
        ProcessTable table = ProcessTable.processes(pids);
        // Unabridged, as `ps u | cat` prints it: cut at a terminal's width, a worker's line
        // would end before its main class, WorkerMain, the very thing worth seeing.
        return new Snapshot(table.format(0) + note(table), table.totalRssKiB(), table.processCount());
    }

    /** Returns {@code ps u} of {@code pids}, this JVM's among them, and a line counting them. */
    static String processes(Collection<Long> pids) {
        Snapshot snapshot = snapshot(pids);
        int count = snapshot.processCount();
        String summary = count == 1
                ? "1 process"
                : count + " processes: this JVM and " + (count - 1) + " worker JVM" + (count == 2 ? "" : "s");
        return snapshot.text() + summary + System.lineSeparator();
    }

    /**
     * Returns {@code ps u -T} of process {@code pid} and a line counting its threads. Unless
     * {@code all}, only the thread {@code mainTid} and {@code poolThreads} are shown: a JVM also
     * runs a dozen or more threads of its own (GC, JIT compilers, the launcher's first thread...)
     * that would bury them.
     */
    static String threads(long pid, long mainTid, Set<Long> poolThreads, boolean all) {
        ProcessTable table = ProcessTable.threads(List.of(pid));
        List<ProcessRow> rows = table.rows();
        // format() prints a header then one line per row, in row order: keep the lines of the
        // rows shown, so the columns stay aligned exactly as ps aligns them.
        List<String> lines = table.format().lines().toList();
        StringBuilder text = new StringBuilder(lines.get(0)).append(System.lineSeparator());
        int shown = 0;
        for (int i = 0; i < rows.size(); i++) {
            ProcessRow row = rows.get(i);
            if (all || row.spid() == mainTid || poolThreads.contains(row.spid())) {
                text.append(lines.get(i + 1)).append(System.lineSeparator());
                shown++;
            }
        }
        text.append(note(table));
        if (!table.isPerThread()) {
            return text.append("1 process").append(System.lineSeparator()).toString();
        }
        int hidden = rows.size() - shown;
        text.append("1 process, ").append(rows.size()).append(" threads: main, ")
                .append(poolThreads.size()).append(" pool thread").append(poolThreads.size() == 1 ? "" : "s");
        if (hidden > 0) {
            text.append(", ").append(hidden).append(" JVM threads not shown (--all-threads lists them)");
        } else {
            text.append(" and the JVM's own");
        }
        return text.append(System.lineSeparator()).toString();
    }

    private static String note(ProcessTable table) {
        return table.limitation().map(l -> "note: " + l + System.lineSeparator()).orElse("");
    }
}
