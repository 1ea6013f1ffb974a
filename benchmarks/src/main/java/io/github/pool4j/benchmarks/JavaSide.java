package io.github.pool4j.benchmarks;

import io.github.pool4j.Pool;
import io.github.pool4j.Task;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.benchmarks.Workloads.PayloadKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One measurement of each comparison scenario on the Java side, the twin of each sub-command of
 * {@code benchmarks/python/twins.py}: same inputs, same chunk sizes, same warm-up, same clock
 * placement. Each call builds its pool, measures, and closes it.
 *
 * <p>Thread-safety: call from one thread at a time (it measures the whole machine).
 */
final class JavaSide {

    private JavaSide() {}

    /** Throughput of {@code map} of {@code n} trivial inputs, in tasks per second. */
    static double mapThroughput(Supplier<Pool<Integer, Integer>> factory, int n, double minSeconds) {
        List<Integer> inputs = Workloads.range(n);
        try (Pool<Integer, Integer> pool = factory.get()) {
            check(pool.map(Workloads::identity, inputs), inputs);
            // Warm-up as long as the measurement: worker JITs need ~10k calls to compile the path.
            loop(minSeconds, () -> pool.map(Workloads::identity, inputs));
            return n / loop(minSeconds, () -> pool.map(Workloads::identity, inputs));
        }
    }

    /**
     * Throughput of the first {@code map} of {@code n} trivial inputs on a fresh pool, in tasks
     * per second: the pool's code paths (parent and workers) are cold. The workers are up before
     * the clock starts (a 2-input map reaches both), so worker start is not counted, as Python's
     * forked workers cost nothing to start either.
     */
    static double coldMapThroughput(Supplier<Pool<Integer, Integer>> factory, int n) {
        List<Integer> inputs = Workloads.range(n);
        try (Pool<Integer, Integer> pool = factory.get()) {
            check(pool.map(Workloads::identity, Workloads.range(2)), Workloads.range(2));
            long start = System.nanoTime();
            List<Integer> results = pool.map(Workloads::identity, inputs);
            double seconds = (System.nanoTime() - start) / 1e9;
            check(results, inputs);
            return n / seconds;
        }
    }

