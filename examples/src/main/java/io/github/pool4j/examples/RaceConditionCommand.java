package io.github.pool4j.examples;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolListener;
import io.github.pool4j.Task;
import io.github.pool4j.process.ProcessPool;
import io.github.pool4j.thread.ThreadPool;
import java.io.PrintStream;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The post's "Bugs" section made visible: workers add to one counter. Threads share the
 * counter, so an unsynchronised {@code count++} loses updates; an atomic counter does not; worker
 * processes each own their memory, so there is nothing shared to corrupt.
 */
@Command(
        name = "race-condition",
        mixinStandardHelpOptions = true,
        description = {
                "Lost updates with threads; none with atomics or processes",
                "Workers add to one counter: threads share it, processes each own theirs."})
final class RaceConditionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4", description = "Threads or processes, 2 to 64 (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--increments", paramLabel = "N", defaultValue = "10000",
            description = "Increments per worker and trial, 1 to 100000000 (default: ${DEFAULT-VALUE}).")
    private int increments;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "10", description = "Trials per counter, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    private int trials;

    @Option(names = "--no-yield", negatable = false,
            description = "Don't yield between an increment's read and write: the race remains, but shows only"
                    + " when threads truly run at once (many increments, idle cores).")
    private boolean noYield;

    @Override
    public Integer call() throws InterruptedException {
        Args.inRange(spec, "--workers", workers, 2, 64);
        Args.inRange(spec, "--increments", increments, 1, 100_000_000);
        Args.inRange(spec, "--trials", trials, 1, 10_000);
        PrintStream out = System.out;
        long expected = (long) workers * increments;
        boolean yield = !noYield;
        out.printf(Locale.ROOT, "%d workers add %d each to one counter: expected %d per trial, %d trials%s%n%n",
                workers, increments, expected, trials, yield ? ", yielding inside each increment" : "");

        Outcome unsafe;
        Outcome atomic;
        try (Pool<Integer, Long> threads = ThreadPool.builder().size(workers).listener(PoolListener.NONE).build()) {
            UnsafeCounter shared = new UnsafeCounter();
            unsafe = trials(expected, () -> {
                shared.value = 0;
                runTogether(threads, n -> {
                    for (int i = 0; i < n; i++) {
                        shared.increment(yield);
                    }
                    return null;
                });
                return shared.value;
            });
            AtomicLong atomicCounter = new AtomicLong();
            atomic = trials(expected, () -> {
                atomicCounter.set(0);
                runTogether(threads, n -> {
                    for (int i = 0; i < n; i++) {
                        atomicCounter.incrementAndGet();
                        if (yield) {
                            Thread.yield();
                        }
                    }
                    return null;
                });
                return atomicCounter.get();
            });
        }
        Outcome isolated;
        try (Pool<Integer, Long> processes = ProcessPool.builder().size(workers).listener(PoolListener.NONE).build()) {
            List<Integer> inputs = Collections.nCopies(workers, increments);
            isolated = trials(expected, () -> processes.map(n -> WorkerCounter.addInThisProcess(n, yield), inputs)
                    .stream().mapToLong(Long::longValue).sum());
        }

        print(out, "threads,   unsynchronised long (count++)", unsafe);
        print(out, "threads,   AtomicLong.incrementAndGet()", atomic);
        print(out, "processes, the same count++, one per JVM", isolated);
        out.printf(Locale.ROOT, "%nthe parent's own counter after the processes ran: %d (each process owns its memory)%n",
                WorkerCounter.count);
        out.println(unsafe.lossyTrials() > 0
                ? "threads share one counter: count++ is a read then a write, and a thread writing back a stale"
                        + " value erases the others' increments"
                : "no update was lost this time: the threads never interleaved; try more --increments or --trials");
        return 0;
    }

    private void runTogether(Pool<Integer, Long> threads, Task<Integer, Long> add) {
        // Start every thread's loop at once so the loops overlap even on a busy machine.
        CountDownLatch start = new CountDownLatch(workers);
        threads.map(n -> {
            start.countDown();
            start.await(30, TimeUnit.SECONDS);
            return add.apply(n);
        }, Collections.nCopies(workers, increments));
    }

    private Outcome trials(long expected, LongSupplier trial) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int lossy = 0;
        for (int i = 0; i < trials; i++) {
            long actual = trial.getAsLong();
            min = Math.min(min, actual);
            max = Math.max(max, actual);
            if (actual != expected) {
                lossy++;
            }
        }
        return new Outcome(expected, min, max, lossy, trials);
    }

    private static void print(PrintStream out, String counter, Outcome outcome) {
        out.printf(Locale.ROOT, "%-42s expected %d, actual %s -> lost updates in %d of %d trials%n",
                counter + ":", outcome.expected(), outcome.actual(), outcome.lossyTrials(), outcome.trials());
    }

    /** A counter whose increment is not atomic. */
    static final class UnsafeCounter {
        // volatile makes each increment a real read and a real write of memory, as Python's
        // `counter += 1` is (LOAD, ADD, STORE); it does not make them one step. Without it the
        // JIT may fold a loop into one addition and the race would hide behind timing.
        volatile long value;

        /**
         * Adds one, as {@code value++} does: read, then write. With {@code yield} the thread
         * offers the CPU between the two, where Python's interpreter may switch threads between
         * bytecodes; without it the scheduler still may, only rarely.
         */
        void increment(boolean yield) {
            long seen = value;
            if (yield) {
                Thread.yield();
            }
            value = seen + 1;
        }
    }

    /** The counter of one worker JVM; the parent JVM has its own copy, which stays 0. */
    static final class WorkerCounter {
        static volatile long count;

        private WorkerCounter() {}

        /**
         * Adds {@code increments} to this process's counter with the same unsafe read-then-write
         * as {@link UnsafeCounter}, and returns how much it grew. A worker runs one call at a
         * time, and no other process can touch its memory.
         */
        static Long addInThisProcess(Integer increments, boolean yield) {
            long before = count;
            for (int i = 0; i < increments; i++) {
                long seen = count;
                if (yield) {
                    Thread.yield();
                }
                count = seen + 1;
            }
            return count - before;
        }
    }

    /**
     * The actual counts of all trials of one counter.
     *
     * @param lossyTrials trials whose count was not the expected one
     */
    record Outcome(long expected, long min, long max, int lossyTrials, int trials) {
        String actual() {
            return min == max ? Long.toString(min) : min + ".." + max;
        }
    }
}
