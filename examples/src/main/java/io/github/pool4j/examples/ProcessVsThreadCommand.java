package io.github.pool4j.examples;

import io.github.pool4j.Pool;
import io.github.pool4j.process.ProcessPool;
import io.github.pool4j.thread.ThreadPool;
import io.github.pool4j.timing.CollectingSink;
import io.github.pool4j.timing.Timed;
import io.github.pool4j.timing.Timer;
import io.github.pool4j.timing.TimingSink;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The post's {@code process_vs_thread.py}: times creating, starting and joining a thread, a bare OS
 * process, then a worker process, each doing nothing, with the {@code @timed} decorator's output
 * ({@code run_thread 0.000241258}), then the ratios, where they come from, and a chart.
 *
 * <p>The post's process is a fork of the running Python interpreter (~3.5 ms); a pool4j worker is
 * a new JVM that boots, loads pool4j and answers its first task (~130 ms and more). Timing a bare
 * OS process ({@code /bin/true}) beside both shows which part of the gap is "process vs thread" and
 * which is "JVM start-up", so the post's lesson (~15x) is not mistaken for the JVM's (~300x).
 */
@Command(
        name = "process-vs-thread",
        mixinStandardHelpOptions = true,
        description = {
                "@timed: start and join a thread vs an OS process vs a worker JVM",
                "Prints run_thread, run_os_process and run_process in seconds, the ratios, where they come from,"
                        + " and a bar chart."})
final class ProcessVsThreadCommand implements Callable<Integer> {

    static final int MAX_REPEAT = 1000;
    static final String THREAD = "run_thread";
    static final String OS_PROCESS = "run_os_process";
    static final String WORKER = "run_process";

    /** Programs that exit at once, doing nothing: the bare OS process. */
    private static final List<Path> TRUE_PROGRAMS = List.of(Path.of("/bin/true"), Path.of("/usr/bin/true"));

    @Spec
    private CommandSpec spec;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Time each N times, 1 to " + MAX_REPEAT + ", and print min and median (default: ${DEFAULT-VALUE}).")
    private int repeat;

    @Option(names = "--svg", paramLabel = "FILE", description = "Also write the chart as SVG to FILE (its directory must exist).")
    private Path svg;

    @Override
    public Integer call() throws IOException {
        Args.inRange(spec, "--repeat", repeat, 1, MAX_REPEAT);
        if (svg != null) {
            // Checked before the experiment, not after it ran for a while.
            Args.writableFile(spec, "--svg", svg);
        }
        PrintStream out = System.out;
        Path trueProgram = TRUE_PROGRAMS.stream().filter(Files::isExecutable).findFirst().orElse(null);
        // The post's @timed prints each timing; the collecting sink keeps them for the summary.
        CollectingSink timings = TimingSink.collecting();
        Timer timed = Timed.with(TimingSink.stdout().andThen(timings));
        // Untimed: loading the classes of a thread pool and of ProcessBuilder takes longer than
        // what is measured, and Python pays no such cost. A worker JVM's start is timed as it comes.
        runThread();
        if (trueProgram != null) {
            runOsProcess(trueProgram);
        }
        for (int i = 0; i < repeat; i++) {
            timed.run(THREAD, ProcessVsThreadCommand::runThread);
            if (trueProgram != null) {
                timed.run(OS_PROCESS, () -> runOsProcess(trueProgram));
            }
            timed.run(WORKER, ProcessVsThreadCommand::runProcess);
        }
        List<String> names = trueProgram != null ? List.of(THREAD, OS_PROCESS, WORKER) : List.of(THREAD, WORKER);
        Map<String, Long> figures = new LinkedHashMap<>();
        String which = "one run each; --repeat N prints min and median";
        String chartTitle = "Create, start and join, seconds";
        if (repeat > 1) {
            which = "medians of " + repeat + " runs";
            chartTitle = "Create, start and join, median seconds of " + repeat + " runs";
            out.println();
        }
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        for (String name : names) {
            long[] nanos = nanos(timings.durations(name));
            figures.put(name, repeat > 1 ? median(nanos) : nanos[0]);
            if (repeat > 1) {
                out.printf(Locale.ROOT, "%-" + width + "s min %s median %s over %d runs%n",
                        name, seconds(min(nanos)), seconds(median(nanos)), repeat);
            }
        }
        long thread = Math.max(1, figures.get(THREAD));
        long worker = figures.get(WORKER);
        out.println();
        if (trueProgram != null) {
            long os = figures.get(OS_PROCESS);
            out.printf(Locale.ROOT, "an OS process takes %s as long to start as a thread, a worker JVM %s (%s)%n",
                    ratio(os, thread), ratio(worker, thread), which);
            out.println("where the difference comes from:");
            out.printf(Locale.ROOT, "  thread vs OS process (%s): the post's comparison, ~15x there, where a process is a fork"
                    + " of the running Python interpreter and a thread a bare one (here it comes with a pool)%n",
                    ratio(os, thread));
            out.printf(Locale.ROOT, "  OS process vs worker JVM (%s): a worker is a new JVM that boots, loads pool4j"
                    + " and answers its first task; a ProcessPool pays that once per worker, not per task%n",
                    ratio(worker, Math.max(1, os)));
        } else {
            out.printf(Locale.ROOT, "a worker JVM takes %s as long to start as a thread (%s)%n", ratio(worker, thread), which);
            out.println("(no /bin/true here to time a bare OS process; a worker JVM also boots a JVM and loads pool4j,"
                    + " which a forked process does not)");
        }
        List<BarChart.Bar> bars = new ArrayList<>();
        figures.forEach((name, nanos) -> bars.add(new BarChart.Bar(name, nanos, seconds(nanos))));
        BarChart.of(chartTitle, bars).print(out, svg);
        return 0;
    }

    /** {@code Thread(target=do_nothing)}, start, join: a pool of one thread running one call. */
    static void runThread() {
        try (Pool<Integer, Integer> pool = ThreadPool.create(1)) {
            pool.submit(ProcessVsThreadCommand::doNothing, 0).join();
        }
    }

    /** A bare OS process doing nothing, started and waited for: what the post's fork costs, minus Python. */
    static void runOsProcess(Path program) {
        try {
            Process process = new ProcessBuilder(program.toString())
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(program + " exited with status " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + program, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + program, e);
        }
    }

    /** {@code Process(target=do_nothing)}, start, join: a pool of one worker JVM running one call. */
    static void runProcess() {
        try (Pool<Integer, Integer> pool = ProcessPool.create(1)) {
            pool.submit(ProcessVsThreadCommand::doNothing, 0).join();
        }
    }

    /** {@code 2.7x}, {@code 589x}: one decimal while it matters. */
    private static String ratio(long slow, long fast) {
        double ratio = (double) slow / fast;
        return String.format(Locale.ROOT, ratio < 10 ? "%.1fx" : "%.0fx", ratio);
    }

    /** The post's {@code do_nothing}. */
    static Integer doNothing(Integer ignored) {
        return ignored;
    }

    private static String seconds(long nanos) {
        return Timed.seconds(Duration.ofNanos(nanos));
    }

    private static long[] nanos(List<Duration> durations) {
        return durations.stream().mapToLong(Duration::toNanos).toArray();
    }

    private static long min(long[] nanos) {
        return Arrays.stream(nanos).min().orElseThrow();
    }

    private static long median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
