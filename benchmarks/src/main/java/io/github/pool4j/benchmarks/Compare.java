package io.github.pool4j.benchmarks;

import io.github.pool4j.benchmarks.Workloads.PayloadKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The side-by-side runner behind {@code benchmarks/compare.sh}: runs each scenario on pool4j
 * and on its reference (the Python twin in {@code benchmarks/python/twins.py}, a bare
 * {@code ExecutorService}, or a bare {@code java Hello}) in the same run, alternating which
 * side goes first, and prints a Markdown table of medians and of the per-repeat ratios
 * pool4j ÷ reference (min / median / max).
 *
 * <p>Absolute figures from a shared machine are noise; the ratios of one run are the result.
 * Python scenarios are skipped, with a note, when {@code python3} is not found.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.pool4j.benchmarks.Compare [--quick]
 * [--repeats N] [--only REGEX] [--min-seconds S] [--python PATH] [--python-dir DIR] [--out FILE] [--list]}.
 */
public final class Compare {

    private Compare() {}

    /**
     * Runs the comparison and prints the table on standard output (progress on standard error).
     *
     * @param args see the class description
     * @throws Exception if the run cannot start (a failing scenario is reported in its row)
     */
    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Options options = Options.parse(args);
        Python python = Python.find(options.python, options.pythonDir);
        List<Scenario> scenarios = Scenarios.all(options, python);
        if (options.list) {
            scenarios.forEach(s -> System.out.println(s.name()));
            return;
        }
        List<Scenario> selected = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            if (options.only == null || options.only.matcher(scenario.name()).find()) {
                selected.add(scenario);
            }
        }
        String loadBefore = loadAverage();
        Instant started = Instant.now();
        List<Row> rows = new ArrayList<>();
        for (Scenario scenario : selected) {
            rows.add(run(scenario, options.repeats));
        }
        String report = Report.markdown(options, python, rows, started, loadBefore, loadAverage());
        System.out.print(report);
        if (options.out != null) {
            Files.writeString(options.out, report, StandardCharsets.UTF_8);
        }
    }

    private static Row run(Scenario scenario, int repeats) {
        System.err.printf(Locale.ROOT, "%s:", scenario.name());
        List<Double> mine = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        String error = null;
        for (int r = 0; r < repeats && error == null; r++) {
            boolean pool4jFirst = r % 2 == 0;
            Side first = pool4jFirst ? scenario.pool4j() : scenario.reference();
            Side second = pool4jFirst ? scenario.reference() : scenario.pool4j();
            double a;
            double b;
            try {
                a = measure(first);
                b = measure(second);
            } catch (Throwable e) {
                error = describe(e);
                System.err.printf(" error: %s%n", error);
                break;
            }
            double me = pool4jFirst ? a : b;
            double them = pool4jFirst ? b : a;
            mine.add(me);
            theirs.add(them);
            System.err.printf(Locale.ROOT, " %.4g/%.4g", me, them);
        }
        System.err.println();
        return new Row(scenario, mine, theirs, error);
    }

    private static double measure(Side side) throws Exception {
        if (side.skipReason() != null) {
            return Double.NaN;
        }
        double value = side.measure().run();
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalStateException(side.label() + " measured " + value);
        }
        return value;
    }

    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            text.append(": ").append(e.getMessage().lines().findFirst().orElse(""));
        }
        if (e.getCause() != null && e.getCause() != e) {
            text.append(" (cause ").append(describe(e.getCause())).append(')');
        }
        return text.toString().replace('|', '/');
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One measurement of one side; returns the value in the scenario's unit. */
    @FunctionalInterface
    interface Measure {
        double run() throws Exception;
    }

    /** One side of a scenario: what it is, how to measure it, or why it is skipped. */
    record Side(String label, Measure measure, String skipReason) {
        static Side of(String label, Measure measure) {
            return new Side(label, measure, null);
        }
    }

    /** A target of issue 6: every condition must hold on the medians. */
    record Target(String text, List<Condition> conditions) {
        static final Target NONE = new Target("", List.of());

        static Target ratioAtLeast(double bound, String text) {
            return new Target(text, List.of(new Condition(true, bound, true)));
        }

        static Target valueAtLeast(double bound, String text) {
            return new Target(text, List.of(new Condition(false, bound, true)));
        }

        static Target valueAtMost(double bound, String text) {
            return new Target(text, List.of(new Condition(false, bound, false)));
        }

        boolean needsRatio() {
            return conditions.stream().anyMatch(Condition::onRatio);
        }

        boolean met(double pool4jMedian, double ratioMedian) {
            return conditions.stream().allMatch(c -> c.met(c.onRatio() ? ratioMedian : pool4jMedian));
        }
    }

    /** One bound on the pool4j median or on the median ratio. */
    record Condition(boolean onRatio, double bound, boolean atLeast) {
        boolean met(double value) {
            return atLeast ? value >= bound : value <= bound;
        }
    }

    /** A scenario: pool4j against a reference, in one unit. */
    record Scenario(String name, String unit, Side pool4j, Side reference, Target target) {}

    /** A scenario's measured repeats. */
    record Row(Scenario scenario, List<Double> pool4j, List<Double> reference, String error) {}

    /** Command line options. */
    static final class Options {
        boolean quick;
        int repeats = -1;
        Pattern only;
        String python = "python3";
        Path pythonDir = Path.of("benchmarks", "python");
        Path out;
        boolean list;
        double minSeconds = -1;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick":
                        o.quick = true;
                        break;
                    case "--repeats":
                        o.repeats = Integer.parseInt(args[++i]);
                        break;
                    case "--only":
                        o.only = Pattern.compile(args[++i]);
                        break;
                    case "--python":
                        o.python = args[++i];
                        break;
                    case "--python-dir":
                        o.pythonDir = Path.of(args[++i]);
                        break;
                    case "--out":
                        o.out = Path.of(args[++i]);
                        break;
                    case "--min-seconds":
                        o.minSeconds = Double.parseDouble(args[++i]);
                        break;
                    case "--list":
                        o.list = true;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i]
                                + "; options: --quick --repeats N --only REGEX --min-seconds S --python PATH"
                                + " --python-dir DIR --out FILE --list");
                }
            }
            if (o.repeats < 0) {
                o.repeats = o.quick ? 3 : 5;
            }
            if (o.repeats < 1) {
                throw new IllegalArgumentException("repeats must be >= 1, was " + o.repeats);
            }
            return o;
        }
    }

    /** The Python interpreter and the twins script, or why they are missing. */
    static final class Python {
        final String command;
        final Path script;
        final String version;
        final String missing;

        private Python(String command, Path script, String version, String missing) {
            this.command = command;
            this.script = script;
            this.version = version;
            this.missing = missing;
        }

        static Python find(String command, Path dir) {
            Path script = dir.resolve("twins.py");
            if (!Files.isRegularFile(script)) {
                return new Python(command, script, null, "no " + script);
            }
            try {
                // The interpreter itself, not a launcher shim (pyenv's adds ~40 ms per start).
                String[] found = run(List.of(command, "-c",
                        "import sys; print(sys.version.split()[0]); print(sys.executable)")).strip().split("\n");
                String executable = found.length > 1 && !found[1].isBlank() ? found[1].strip() : command;
                return new Python(executable, script, found[0].strip(), null);
            } catch (Exception e) {
                return new Python(command, script, null, command + " not found (" + describe(e) + ")");
            }
        }

        /** A reference side running one twin sub-command; skipped when Python is missing. */
        Side side(String label, String... args) {
            if (missing != null) {
                return new Side(label, null, missing);
            }
            List<String> command = new ArrayList<>(List.of(this.command, script.toString()));
            command.addAll(List.of(args));
            return Side.of(label, () -> value(run(command)));
        }

        private static final Pattern VALUE = Pattern.compile("\"value\":\\s*([-0-9.eE+]+)");

        private static double value(String json) {
            Matcher m = VALUE.matcher(json);
            if (!m.find()) {
                throw new IllegalStateException("no value in twin output: " + json.strip());
            }
            return Double.parseDouble(m.group(1));
        }

        static String run(List<String> command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int exit = process.waitFor();
            if (exit != 0) {
                String tail = out.strip();
                int cut = tail.lastIndexOf('\n');
                throw new IllegalStateException(String.join(" ", command.subList(1, command.size()))
                        + " exited with " + exit + ": " + (cut >= 0 ? tail.substring(cut + 1) : tail));
            }
            return out;
        }
    }

    /** The scenarios of issue 6, sized for a quick or a full run. */
    static final class Scenarios {

        static List<Scenario> all(Options o, Python py) {
            double minSeconds = o.minSeconds > 0 ? o.minSeconds : o.quick ? 0.3 : 1.0;
            String ms = Double.toString(minSeconds);
            int nTrivialChunk1Thread = 20_000;
            int nTrivialChunk1Process = o.quick ? 5_000 : 20_000;
            int nTrivialAuto = 100_000;
            int calls = o.quick ? 500 : 2_000;
            int warmup = 200;
            List<Integer> payloadSizes = o.quick
                    ? List.of(1024, 1 << 20, 10 << 20)
                    : List.of(1024, 1 << 20, 50 << 20);
            int memoryN = 1_000_000;
            int holdMillis = 1000;

            List<Scenario> list = new ArrayList<>();
            Target none = Target.NONE;

            // ThreadPool
            list.add(new Scenario("ThreadPool(2) map, trivial, chunk 1, " + nTrivialChunk1Thread + " inputs", "tasks/s",
                    Side.of("pool4j", () -> JavaSide.mapThroughput(() -> Pools.threadPool(2, 1), nTrivialChunk1Thread, minSeconds)),
                    Side.of("ExecutorService.invokeAll (2 threads)", () -> JavaSide.invokeAllThroughput(2, nTrivialChunk1Thread, minSeconds)),
                    Target.ratioAtLeast(0.95, "≥ 0.95× invokeAll")));
            list.add(new Scenario("ThreadPool(2) map, trivial, auto chunks, " + nTrivialAuto + " inputs", "tasks/s",
                    Side.of("pool4j", () -> JavaSide.mapThroughput(() -> Pools.threadPool(2, Pools.AUTO), nTrivialAuto, minSeconds)),
                    py.side("Python ThreadPool(2) default chunks", "map", "--pool", "thread", "--n", "" + nTrivialAuto, "--min-seconds", ms),
                    Target.ratioAtLeast(1.0, "≥ 1× Python ThreadPool(2)")));
            list.add(new Scenario("ThreadPool(2) map, trivial, chunk 1, " + nTrivialChunk1Thread + " inputs", "tasks/s",
                    Side.of("pool4j", () -> JavaSide.mapThroughput(() -> Pools.threadPool(2, 1), nTrivialChunk1Thread, minSeconds)),
                    py.side("Python ThreadPool(2) chunksize=1", "map", "--pool", "thread", "--n", "" + nTrivialChunk1Thread, "--chunksize", "1", "--min-seconds", ms),
                    none));

            // ProcessPool throughput
            list.add(new Scenario("ProcessPool(2) map, trivial, chunk 1, " + nTrivialChunk1Process + " inputs", "tasks/s",
                    Side.of("pool4j", () -> JavaSide.mapThroughput(() -> Pools.processPool(2, 1), nTrivialChunk1Process, minSeconds)),
                    py.side("Python Pool(2) chunksize=1", "map", "--pool", "process", "--n", "" + nTrivialChunk1Process, "--chunksize", "1", "--min-seconds", ms),
                    Target.ratioAtLeast(5.0, "≥ 5× Python Pool(2)")));
            list.add(new Scenario("ProcessPool(2) map, trivial, auto chunks, " + nTrivialAuto + " inputs", "tasks/s",
                    Side.of("pool4j", () -> JavaSide.mapThroughput(() -> Pools.processPool(2, Pools.AUTO), nTrivialAuto, minSeconds)),
                    py.side("Python Pool(2) default chunks", "map", "--pool", "process", "--n", "" + nTrivialAuto, "--min-seconds", ms),
                    Target.ratioAtLeast(1.0, "≥ 1× Python Pool(2)")));

            // Latency
            list.add(new Scenario("ProcessPool(2) submit round trip (median of " + calls + ")", "µs",
                    Side.of("pool4j", () -> JavaSide.submitLatency(() -> Pools.processPool(2, Pools.AUTO), warmup, calls)),
                    py.side("Python Pool(2).apply_async", "submit", "--pool", "process", "--calls", "" + calls, "--warmup", "" + warmup),
                    none));
            list.add(new Scenario("ThreadPool(2) submit round trip (median of " + calls + ")", "µs",
                    Side.of("pool4j", () -> JavaSide.submitLatency(() -> Pools.threadPool(2, Pools.AUTO), warmup, calls)),
                    py.side("Python ThreadPool(2).apply_async", "submit", "--pool", "thread", "--calls", "" + calls, "--warmup", "" + warmup),
                    none));

            // Start
            list.add(new Scenario("ProcessPool(2) build → first result → close", "ms",
                    Side.of("pool4j", () -> JavaSide.poolStart(() -> Pools.processPool(2, Pools.AUTO))),
                    Side.of("bare java Hello", () -> JavaSide.processRun(JavaSide.javaHello())),
                    new Target("≤ 1.5× java Hello and ≤ 250 ms (JDK 25)",
                            List.of(new Condition(true, 1.5, false), new Condition(false, 250, false)))));
            list.add(new Scenario("ProcessPool(2) build → first result → close", "ms",
                    Side.of("pool4j", () -> JavaSide.poolStart(() -> Pools.processPool(2, Pools.AUTO))),
                    py.side("Python Pool(2) (fork)", "start", "--pool", "process"),
                    none));
            list.add(new Scenario("ThreadPool(2) build → first result → close", "ms",
                    Side.of("pool4j", () -> JavaSide.poolStart(() -> Pools.threadPool(2, Pools.AUTO))),
                    py.side("Python ThreadPool(2)", "start", "--pool", "thread"),
                    none));
            list.add(new Scenario("bare java Hello (process start to exit)", "ms",
                    Side.of("java Hello", () -> JavaSide.processRun(JavaSide.javaHello())),
                    py.missing != null ? new Side("python3 -c pass", null, py.missing)
                            : Side.of("python3 -c pass", () -> JavaSide.processRun(List.of(py.command, "-c", "pass"))),
                    none));

            // Payload bandwidth
            for (PayloadKind kind : PayloadKind.values()) {
                for (int size : payloadSizes) {
                    list.add(new Scenario("ProcessPool(2) payload round trip, " + javaType(kind) + " " + human(size), "MB/s",
                            Side.of("pool4j", () -> JavaSide.payloadBandwidth(kind, size, minSeconds)),
                            py.side("Python Pool(2) " + pythonType(kind), "payload", "--kind", kind.name(), "--bytes", "" + size, "--min-seconds", ms),
                            none));
                }
            }

            // CPU-bound speedup
            int[] iterations = new int[1];
            Measure calibrated = () -> {
                if (iterations[0] == 0) {
                    iterations[0] = Workloads.calibrateSpin(CpuBoundBenchmark.TASK_MILLIS);
                }
                return iterations[0];
            };
            list.add(new Scenario("CPU-bound 40 × ~20 ms, ThreadPool(2) speedup over serial", "×",
                    Side.of("pool4j", () -> JavaSide.cpuSpeedup(() -> Pools.threadPool(2, Pools.AUTO), (int) calibrated.run())),
                    py.side("Python ThreadPool(2)", "cpu", "--pool", "thread"),
                    Target.valueAtLeast(1.9, "pool4j ≥ 1.9×")));
            list.add(new Scenario("CPU-bound 40 × ~20 ms, ProcessPool(2) speedup over serial", "×",
                    Side.of("pool4j", () -> JavaSide.cpuSpeedup(() -> Pools.processPool(2, Pools.AUTO), (int) calibrated.run())),
                    py.side("Python Pool(2)", "cpu", "--pool", "process"),
                    Target.valueAtLeast(1.9, "pool4j ≥ 1.9×")));

            // Memory
            list.add(new Scenario("idle worker RSS after its first task, default options", "MiB",
                    Side.of("pool4j ProcessPool", () -> JavaSide.idleWorkerRss(2)),
                    py.side("Python Pool worker (fork)", "idle-rss"),
                    Target.valueAtMost(48, "pool4j ≤ 48 MiB")));
            list.add(new Scenario("idle worker PSS (shared pages divided) after its first task, default options", "MiB",
                    Side.of("pool4j ProcessPool", () -> JavaSide.idleWorkerPss(2)),
                    py.side("Python Pool worker (fork)", "idle-rss", "--pss"),
                    none));
            Side processMemory = Side.of("pool4j", () -> memoryExperiment("process", memoryN, holdMillis));
            Side threadMemory = Side.of("pool4j ThreadPool(3)", () -> memoryExperiment("thread", memoryN, holdMillis));
            list.add(new Scenario("memory: 1,000,000-element list to 3 workers, ProcessPool(3), peak total RSS", "MiB",
                    processMemory,
                    py.side("Python Pool(3)", "memory", "--pool", "process", "--n", "" + memoryN, "--hold-ms", "" + holdMillis),
                    none));
            list.add(new Scenario("memory: 1,000,000-element list to 3 workers, ThreadPool(3), peak total RSS", "MiB",
                    Side.of("pool4j", () -> memoryExperiment("thread", memoryN, holdMillis)),
                    py.side("Python ThreadPool(3)", "memory", "--pool", "thread", "--n", "" + memoryN, "--hold-ms", "" + holdMillis),
                    none));
            list.add(new Scenario("memory: 1,000,000-element list to 3 workers, ProcessPool(3) vs ThreadPool(3)", "MiB",
                    processMemory, threadMemory, none));
            return list;
        }

        /** Runs {@link MemoryExperiment} in a fresh JVM so earlier scenarios don't inflate it. */
        static double memoryExperiment(String kind, int n, int holdMillis) throws Exception {
            List<String> command = List.of(JavaSide.javaBinary(), "-cp", System.getProperty("java.class.path"),
                    MemoryExperiment.class.getName(), kind, "3", "" + n, "" + holdMillis);
            String out = Python.run(command).strip();
            String last = out.substring(out.lastIndexOf('\n') + 1);
            return Double.parseDouble(last);
        }

        static String javaType(PayloadKind kind) {
            switch (kind) {
                case BYTES:
                    return "byte[]";
                case STRING:
                    return "String";
                default:
                    return "List<Integer>";
            }
        }

        static String pythonType(PayloadKind kind) {
            switch (kind) {
                case BYTES:
                    return "bytes";
                case STRING:
                    return "str";
                default:
                    return "list[int]";
            }
        }

        static String human(int bytes) {
            if (bytes >= 1 << 20) {
                return (bytes >> 20) + " MB";
            }
            return (bytes >> 10) + " KB";
        }
    }

    /** The Markdown report. */
    static final class Report {

        static String markdown(Options o, Python py, List<Row> rows, Instant started, String loadBefore,
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
                    + "| ratio pool4j ÷ reference, min / median / max | target | verdict |\n");
            md.append("|---|---|---:|---|---:|---|---|---|\n");
            for (Row row : rows) {
                md.append(line(row)).append('\n');
            }
            md.append("\nRaw values per repeat (pool4j / reference):\n\n");
            for (Row row : rows) {
                md.append("- ").append(row.scenario().name()).append(" vs ").append(row.scenario().reference().label())
                        .append(": ");
                List<String> pairs = new ArrayList<>();
                for (int i = 0; i < row.pool4j().size(); i++) {
                    pairs.add(fmt(row.pool4j().get(i)) + " / " + fmt(row.reference().get(i)));
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
                    + " | " + ratio + " | " + s.target().text() + " | " + verdict + " |";
        }

        private static List<Double> ratios(Row row) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < row.pool4j().size(); i++) {
                ratios.add(row.pool4j().get(i) / row.reference().get(i));
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
}
