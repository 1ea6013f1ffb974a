package io.github.pool4j.process.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.ResultIterator;
import io.github.pool4j.TaskResult;
import io.github.pool4j.TaskTimeoutException;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.process.ProcessPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that stops responding without dying ({@code SIGSTOP}) never blocks a
 * call past its bound. The bounds, from {@code Supervisor}:
 * <ul>
 *   <li>{@code map}, {@code mapResults}, {@code imap} iteration, {@code submit(...).get()}: the stuck
 *       input fails with {@link TaskTimeoutException} within {@code taskTimeout + 3 s} (the parent's
 *       grace for a worker whose own watchdog did not report) plus the 200 ms monitor period;
 *   <li>{@code close()} with a stopped idle worker: 20 s (how long it waits for a worker to exit
 *       after the shutdown frame), then the worker is killed;
 *   <li>{@code terminate()}: kills at once; bounded by a 5 s wait per worker;
 *   <li>without {@code taskTimeout} there is no bound: a stopped worker holds its inputs until it
 *       runs again (then nothing is lost) or dies.
 * </ul>
 * The scenarios run at the same time, each with its own pool, so the set costs one close bound.
 * Every stopped worker is continued and killed in a {@code finally}.
 */
@Tag("reliability")
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class StoppedWorkerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration TIMEOUT_BOUND = TIMEOUT.plusSeconds(3).plusMillis(200);
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(20);
    private static final Duration TERMINATE_BOUND = Duration.ofSeconds(5);
    /**
     * Allowed on top of a bound for a loaded machine: 15 s, or three times the slowest pool set-up
     * of the run (start two workers, run four inputs: about a second on an idle machine) if a busy
     * machine made that longer. The overshoot is printed, not hidden.
     */
    private static final Duration MIN_SLACK = Duration.ofSeconds(15);
    private final AtomicLong slowestSetUpNanos = new AtomicLong();

    @TempDir
    Path dir;

    private final List<Long> frozen = new ArrayList<>();
    /** Every pool a scenario made: a scenario that fails or is cut short must not leave one running. */
    private final List<ProcessPool<?, ?>> pools = new CopyOnWriteArrayList<>();

    @AfterEach
    void wakeAndKillStopped() {
        // Pools first: once terminated they start no replacement for the workers killed below.
        for (ProcessPool<?, ?> pool : pools) {
            pool.terminate();
        }
        List<Long> pids = new ArrayList<>(frozen);
        pids.addAll(stopped(null));
        for (long pid : pids) {
            boolean worker = ProcessHandle.of(pid)
                    .map(p -> p.isAlive() && p.info().commandLine().orElse("").contains("WorkerMain"))
                    .orElse(false);
            if (worker) {
                Abuse.signal(pid, "CONT");
                Abuse.signal(pid, "KILL");
            }
        }
        Abuse.assertNothingLeft();
    }

    private record Measured(String call, Duration bound, long millis) {
        long pastBoundMillis() {
            return millis - bound.toMillis();
        }
    }

    private interface Scenario {
        Measured run() throws Exception;
    }

    private ProcessPool<String, String> pool(boolean withTimeout) {
        long begin = System.nanoTime();
        ProcessPool.Builder builder = ProcessPool.builder().size(2).chunkSize(1);
        if (withTimeout) {
            builder.taskTimeout(TIMEOUT);
        }
        ProcessPool<String, String> pool = builder.build();
        pools.add(pool);
        try {
            Abuse.await("two workers", 60, () -> pool.workerPids().size() == 2);
            pool.map(StopTasks::run, List.of("ok:1", "ok:2", "ok:3", "ok:4")); // both workers warm
            slowestSetUpNanos.accumulateAndGet(System.nanoTime() - begin, Math::max);
        } catch (RuntimeException | AssertionError e) {
            pool.terminate(); // a failed set-up must not leave workers to fail every later test
            throw e;
        }
        return pool;
    }

    /** An input that stops its worker, announcing the pid in a directory of its scenario's own. */
    private String stop(String scenario) {
        Path own = dir.resolve(scenario);
        try {
            Files.createDirectories(own);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return "stop:" + own;
    }

    /**
     * Asserts that {@code result} is {@code value} or failed because its result died with its
     * worker: the worker sends quick results together, and one that stops itself right after an
     * input may still hold that input's result when it is killed (the input is not run twice).
     */
    private static void assertDoneOrResultLost(String value, TaskResult<String> result) {
        if (result.isSuccess()) {
            assertEquals(value, result.value());
        } else {
            assertResultLost(assertInstanceOf(WorkerCrashedException.class, result.failure()));
        }
    }

    private static void assertResultLost(WorkerCrashedException e) {
        assertTrue(e.getMessage().contains("ran, but its result was lost"), e.getMessage());
    }

    private static long since(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private Measured mapWithTimeout() {
        try (ProcessPool<String, String> pool = pool(true)) {
            long start = System.nanoTime();
            List<TaskResult<String>> results = pool.mapResults(StopTasks::run, List.of("ok:a", stop("map"), "ok:b", "ok:c"));
            long millis = since(start);
            assertDoneOrResultLost("done a", results.get(0));
            assertInstanceOf(TaskTimeoutException.class, results.get(1).failure());
            assertEquals(1, results.get(1).failure().inputIndex());
            assertEquals("done c", results.get(3).value());
            return new Measured("mapResults (taskTimeout 1 s)", TIMEOUT_BOUND, millis);
        }
    }

    private Measured imapNext() {
        try (ProcessPool<String, String> pool = pool(true);
                ResultIterator<String> it = pool.imap(StopTasks::run, List.of("ok:a", stop("imap"), "ok:b"))) {
            try {
                assertEquals("done a", it.next());
            } catch (WorkerCrashedException e) {
                assertResultLost(e);
            }
            long start = System.nanoTime();
            TaskTimeoutException e = assertThrows(TaskTimeoutException.class, it::next);
            long millis = since(start);
            assertEquals(1, e.inputIndex());
            assertEquals("done b", it.next());
            return new Measured("imap next() (taskTimeout 1 s)", TIMEOUT_BOUND, millis);
        }
    }

    private Measured futureGet() throws InterruptedException {
        try (ProcessPool<String, String> pool = pool(true)) {
            long start = System.nanoTime();
            CompletableFuture<String> future = pool.submit(StopTasks::run, stop("future"));
            ExecutionException e = assertThrows(ExecutionException.class, future::get);
            long millis = since(start);
            assertInstanceOf(TaskTimeoutException.class, e.getCause());
            return new Measured("submit(...).get() (taskTimeout 1 s)", TIMEOUT_BOUND, millis);
        }
    }

    private Measured closeWithStuckTask() {
        ProcessPool<String, String> pool = pool(true);
        CompletableFuture<List<String>> call = pool.mapAsync(StopTasks::run, List.of(stop("closeBusy"), "ok:x"));
        Abuse.await("a worker to stop itself", 60, () -> stopped("closeBusy").size() == 1);
        long start = System.nanoTime();
        pool.close(); // waits for accepted work: the stuck input must time out first
        long millis = since(start);
        assertTrue(call.isCompletedExceptionally());
        return new Measured("close() with a stopped busy worker (taskTimeout 1 s)", TIMEOUT_BOUND, millis);
    }

    private Measured closeWithIdleStoppedWorker() {
        ProcessPool<String, String> pool = pool(false);
        long pid = pool.workerPids().get(0);
        synchronized (frozen) {
            frozen.add(pid);
        }
        assertTrue(Abuse.signal(pid, "STOP"));
        long start = System.nanoTime();
        pool.close();
        long millis = since(start);
        assertEquals(List.of(), pool.workerPids());
        return new Measured("close() with a stopped idle worker", CLOSE_BOUND, millis);
    }

    private Measured terminateWithStuckTask() {
        ProcessPool<String, String> pool = pool(false);
        CompletableFuture<List<String>> call = pool.mapAsync(StopTasks::run, List.of(stop("terminate"), "ok:y"));
        Abuse.await("a worker to stop itself", 60, () -> stopped("terminate").size() == 1);
        long start = System.nanoTime();
        pool.terminate();
        long millis = since(start);
        assertTrue(call.isCompletedExceptionally());
        return new Measured("terminate() with a stopped busy worker (no taskTimeout)", TERMINATE_BOUND, millis);
    }

    /**
     * The pids of the workers that stopped themselves in {@code scenario}, or in any if it is null.
     * Lists names only: a file walk reads each entry's attributes, and a worker's temporary pid
     * file can be renamed away between the listing and that read.
     */
    private List<Long> stopped(String scenario) {
        try {
            List<Path> dirs = new ArrayList<>();
            if (scenario != null) {
                dirs.add(dir.resolve(scenario));
            } else {
                dirs.add(dir);
                try (Stream<Path> entries = Files.list(dir)) {
                    entries.filter(Files::isDirectory).forEach(dirs::add); // the scenarios' directories stay
                }
            }
            List<Long> pids = new ArrayList<>();
            for (Path where : dirs) {
                try (Stream<Path> files = Files.list(where)) {
                    files.map(f -> f.getFileName().toString())
                            .filter(name -> name.startsWith("stopped-"))
                            .forEach(name -> pids.add(Long.parseLong(name.substring("stopped-".length()))));
                }
            }
            return pids;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyBlockingCall_workerStopped_returnsWithinItsBound() throws Exception {
        List<Scenario> scenarios = List.of(this::mapWithTimeout, this::imapNext, this::futureGet,
                this::closeWithStuckTask, this::closeWithIdleStoppedWorker);
        ExecutorService callers = Executors.newFixedThreadPool(scenarios.size());
        List<Measured> measured = new ArrayList<>();
        try {
            List<Future<Measured>> running = new ArrayList<>();
            for (Scenario s : scenarios) {
                running.add(callers.submit(s::run));
            }
            for (Future<Measured> f : running) {
                measured.add(f.get(300, TimeUnit.SECONDS)); // only reached if something hangs
            }
            // Last: terminate() runs alone so its measure is not the others' start-up load.
            measured.add(terminateWithStuckTask());
        } finally {
            callers.shutdownNow();
            callers.awaitTermination(30, TimeUnit.SECONDS);
        }
        long worst = Long.MIN_VALUE;
        for (Measured m : measured) {
            System.out.printf("[reliability] time %-55s bound %6d ms took %6d ms past bound %6d ms%n",
                    m.call(), m.bound().toMillis(), m.millis(), m.pastBoundMillis());
            worst = Math.max(worst, m.pastBoundMillis());
        }
        Abuse.figure("time", "max-ms-past-bound", worst);
        Duration slowestSetUp = Duration.ofNanos(slowestSetUpNanos.get());
        Duration slack = MIN_SLACK.compareTo(slowestSetUp.multipliedBy(3)) >= 0 ? MIN_SLACK : slowestSetUp.multipliedBy(3);
        Abuse.figure("time", "slowest-set-up-ms", slowestSetUp.toMillis());
        for (Measured m : measured) {
            assertTrue(m.millis() <= m.bound().plus(slack).toMillis(),
                    m + " took far past its bound (slack " + slack.toMillis() + " ms; slowest set-up "
                            + slowestSetUp.toMillis() + " ms)");
        }
    }

    @Test
    void map_workerStoppedWithoutTimeout_resumesAndLosesNothing() throws Exception {
        ProcessPool<String, String> pool = pool(false);
        try {
            CompletableFuture<List<String>> call = pool.mapAsync(StopTasks::run, List.of("ok:a", stop("resume"), "ok:b"));
            Abuse.await("a worker to stop itself", 60, () -> stopped("resume").size() == 1);
            long pid = stopped("resume").get(0);
            // The task announces its pid before its SIGSTOP lands: continue it only once it is
            // really stopped, or the SIGSTOP would come after the SIGCONT and freeze it for good.
            Abuse.await("the worker to be stopped", 60, () -> isStopped(pid));
            assertTrue(!call.isDone(), "without taskTimeout, the stopped worker's input waits");
            assertTrue(Abuse.signal(pid, "CONT"));
            assertEquals(List.of("done a", "resumed", "done b"), call.get(60, TimeUnit.SECONDS));
        } finally {
            pool.terminate();
        }
    }

    /** Tells whether {@code pid} is in state T (stopped), from {@code /proc/<pid>/stat}. */
    private static boolean isStopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
        } catch (IOException e) {
            return false;
        }
    }
}