    /**
     * The best (smallest) time of {@code bestOf} {@code map} calls of {@code n} trivial inputs on
     * a warm pool, in milliseconds; the warm-up maps the same inputs for {@code warmSeconds}
     * (at least twice).
     */
    static double warmMapBestMillis(Supplier<Pool<Integer, Integer>> factory, int n, int bestOf, double warmSeconds) {
        List<Integer> inputs = Workloads.range(n);
        try (Pool<Integer, Integer> pool = factory.get()) {
            check(pool.map(Workloads::identity, inputs), inputs);
            loop(warmSeconds, () -> pool.map(Workloads::identity, inputs));
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < bestOf; i++) {
                long start = System.nanoTime();
                pool.map(Workloads::identity, inputs);
                best = Math.min(best, (System.nanoTime() - start) / 1e6);
            }
            return best;
        }
    }

    /** How an {@code imap} scenario feeds and reads its inputs. */
    enum ImapMode {
        /** {@code imap} over a list, results in input order. */
        LIST,
        /** {@code imapUnordered} over a list. */
        LIST_UNORDERED,
        /** {@code imap} over an endless stream, reading its first n results. */
        ENDLESS_STREAM
    }

    /**
     * Throughput of {@code imap}/{@code imapUnordered} with the pool's default (adaptive) chunk
     * size over {@code n} trivial inputs, after a warm-up as long as the measurement.
     */
    static double imapThroughput(Supplier<Pool<Integer, Integer>> factory, int n, double minSeconds, ImapMode mode) {
        List<Integer> inputs = Workloads.range(n);
        try (Pool<Integer, Integer> pool = factory.get()) {
            Runnable body = () -> {
                Iterable<Integer> source = mode == ImapMode.ENDLESS_STREAM
                        ? () -> java.util.stream.Stream.iterate(0, i -> i + 1).iterator()
                        : inputs;
                long sum = 0;
                try (var results = mode == ImapMode.LIST_UNORDERED
                        ? pool.imapUnordered(Workloads::identity, source)
                        : pool.imap(Workloads::identity, source)) {
                    for (int i = 0; i < n; i++) {
                        sum += results.next();
                    }
                }
                if (sum != (long) n * (n - 1) / 2) {
                    throw new IllegalStateException("imap returned wrong results");
                }
            };
            body.run();
            loop(minSeconds, body);
            return n / loop(minSeconds, body);
        }
    }

    /** Throughput of the bare baseline: {@code invokeAll} on a fixed pool of {@code size}. */
    static double invokeAllThroughput(int size, int n, double minSeconds) throws InterruptedException {
        List<Integer> inputs = Workloads.range(n);
        ExecutorService executor = Executors.newFixedThreadPool(size);
        try {
            check(ThreadPoolMapBenchmark.invokeAll(executor, inputs), inputs);
            Runnable body = () -> {
                try {
                    ThreadPoolMapBenchmark.invokeAll(executor, inputs);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            loop(minSeconds, body);
            return n / loop(minSeconds, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            executor.shutdown();
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** Median round trip of one {@code submit(identity, 1).join()}, in microseconds. */
    static double submitLatency(Supplier<Pool<Integer, Integer>> factory, int warmup, int calls) {
        try (Pool<Integer, Integer> pool = factory.get()) {
            for (int i = 0; i < warmup; i++) {
                pool.submit(Workloads::identity, 1).join();
            }
            List<Double> samples = new ArrayList<>(calls);
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                pool.submit(Workloads::identity, 1).join();
                samples.add((System.nanoTime() - start) / 1e3);
            }
            return Stats.of(samples).median();
        }
    }

    /** Build, first result, close, in milliseconds. */
    static double poolStart(Supplier<Pool<Integer, Integer>> factory) {
        long start = System.nanoTime();
        try (Pool<Integer, Integer> pool = factory.get()) {
            Objects.requireNonNull(pool.submit(Workloads::identity, 1).join());
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /** Start to exit of a child process running {@code command}, in milliseconds. */
    static double processRun(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        int exit = process.waitFor();
        double millis = (System.nanoTime() - start) / 1e6;
        if (exit != 0) {
            throw new IllegalStateException(command + " exited with " + exit);
        }
        return millis;
    }

    /**
     * Start to exit of {@code count} child processes running {@code command}, all started at once,
     * in milliseconds until the last one ends: what that many JVMs cost to start on this machine
     * when they compete for its cores, as a pool's workers do.
     */
    static double processRuns(int count, List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<Process> processes = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                processes.add(new ProcessBuilder(command)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start());
            }
            for (Process process : processes) {
                int exit = process.waitFor();
                if (exit != 0) {
                    throw new IllegalStateException(command + " exited with " + exit);
                }
            }
            return (System.nanoTime() - start) / 1e6;
        } finally {
            for (Process process : processes) {
                process.destroyForcibly();
            }
        }
    }

    /** The command of a bare {@code java Hello} with this JVM's binary and class path. */
    static List<String> javaHello() {
        return List.of(javaBinary(), "-cp", System.getProperty("java.class.path"), Hello.class.getName());
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
    }

    /**
     * Payload round trips through a {@code ProcessPool(2)} ({@link Pools#payloadPool}), in MB/s (the
     * payload crosses the pipes twice per round trip).
     */
    static double payloadBandwidth(PayloadKind kind, int bytes, double minSeconds) {
        Object payload = Workloads.payload(kind, bytes);
        Task<Object, Object> echo = PayloadBenchmark.echoFor(kind);
        try (Pool<Object, Object> pool = Pools.payloadPool(bytes)) {
            Object back = pool.submit(echo, payload).join();
            if (length(back) != length(payload)) {
                throw new IllegalStateException("payload came back with length " + length(back)
                        + ", sent " + length(payload));
            }
            loop(minSeconds / 2, () -> pool.submit(echo, payload).join());
            double seconds = loop(minSeconds, () -> pool.submit(echo, payload).join());
            return 2.0 * bytes / seconds / 1e6;
        }
    }

    private static int length(Object payload) {
        if (payload instanceof byte[]) {
            return ((byte[]) payload).length;
        }
        if (payload instanceof String) {
            return ((String) payload).length();
        }
        return ((List<?>) payload).size();
    }

    /** Speedup of 40 CPU-bound inputs on the pool over the same inputs run serially here. */
    static double cpuSpeedup(Supplier<Pool<Integer, Long>> factory, int iterations) {
        List<Integer> inputs = CpuBoundBenchmark.inputs(iterations);
        List<Long> serial = new ArrayList<>(inputs.size());
        double serialSeconds = runSerially(inputs, serial);
        try (Pool<Integer, Long> pool = factory.get()) {
            // Warm-up as the Python twin does: the same map once. The serial loop above ran warm
            // (calibration compiled it), so the workers' copy of it gets its JIT warm-up too.
            pool.map(Workloads::spin, inputs);
            long start = System.nanoTime();
            List<Long> parallel = pool.map(Workloads::spin, inputs);
            double poolSeconds = (System.nanoTime() - start) / 1e9;
            if (!parallel.equals(serial)) {
                throw new IllegalStateException("pool results differ from serial results");
            }
            return serialSeconds / poolSeconds;
        }
    }

    /**
     * Speedup of the 40 CPU-bound inputs split between two plain threads of this JVM (20 each) over
     * the same inputs run serially here: what two cores give with no pool, no process and no copy,
     * the limit of the pools' CPU-bound rows in the same run. The split runs once before it is timed,
     * as the pools' maps do.
     */
    static double cpuSpeedupOfTwoThreads(int iterations) throws InterruptedException {
        List<Integer> inputs = CpuBoundBenchmark.inputs(iterations);
        List<Long> serial = new ArrayList<>(inputs.size());
        double serialSeconds = runSerially(inputs, serial);
        runHalves(inputs);
        long start = System.nanoTime();
        long split = runHalves(inputs);
        double splitSeconds = (System.nanoTime() - start) / 1e9;
        if (split != serial.stream().mapToLong(Long::longValue).sum()) {
            throw new IllegalStateException("the threads' results differ from the serial results");
        }
        return serialSeconds / splitSeconds;
    }

    /** Runs {@code inputs} one after another in this thread into {@code results}; returns the seconds taken. */
    private static double runSerially(List<Integer> inputs, List<Long> results) {
        long start = System.nanoTime();
        for (Integer input : inputs) {
            results.add(Workloads.spin(input));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Runs each half of {@code inputs} on a thread of its own; returns the sum of the results. */
    private static long runHalves(List<Integer> inputs) throws InterruptedException {
        long[] sums = new long[2];
        int half = inputs.size() / 2;
        Thread other = new Thread(() -> {
            for (Integer input : inputs.subList(half, inputs.size())) {
                sums[1] += Workloads.spin(input);
            }
        });
        other.start();
        for (Integer input : inputs.subList(0, half)) {
            sums[0] += Workloads.spin(input);
        }
        other.join();
        return sums[0] + sums[1];
    }

    /** Mean RSS of the workers of a default {@code ProcessPool(size)} idle after a first task, MiB. */
    static double idleWorkerRss(int size) throws InterruptedException {
        return idleWorkerMemory(size, false);
    }

    /** Mean PSS of the workers of a default {@code ProcessPool(size)} idle after a first task, MiB. */
    static double idleWorkerPss(int size) throws InterruptedException {
        return idleWorkerMemory(size, true);
    }

    private static double idleWorkerMemory(int size, boolean pss) throws InterruptedException {
        try (Pool<Integer, Integer> pool = Pools.processPool(size, 1)) {
            pool.map(Workloads::identity, Workloads.range(4 * size));
            // A benchmark, not a test: let the workers go idle, as the Python twin does.
            Thread.sleep(500);
            List<WorkerStats> workers = pool.stats().workers();
            double sum = 0;
            for (WorkerStats worker : workers) {
                sum += pss ? Rss.pssOf(worker.pid()) : Rss.of(worker.pid());
            }
            return sum / workers.size() / 1048576;
        }
    }

    /** Runs {@code body} until {@code minSeconds} passed (at least once); seconds per run. */
    static double loop(double minSeconds, Runnable body) {
        long start = System.nanoTime();
        long minNanos = (long) (minSeconds * 1e9);
        int count = 0;
        long elapsed;
        do {
            body.run();
            count++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < minNanos);
        return elapsed / 1e9 / count;
    }

    private static void check(List<Integer> results, List<Integer> inputs) {
        if (!results.equals(inputs)) {
            throw new IllegalStateException("map returned wrong results");
        }
    }
}
