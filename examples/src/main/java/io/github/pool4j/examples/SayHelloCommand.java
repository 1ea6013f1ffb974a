package io.github.pool4j.examples;

import io.github.pool4j.Pool;
import io.github.pool4j.WorkerStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The post's {@code Pool(3).map(say_hello, ["Kai", "Tessa", "Jess"])}: three workers greet and
 * sleep 10 s at once, so the whole map takes about 10 s, not 30. While they sleep it prints the
 * process table: 1 parent and 3 worker JVMs with {@code --processes}, one JVM whose pool threads
 * show as SPIDs with {@code --threads}.
 */
@Command(
        name = "say-hello",
        mixinStandardHelpOptions = true,
        description = {
                "Pool(3).map(say_hello, names): 3 sleeps take 10 s, not 30",
                "Each worker prints Hi <name>! and sleeps; meanwhile the table shows 1 + 3 JVMs"
                        + " (--processes), one JVM with its pool threads (--threads), or this JVM and 3"
                        + " Hazelcast member JVMs started on this machine (--cluster)."})
final class SayHelloCommand implements Callable<Integer> {

    static final List<String> BLOG_NAMES = List.of("Kai", "Tessa", "Jess");
    static final int MAX_WORKERS = 64;

    /** Generous: only reached when workers cannot start; then the table shows what there is. */
    private static final Duration ASLEEP_TIMEOUT = Duration.ofSeconds(120);

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private PoolChoice choice;

    @Option(names = "--sleep", defaultValue = "10", converter = Seconds.class, paramLabel = "SECONDS",
            description = "How long say_hello sleeps, 0 to 86400, decimals allowed (default: ${DEFAULT-VALUE}).")
    private Duration sleep;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "3", description = "Pool size, 1 to " + MAX_WORKERS + " (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--all-threads",
            description = "With --threads, list every thread of the JVM (GC, JIT...), not only main and the pool's.")
    private boolean allThreads;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Names to greet (default: Kai Tessa Jess).")
    private List<String> names;

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        Args.inRange(spec, "--workers", workers, 1, MAX_WORKERS);
        if (allThreads && choice.kind() != PoolKind.THREADS) {
            // The process table shows one row per JVM; a worker JVM's threads are its own business.
            throw new ParameterException(spec.commandLine(),
                    "--all-threads lists the threads of one JVM: use it with --threads, not --" + choice.kind().label());
        }
        PrintStream out = System.out;
        List<String> who = names == null || names.isEmpty() ? BLOG_NAMES : List.copyOf(names);
        PoolKind kind = choice.kind();
        out.printf(Locale.ROOT, "%s pool of %d: map(say_hello, %s), each call sleeping %s s%n",
                kind == PoolKind.PROCESSES ? "process" : kind == PoolKind.CLUSTER ? "cluster" : "thread", workers, who,
                Seconds.short1(sleep));

        Duration elapsed;
        // A cluster pool runs on member JVMs started here (one executor thread each), closed last.
        try (Checkpoint asleep = Checkpoint.create();
                LocalMembers members = kind == PoolKind.CLUSTER ? LocalMembers.start(workers, out) : null;
                Pool<String, String> pool = members != null
                        ? members.pool(Progress.onTerminal())
                        : kind.start(workers, out)) {
            long start = System.nanoTime();
            CompletableFuture<List<String>> greetings = pool.mapAsync(new SayHello(sleep.toMillis(), asleep.dir()), who);
            List<Checkpoint.Arrival> sleeping =
                    asleep.await(Math.min(who.size(), workers), ASLEEP_TIMEOUT, greetings::isDone);
            if (greetings.isCompletedExceptionally()) {
                greetings.join(); // throws why: no table of workers that never got to work
            }
            out.println();
            out.print(table(kind, pool, sleeping));
            out.println();
            greetings.join();
            elapsed = Duration.ofNanos(System.nanoTime() - start);
        }
        Duration serial = sleep.multipliedBy(who.size());
        out.printf(Locale.ROOT, "elapsed %s s (serial would take %s s)%n", Seconds.short1(elapsed), Seconds.short1(serial));
        return 0;
    }

    private String table(PoolKind kind, Pool<?, ?> pool, List<Checkpoint.Arrival> sleeping) {
        long self = ProcessHandle.current().pid();
        if (kind != PoolKind.THREADS) {
            Set<Long> pids = new LinkedHashSet<>();
            pids.add(self);
            pool.stats().workers().stream().map(WorkerStats::pid).forEach(pids::add);
            sleeping.forEach(a -> pids.add(a.pid()));
            return Tables.processes(pids);
        }
        Set<Long> poolThreads = sleeping.stream().map(Checkpoint.Arrival::tid).collect(Collectors.toSet());
        // The thread running this command is Java's main thread, the twin of Python's; the
        // process's first thread (SPID = PID) is the java launcher's, waiting for the JVM to end.
        return Tables.threads(self, Checkpoint.nativeThreadId(), poolThreads, allThreads);
    }
}
