package io.github.pool4j.examples;

import io.github.pool4j.os.ProcessRow;
import io.github.pool4j.os.ProcessTable;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code ps u} / {@code ps u -T} snapshots the examples print, with a one-line summary. */
final class Tables {

    private Tables() {}

    /**
     * A process table as printed, with the figures the memory experiment compares.
     *
     * @param text the table and any limitation note, ending with a line separator
     * @param totalRssKiB the RSS of all rows
     * @param processCount how many processes the rows cover
     */
    record Snapshot(String text, long totalRssKiB, int processCount) {}

    /** Takes a {@code ps u} snapshot of {@code pids}. */
    static Snapshot snapshot(Collection<Long> pids) {
        ProcessTable table = ProcessTable.processes(pids);
        return new Snapshot(table.format() + limitation(table), table.totalRssKiB(), table.processCount());
    }

    /** Returns {@code ps u} of {@code pids} and a line counting them. */
    static String processes(Collection<Long> pids) {
        Snapshot snapshot = snapshot(pids);
        int count = snapshot.processCount();
        String summary = count == 1
                ? "1 process"
                : count + " processes: this JVM and " + (count - 1) + " worker JVM" + (count == 2 ? "" : "s");
        return snapshot.text() + summary + System.lineSeparator();
    }

    /**
     * Returns {@code ps u -T} of process {@code pid}: its main thread and {@code poolThreads}, or
     * every thread with {@code all}, and a line counting them.
     */
    static String threads(long pid, Set<Long> poolThreads, boolean all) {
        ProcessTable table = ProcessTable.threads(List.of(pid));
        List<ProcessRow> rows = table.rows();
        List<ProcessRow> shown = all
                ? rows
                : rows.stream().filter(r -> r.spid() == pid || poolThreads.contains(r.spid())).collect(Collectors.toList());
        String text = table.format();
        int hidden = rows.size() - shown.size();
        String summary = "1 process, " + rows.size() + " threads: main, " + poolThreads.size() + " pool threads"
                + (hidden > 0 ? ", and " + hidden + " JVM threads not shown (--all-threads lists them)" : "");
        return text + limitation(table) + summary + System.lineSeparator();
    }

    private static String limitation(ProcessTable table) {
        return table.limitation().map(l -> "(" + l + ")" + System.lineSeparator()).orElse("");
    }
}
