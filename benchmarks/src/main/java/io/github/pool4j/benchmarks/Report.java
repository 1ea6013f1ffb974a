package io.github.pool4j.benchmarks;

import io.github.pool4j.benchmarks.Compare.Options;
import io.github.pool4j.benchmarks.Compare.Row;
import io.github.pool4j.benchmarks.Compare.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Markdown report. */
final class Report {

    static String markdown(Options o, PythonTwins py, List<Row> rows, Instant started, String loadBefore,
            String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append("### pool4j vs references, ").append(o.quick ? "quick" : "full").append(" run, ")
                .append(o.repeats).append(" repeats\n\n");
        md.append("- date: ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(", took ")
                .append(Math.round((Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0)).append(" s\n");
        md.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (")
                .append(System.getProperty("java.home")).append(")\n");
        md.append("- Python: ").append(py.missing == null ? py.version + " (" + py.command + ")" : "skipped: " + py.missing)
                .append('\n');
        md.append("- machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs, ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.version")).append('\n');
        md.append("- load average (1/5/15 min) before: ").append(loadBefore).append("; after: ")
                .append(loadAfter).append("\n\n");
        md.append("| scenario | unit | pool4j median | reference | reference median "
                + "| ratio pool4j ÷ reference, min / median / max | limit median | pool4j ÷ limit | target | verdict |\n");
        md.append("|---|---|---:|---|---:|---|---:|---:|---|---|\n");
        for (Row row : rows) {
            md.append(line(row)).append('\n');
        }
        md.append("\n\"limit\": the same bytes or the same small message echoed by a bare child JVM over raw pipes"
                + " (`PipeEcho`: no pool, no encoding; for the cold map, one small message per input to two"
                + " freshly started children; for the sweep, the inputs unboxed into the pool's chunks, echoed"
                + " by two warm children and boxed again), or for the start row as many bare `java Hello` JVMs"
                + " as the pool has workers, started at once; measured in the same repeats; pool4j ÷ limit is"
                + " the median of the per-repeat ratios (for times, below 1 means pool4j is faster).\n");
        md.append("\nRaw values per repeat (pool4j / reference, or pool4j / reference / limit):\n\n");
        for (Row row : rows) {
            md.append("- ").append(row.scenario().name()).append(" vs ").append(row.scenario().reference().label())
                    .append(": ");
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < row.pool4j().size(); i++) {
                pairs.add(fmt(row.pool4j().get(i)) + " / " + fmt(row.reference().get(i))
                        + (i < row.limit().size() ? " / " + fmt(row.limit().get(i)) : ""));
            }
            md.append(String.join(", ", pairs));
            if (row.error() != null) {
                md.append(" error: ").append(row.error());
            }
            md.append('\n');
        }
        return md.toString();
    }

    static String line(Row row) {
        Scenario s = row.scenario();
        String verdict;
        String mine = "";
        String theirs = "";
        String ratio = "";
        String limit = "";
        String toLimit = "";
        if (!row.limit().isEmpty()) {
            limit = fmt(Stats.of(row.limit()).median());
            toLimit = fmt(Stats.of(ratios(row.pool4j(), row.limit())).median());
        }
        if (!row.pool4j().isEmpty()) {
            Stats me = Stats.of(row.pool4j());
            mine = fmt(me.median());
            if (s.reference().skipReason() != null) {
                theirs = "skipped";
            } else {
                theirs = fmt(Stats.of(row.reference()).median());
                Stats r = Stats.of(ratios(row));
                ratio = fmt(r.min()) + " / **" + fmt(r.median()) + "** / " + fmt(r.max());
            }
        }
        if (row.error() != null) {
            verdict = "error: " + row.error();
        } else if (s.target().conditions().isEmpty()) {
            verdict = "";
        } else if (row.pool4j().isEmpty() || (s.target().needsRatio() && ratio.isEmpty())) {
            verdict = "not measured";
        } else {
            double myMedian = Stats.of(row.pool4j()).median();
            double ratioMedian = ratio.isEmpty() ? Double.NaN : Stats.of(ratios(row)).median();
            verdict = s.target().met(myMedian, ratioMedian) ? "**met**" : "**missed**";
        }
        return "| " + s.name() + " | " + s.unit() + " | " + mine + " | " + s.reference().label() + " | " + theirs
                + " | " + ratio + " | " + limit + " | " + toLimit + " | " + s.target().text() + " | " + verdict + " |";
    }

    private static List<Double> ratios(Row row) {
        return ratios(row.pool4j(), row.reference());
    }

    private static List<Double> ratios(List<Double> mine, List<Double> theirs) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            ratios.add(mine.get(i) / theirs.get(i));
        }
        return ratios;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a > 0 && a < 0.1) {
            // Two significant digits, so a ratio far below 1 does not print as 0.00.
            return String.format(Locale.ROOT, "%.2g", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }
}
