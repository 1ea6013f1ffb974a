package io.github.pool4j.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads back a {@code ps u} / {@code ps u -T} table from a command's output: the header line
 * starting with {@code USER}, then one row per line until a line that is not a row.
 *
 * @param rows the rows, in printed order
 */
record PsTable(List<Row> rows) {

    /**
     * One row.
     *
     * @param spid the thread id, or {@code -1} in a table without an SPID column
     */
    record Row(long pid, long spid, long rssKiB) {}

    static PsTable parse(String output) {
        List<String> lines = output.lines().toList();
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("USER ") && lines.get(i).contains(" PID ")) {
                header = i;
                break;
            }
        }
        if (header < 0) {
            throw new AssertionError("no ps table in:\n" + output);
        }
        List<String> columns = Arrays.asList(lines.get(header).strip().split("\\s+"));
        int pid = columns.indexOf("PID");
        int spid = columns.indexOf("SPID");
        int rss = columns.indexOf("RSS");
        List<Row> rows = new ArrayList<>();
        for (int i = header + 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).strip().split("\\s+");
            if (cells.length < columns.size() - 1 || !cells[pid].matches("\\d+")) {
                break;
            }
            rows.add(new Row(Long.parseLong(cells[pid]), spid < 0 ? -1 : Long.parseLong(cells[spid]),
                    Long.parseLong(cells[rss])));
        }
        return new PsTable(rows);
    }

    long distinctPids() {
        return rows.stream().mapToLong(Row::pid).distinct().count();
    }

    long totalRssKiB() {
        return rows.stream().mapToLong(Row::rssKiB).sum();
    }
}
