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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The post's {@code process_vs_thread.py}: times creating, starting and joining a thread, then a
 * worker process, each doing nothing, with the {@code @timed} decorator's output
 * ({@code run_thread 0.000241258}), then the ratio and a chart.
 */
@Command(
        name = "process-vs-thread",
        mixinStandardHelpOptions = true,
        description = {
                "@timed: start and join a thread vs a worker JVM",
                "Prints run_thread and run_process in seconds, the ratio and a bar chart."})
final class ProcessVsThreadCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Time each N times and print min and median (default: ${DEFAULT-VALUE}).")
    private int repeat;

    @Option(names = "--svg", paramLabel = "FILE", description = "Also write the chart as SVG to FILE.")
    private Path svg;

    @Override
    public Integer call() throws IOException {
        Args.inRange(spec, "--repeat", repeat, 1, 1000);
        PrintStream out = System.out;
        // The post's @timed prints each timing; the collecting sink keeps them for the summary.
        CollectingSink timings = TimingSink.collecting();
        Timer timed = Timed.with(TimingSink.stdout().andThen(timings));
        for (int i = 0; i < repeat; i++) {
            timed.run("run_thread", ProcessVsThreadCommand::runThread);
            timed.run("run_process", ProcessVsThreadCommand::runProcess);
        }
        long[] thread = nanos(timings.durations("run_thread"));
        long[] process = nanos(timings.durations("run_process"));
        long threadFigure = thread[0];
        long processFigure = process[0];
        String which = "one run each, class loading included; --repeat N prints min and median";
        String chartTitle = "Create, start and join, seconds";
        if (repeat > 1) {
            threadFigure = median(thread);
            processFigure = median(process);
            which = "medians of " + repeat + " runs";
            chartTitle = "Create, start and join, median seconds of " + repeat + " runs";
            out.println();
            out.printf(Locale.ROOT, "run_thread  min %s median %s over %d runs%n",
                    seconds(min(thread)), seconds(threadFigure), repeat);
            out.printf(Locale.ROOT, "run_process min %s median %s over %d runs%n",
                    seconds(min(process)), seconds(processFigure), repeat);
        }
        out.println();
        out.printf(Locale.ROOT, "a thread starts %.0fx faster than a process (%s)%n",
                (double) processFigure / Math.max(1, threadFigure), which);
        BarChart chart = BarChart.of(chartTitle,
                List.of(new BarChart.Bar("run_thread", threadFigure, seconds(threadFigure)),
                        new BarChart.Bar("run_process", processFigure, seconds(processFigure))));
        chart.print(out, svg);
        return 0;
    }

    /** {@code Thread(target=do_nothing)}, start, join: a pool of one thread running one call. */
    static void runThread() {
        try (Pool<Integer, Integer> pool = ThreadPool.create(1)) {
            pool.submit(ProcessVsThreadCommand::doNothing, 0).join();
        }
    }

    /** {@code Process(target=do_nothing)}, start, join: a pool of one worker JVM running one call. */
    static void runProcess() {
        try (Pool<Integer, Integer> pool = ProcessPool.create(1)) {
            pool.submit(ProcessVsThreadCommand::doNothing, 0).join();
        }
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
