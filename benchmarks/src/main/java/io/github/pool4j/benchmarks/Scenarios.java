package io.github.pool4j.benchmarks;

import io.github.pool4j.benchmarks.Compare.Condition;
import io.github.pool4j.benchmarks.Compare.Measure;
import io.github.pool4j.benchmarks.Compare.Options;
import io.github.pool4j.benchmarks.Compare.Scenario;
import io.github.pool4j.benchmarks.Compare.Side;
import io.github.pool4j.benchmarks.Compare.Target;
import io.github.pool4j.benchmarks.Workloads.PayloadKind;
import java.util.ArrayList;
import java.util.List;

/** The scenarios, sized for a quick or a full run. */
final class Scenarios {

    static List<Scenario> all(Options o, PythonTwins py) {
        double minSeconds = o.minSeconds > 0 ? o.minSeconds : o.quick ? 0.3 : 1.0;
        String ms = Double.toString(minSeconds);
        int nTrivialChunk1Thread = 20_000;
        int nTrivialChunk1Process = o.quick ? 5_000 : 20_000;
        int nTrivialAuto = 100_000;
        int nColdMap = 5_000;
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
        list.add(new Scenario("ProcessPool(2) map, trivial, chunk 1, " + nColdMap + " inputs, cold (first map on a fresh pool)", "tasks/s",
                Side.of("pool4j", () -> JavaSide.coldMapThroughput(() -> Pools.processPool(2, 1), nColdMap)),
                py.side("Python Pool(2) chunksize=1", "cold-map", "--n", "" + nColdMap, "--chunksize", "1"),
                none,
                Side.of("raw pipes, 2 fresh JVMs", () -> PipeEcho.coldStream(nColdMap))));

        // Size sweep: warm pool, automatic chunks, best of N, in ms (lower is better)
        for (int n : SWEEP_SIZES) {
            int bestOf = sweepBestOf(n);
            list.add(new Scenario("ProcessPool(2) warm map, trivial, auto chunks, " + n + " inputs, best of " + bestOf, "ms",
                    Side.of("pool4j", () -> JavaSide.warmMapBestMillis(() -> Pools.processPool(2, Pools.AUTO), n, bestOf, minSeconds)),
                    py.side("Python Pool(2) default chunks", "sweep", "--n", "" + n, "--best-of", "" + bestOf, "--warm-seconds", ms),
                    none,
                    Side.of("raw pipes + boxing, 2 JVMs", () -> PipeEcho.mapBestMillis(n, bestOf, minSeconds))));
        }

        // HazelcastPool: 3 member JVMs on this machine, this JVM a client (LocalCluster)
        list.add(new Scenario("HazelcastPool (3 local members) map, trivial, auto chunks, " + nTrivialAuto + " inputs",
                "tasks/s",
                Side.of("pool4j HazelcastPool", () -> JavaSide.mapThroughput(LocalCluster::pool, nTrivialAuto, minSeconds)),
                Side.of("pool4j ProcessPool(3)", () -> JavaSide.mapThroughput(() -> Pools.processPool(3, Pools.AUTO),
                        nTrivialAuto, minSeconds)),
                Target.valueAtLeast(1_000_000, "HazelcastPool ≥ 1M inputs/s")));

        // imap with default settings against map over the same inputs (both pool4j, same run)
        int nImap = 200_000;
        for (String kind : List.of("ProcessPool", "ThreadPool")) {
            java.util.function.Supplier<io.github.pool4j.Pool<Integer, Integer>> pool = kind.equals("ProcessPool")
                    ? () -> Pools.processPool(2, Pools.AUTO) : () -> Pools.threadPool(2, Pools.AUTO);
            for (JavaSide.ImapMode mode : JavaSide.ImapMode.values()) {
                String what = switch (mode) {
                    case LIST -> "imap over a list";
                    case LIST_UNORDERED -> "imapUnordered over a list";
                    case ENDLESS_STREAM -> "imap over an endless stream (first inputs)";
                };
                list.add(new Scenario(kind + "(2) " + what + ", default chunks, " + nImap + " inputs", "tasks/s",
                        Side.of("pool4j " + (mode == JavaSide.ImapMode.LIST_UNORDERED ? "imapUnordered" : "imap"),
                                () -> JavaSide.imapThroughput(pool, nImap, minSeconds, mode)),
                        Side.of("pool4j map (list, auto chunks)", () -> JavaSide.mapThroughput(pool, nImap, minSeconds)),
                        Target.ratioAtLeast(0.5, "≥ 0.5× map")));
            }
        }

        // Latency
        list.add(new Scenario("ProcessPool(2) submit round trip (median of " + calls + ")", "µs",
                Side.of("pool4j", () -> JavaSide.submitLatency(() -> Pools.processPool(2, Pools.AUTO), warmup, calls)),
                py.side("Python Pool(2).apply_async", "submit", "--pool", "process", "--calls", "" + calls, "--warmup", "" + warmup),
                none,
                Side.of("raw pipe ping-pong, 2 JVMs", () -> PipeEcho.pingPong(warmup, calls))));
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
                none,
                Side.of("2 bare java Hello at once", () -> JavaSide.processRuns(2, JavaSide.javaHello()))));
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
                        none,
                        Side.of("raw pipe copy, 2 JVMs", () -> PipeEcho.bandwidth(size, minSeconds))));
            }
        }
        // What any JVM pool pays for a byte[] value: a new array at each end (no pool, no encoding)
        for (int size : payloadSizes) {
            if (size >= 1 << 20) {
                list.add(new Scenario("JVM floor of the byte[] " + human(size) + " round trip (no pool): raw pipes, "
                        + "a new array per message at each end, the child with a worker's options", "MB/s",
                        Side.of("raw pipes, new arrays", () -> PipeEcho.bandwidthFreshArrays(size, minSeconds)),
                        py.side("Python Pool(2) bytes", "payload", "--kind", PayloadKind.BYTES.name(), "--bytes", "" + size,
                                "--min-seconds", ms),
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
        // The limit: the same inputs split between two plain threads of this JVM, no pool at all.
        Side twoThreads = Side.of("2 plain threads, this JVM", () -> JavaSide.cpuSpeedupOfTwoThreads((int) calibrated.run()));
        list.add(new Scenario("CPU-bound 40 × ~20 ms, ThreadPool(2) speedup over serial", "×",
                Side.of("pool4j", () -> JavaSide.cpuSpeedup(() -> Pools.threadPool(2, Pools.AUTO), (int) calibrated.run())),
                py.side("Python ThreadPool(2)", "cpu", "--pool", "thread"),
                Target.valueAtLeast(1.9, "pool4j ≥ 1.9×"), twoThreads));
        list.add(new Scenario("CPU-bound 40 × ~20 ms, HazelcastPool (3 local members) speedup over serial", "×",
                Side.of("pool4j HazelcastPool", () -> JavaSide.cpuSpeedup(LocalCluster::pool, (int) calibrated.run())),
                Side.of("pool4j ProcessPool(3)", () -> JavaSide.cpuSpeedup(() -> Pools.processPool(3, Pools.AUTO),
                        (int) calibrated.run())),
                none));
        list.add(new Scenario("CPU-bound 40 × ~20 ms, ProcessPool(2) speedup over serial", "×",
                Side.of("pool4j", () -> JavaSide.cpuSpeedup(() -> Pools.processPool(2, Pools.AUTO), (int) calibrated.run())),
                py.side("Python Pool(2)", "cpu", "--pool", "process"),
                Target.valueAtLeast(1.9, "pool4j ≥ 1.9×"), twoThreads));

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

    /** Input counts of the warm map size sweep. */
    static final List<Integer> SWEEP_SIZES = List.of(1_000, 10_000, 100_000, 1_000_000, 4_000_000);

    /** Best of how many maps for a sweep size: many for the fast ones, few where one takes seconds. */
    static int sweepBestOf(int n) {
        return n <= 10_000 ? 50 : n <= 100_000 ? 10 : 3;
    }

    /** Runs {@link MemoryExperiment} in a fresh JVM so earlier scenarios don't inflate it. */
    static double memoryExperiment(String kind, int n, int holdMillis) throws Exception {
        List<String> command = List.of(JavaSide.javaBinary(), "-cp", System.getProperty("java.class.path"),
                MemoryExperiment.class.getName(), kind, "3", "" + n, "" + holdMillis);
        String out = PythonTwins.run(command).strip();
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
