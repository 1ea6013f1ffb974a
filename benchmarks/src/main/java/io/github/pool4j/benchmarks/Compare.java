package io.github.pool4j.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        PythonTwins python = PythonTwins.find(options.python, options.pythonDir);
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
        LocalCluster.stop(); // its Hazelcast client's threads would keep this JVM alive
    }

    private static Row run(Scenario scenario, int repeats) {
        System.err.printf(Locale.ROOT, "%s:", scenario.name());
        List<Side> sides = new ArrayList<>(List.of(scenario.pool4j(), scenario.reference()));
        if (scenario.limit() != null) {
            sides.add(scenario.limit());
        }
        List<List<Double>> values = new ArrayList<>();
        sides.forEach(side -> values.add(new ArrayList<>()));
        String error = null;
        for (int r = 0; r < repeats && error == null; r++) {
            // Rotate which side goes first, so none always runs on the machine the other left.
            double[] measured = new double[sides.size()];
            try {
                for (int k = 0; k < sides.size(); k++) {
                    int side = (r + k) % sides.size();
                    measured[side] = measure(sides.get(side));
                }
            } catch (Throwable e) {
                error = describe(e);
                System.err.printf(" error: %s%n", error);
                break;
            }
            StringBuilder progress = new StringBuilder(" ");
            for (int side = 0; side < sides.size(); side++) {
                values.get(side).add(measured[side]);
                progress.append(side == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.4g", measured[side]));
            }
            System.err.print(progress);
        }
        System.err.println();
        return new Row(scenario, values.get(0), values.get(1), scenario.limit() == null ? List.of() : values.get(2), error);
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

    /** A target: every condition must hold on the medians. */
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

    /**
     * A scenario: pool4j against a reference, in one unit, and optionally against the physical
     * limit of the same work (raw pipes between two JVMs, or bare JVMs started at once; no pool),
     * or {@code null}.
     */
    record Scenario(String name, String unit, Side pool4j, Side reference, Target target, Side limit) {
        Scenario(String name, String unit, Side pool4j, Side reference, Target target) {
            this(name, unit, pool4j, reference, target, null);
        }
    }

    /** A scenario's measured repeats; {@code limit} is empty when the scenario has none. */
    record Row(Scenario scenario, List<Double> pool4j, List<Double> reference, List<Double> limit, String error) {
        Row(Scenario scenario, List<Double> pool4j, List<Double> reference, String error) {
            this(scenario, pool4j, reference, List.of(), error);
        }
    }

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

}
