package io.github.pool4j.examples;

import io.github.pool4j.Pool;
import io.github.pool4j.WorkerStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The post's memory experiment: a list of 1,000,000 numbers given to each of 3 workers that
 * return it plus one. Threads share the one list and live in one process; each worker process
 * gets its own copy and its own JVM. While the workers sleep it prints the process table and the
 * total RSS of its rows; {@code --compare} runs both kinds, each in a fresh JVM so neither
 * inherits the other's heap, and prints the ratio and a chart.
 */
@Command(
        name = "memory",
        mixinStandardHelpOptions = true,
        description = {
                "Total RSS of 3 workers mapping 1,000,000 numbers",
                "Threads share the list in one JVM; each worker process holds its own copy."})
final class MemoryCommand implements Callable<Integer> {

    private static final Pattern TOTAL = Pattern.compile("^total RSS (\\d+) KiB\\b.*");
    /** The most numbers threads map: one shared list in this JVM's heap. */
    static final int MAX_SIZE = 50_000_000;
    /**
     * The most numbers worker processes map with the pool's defaults: each worker holds the list and
     * its result as boxed numbers in its 256 MiB heap (4,500,000 ran out of memory on JDK 17, 4,000,000
     * did not; this leaves room for other JDKs), so larger lists are refused up front.
     */
    static final int MAX_PROCESS_SIZE = 3_000_000;
    static final int MAX_WORKERS = 64;
    private static final Duration ASLEEP_TIMEOUT = Duration.ofSeconds(120);

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private MemoryChoice choice;

    @Option(names = "--size", paramLabel = "N", defaultValue = "1000000",
            description = "Numbers in the list: 0 to " + MAX_SIZE + " with --threads, to " + MAX_PROCESS_SIZE
                    + " with --processes or --compare, as a worker's heap and frame size allow (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "3", description = "Pool size, and copies of the list mapped: 1 to " + MAX_WORKERS + " (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--sleep", defaultValue = "5", converter = Seconds.class, paramLabel = "SECONDS",
            description = "How long each worker sleeps holding its lists, 0 to 86400, decimals allowed (default: ${DEFAULT-VALUE}).")
    private Duration sleep;

    @Option(names = "--svg", paramLabel = "FILE", description = "With --compare, also write the chart as SVG to FILE (its directory must exist).")
    private Path svg;

    @Override
    public Integer call() throws InterruptedException, IOException {
        if (choice.compare() || choice.kind() == PoolKind.PROCESSES) {
            Args.inRange(spec, "--size", size, 0, MAX_PROCESS_SIZE, " with " + (choice.compare() ? "--compare" : "--processes")
                    + " (each worker JVM holds the list and its result in its 256 MiB heap)");
        } else {
            Args.inRange(spec, "--size", size, 0, MAX_SIZE);
        }
        Args.inRange(spec, "--workers", workers, 1, MAX_WORKERS);
        if (svg != null && !choice.compare()) {
            throw new ParameterException(spec.commandLine(), "--svg needs --compare");
        }
        if (svg != null) {
            Args.writableFile(spec, "--svg", svg);
        }
        if (choice.compare()) {
            return compare(System.out);
        }
        measure(choice.kind(), System.out);
        return 0;
    }

    private void measure(PoolKind kind, PrintStream out) throws InterruptedException {
        out.printf(Locale.ROOT, "%s: %s a list of %,d numbers to the list plus one%n",
                kind.label(), workers == 1 ? "1 worker maps" : workers + " workers each map", size);
        List<Integer> numbers = IntStream.range(0, size).boxed().collect(Collectors.toCollection(ArrayList::new));
        // The same list object for every worker: threads share it, processes each get a copy.
        List<List<Integer>> inputs = Collections.nCopies(workers, numbers);
        try (Checkpoint holding = Checkpoint.create();
                Pool<List<Integer>, List<Integer>> pool = kind.start(workers, out)) {
            CompletableFuture<List<List<Integer>>> results =
                    pool.mapAsync(new PlusOne(sleep.toMillis(), holding.dir()), inputs);
            List<Checkpoint.Arrival> arrived = holding.await(workers, ASLEEP_TIMEOUT, results::isDone);
            if (results.isCompletedExceptionally()) {
                results.join(); // throws why: no table of workers that never got to work
            }
            Set<Long> pids = new LinkedHashSet<>();
            pids.add(ProcessHandle.current().pid());
            if (kind == PoolKind.PROCESSES) {
                pool.stats().workers().stream().map(WorkerStats::pid).forEach(pids::add);
                arrived.forEach(a -> pids.add(a.pid()));
            }
            Tables.Snapshot snapshot = Tables.snapshot(pids);
            out.println();
            out.print(snapshot.text());
            String processes = snapshot.processCount() + " process" + (snapshot.processCount() == 1 ? "" : "es");
            if (snapshot.totalRssKiB() < 0) {
                out.println("total RSS unknown on this system (see the note above) in " + processes);
            } else {
                out.printf(Locale.ROOT, "total RSS %d KiB (%s) in %s%n",
                        snapshot.totalRssKiB(), mib(snapshot.totalRssKiB()), processes);
            }
            List<List<Integer>> returned = results.join();
            int last = size == 0 ? 0 : returned.get(0).get(size - 1);
            out.printf(Locale.ROOT, "each worker returned %,d numbers, the last one %d%n", returned.get(0).size(), last);
        }
    }

    private int compare(PrintStream out) throws IOException, InterruptedException {
        long threads = inFreshJvm(PoolKind.THREADS, out);
        out.println();
        long processes = inFreshJvm(PoolKind.PROCESSES, out);
        out.println();
        double ratio = threads == 0 ? Double.NaN : (double) processes / threads;
        out.printf(Locale.ROOT, "processes/threads: %.1fx the memory (%s vs %s)%n", ratio, mib(processes), mib(threads));
        BarChart chart = BarChart.of(
                String.format(Locale.ROOT, "Total RSS, %s mapping %,d numbers", Args.count(workers, "worker"), size),
                List.of(new BarChart.Bar("processes", processes, mib(processes)),
                        new BarChart.Bar("threads", threads, mib(threads))));
        chart.print(out, svg);
        return 0;
    }

    /** Runs {@code memory --<kind>} in a new JVM from this class path, echoing its output. */
    private long inFreshJvm(PoolKind kind, PrintStream out) throws IOException, InterruptedException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "memory", "--" + kind.label(),
                "--size", Integer.toString(size),
                "--workers", Integer.toString(workers),
                "--sleep", BigDecimal.valueOf(sleep.toNanos(), 9).stripTrailingZeros().toPlainString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        long total = -1;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), Charset.defaultCharset()))) {
            child.getOutputStream().close();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.println(line);
                Matcher m = TOTAL.matcher(line);
                if (m.matches()) {
                    total = Long.parseLong(m.group(1));
                }
            }
            int exit = child.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("memory --" + kind.label() + " failed with exit code " + exit);
            }
        } finally {
            // Only does something when reading failed or this thread was interrupted; the child's
            // own shutdown hook then stops its workers.
            child.destroy();
        }
        if (total < 0) {
            throw new IllegalStateException("memory --" + kind.label() + " printed no total RSS");
        }
        return total;
    }

    static String mib(long kib) {
        return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }
}
