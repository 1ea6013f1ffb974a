package io.github.pool4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.PoolClosedException;
import io.github.pool4j.PoolStats;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskTimeoutException;
import io.github.pool4j.WorkerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ThreadPool behaviour beyond the contract: threads, borrowed executors, timeouts, statistics. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadPoolTest {

    private final List<Pool<?, ?>> pools = new CopyOnWriteArrayList<>();
    private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (Pool<?, ?> pool : pools) {
            pool.terminate();
        }
        for (ExecutorService executor : executors) {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
        }
        await(() -> poolThreads().isEmpty(), () -> "pool threads left: " + poolThreads());
    }

    private <P extends Pool<?, ?>> P track(P pool) {
        pools.add(pool);
        return pool;
    }

    private <E extends ExecutorService> E trackExecutor(E executor) {
        executors.add(executor);
        return executor;
    }

    @Test
    void factories_inferInputAndResultTypesFromTheAssignment() {
        Pool<Integer, Integer> p = ThreadPool.create(3);
        track(p);
        Pool<Integer, Integer> q = ThreadPool.builder().size(3).taskTimeout(Duration.ofSeconds(5)).build();
        track(q);
        assertEquals(3, p.size());
        assertEquals(3, q.size());
        assertEquals(List.of(1, 4, 9), p.map(x -> x * x, List.of(1, 2, 3)));
        assertEquals(List.of(2, 3, 4), q.map(x -> x + 1, List.of(1, 2, 3)));
    }

    @Test
    void create_ownsDaemonThreadsNamedPool4jThreadN() {
        Pool<Integer, Object> pool = track(ThreadPool.create(3));
        List<String> names = pool.stats().workers().stream().map(WorkerStats::name).sorted().collect(Collectors.toList());
        assertEquals(List.of("pool4j-thread-1", "pool4j-thread-2", "pool4j-thread-3"), names);

        Set<Object> ranOn = new HashSet<>(pool.map(x -> Thread.currentThread().getName(), range(300)));
        assertTrue(names.containsAll(ranOn), "tasks ran on " + ranOn);
        List<Object> daemon = pool.map(x -> Thread.currentThread().isDaemon(), List.of(1, 2, 3));
        assertEquals(List.of(true, true, true), daemon, "pool threads never keep the JVM alive");
    }

    @Test
    void builder_threadNamePrefix_namesTheThreads() {
        Pool<Integer, String> pool = track(ThreadPool.builder().size(2).threadNamePrefix("crawler").build());
        assertEquals(Set.of("crawler-1", "crawler-2"),
                pool.stats().workers().stream().map(WorkerStats::name).collect(Collectors.toSet()));
        pool.close();
        await(() -> threadsNamed("crawler-").isEmpty(), () -> "threads left: " + threadsNamed("crawler-"));
    }

    @Test
    void builder_badArguments_failWithTheBoundInTheMessage() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> ThreadPool.create(0));
        assertEquals("size must be >= 1, was 0", size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ThreadPool.builder().threadNamePrefix(" "));
        assertThrows(NullPointerException.class, () -> ThreadPool.builder().threadNamePrefix(null));
        assertThrows(IllegalArgumentException.class, () -> ThreadPool.builder().chunkSize(0));
        assertThrows(IllegalArgumentException.class, () -> ThreadPool.builder().taskTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> ThreadPool.wrap(null));
        assertThrows(IllegalArgumentException.class, () -> ThreadPool.wrap(Executors.newSingleThreadExecutor(), 0));
    }

    @Test
    void close_ownedPool_stopsItsThreads() {
        Pool<Integer, Integer> pool = track(ThreadPool.create(2));
        pool.map(x -> x, range(10));
        pool.close();
        assertTrue(threadsNamed("pool4j-thread-").isEmpty(), "close() returns once the threads ended: " + threadsNamed("pool4j-thread-"));
        assertTrue(pool.stats().workers().stream().noneMatch(WorkerStats::alive));
    }

    @Test
    void stats_workers_onePerOwnedThreadWithItsTaskCount() {
        Pool<Integer, Integer> pool = track(ThreadPool.builder().size(2).chunkSize(1).build());
        pool.map(x -> x, range(100));
        PoolStats stats = pool.stats();
        assertEquals(2, stats.workers().size());
        long pid = ProcessHandle.current().pid();
        for (WorkerStats worker : stats.workers()) {
            assertEquals(pid, worker.pid());
            assertEquals(-1, worker.rssBytes());
            assertTrue(worker.alive());
        }
        await(() -> pool.stats().workers().stream().mapToLong(WorkerStats::tasksDone).sum() == 100,
                () -> "tasks done per worker: " + pool.stats().workers());
    }

    @Test
    void wrap_closeAndTerminate_neverShutDownTheBorrowedExecutor() throws Exception {
        ExecutorService executor = trackExecutor(Executors.newFixedThreadPool(2));
        Pool<Integer, Integer> pool = track(ThreadPool.wrap(executor));
        assertEquals(List.of(2, 4), pool.map(x -> 2 * x, List.of(1, 2)));
        pool.close();
        assertFalse(executor.isShutdown());
        assertEquals(7, executor.submit(() -> 7).get(30, TimeUnit.SECONDS));

        Pool<Integer, Integer> other = track(ThreadPool.wrap(executor));
        other.map(x -> x, List.of(1));
        other.terminate();
        assertFalse(executor.isShutdown());
        assertEquals(8, executor.submit(() -> 8).get(30, TimeUnit.SECONDS));
    }

    @Test
    void wrap_terminate_interruptsOnlyThePoolsOwnTasks() throws Exception {
        ExecutorService executor = trackExecutor(Executors.newFixedThreadPool(2));
        CountDownLatch ownerRunning = new CountDownLatch(1);
        CountDownLatch releaseOwner = new CountDownLatch(1);
        Future<Boolean> ownerTask = executor.submit(() -> {
            ownerRunning.countDown();
            releaseOwner.await(30, TimeUnit.SECONDS);
            return Thread.currentThread().isInterrupted();
        });
        assertTrue(ownerRunning.await(30, TimeUnit.SECONDS));

        Pool<Integer, Integer> pool = track(ThreadPool.wrap(executor, 2));
        CountDownLatch poolTaskRunning = new CountDownLatch(1);
        AtomicBoolean poolTaskInterrupted = new AtomicBoolean();
        CountDownLatch poolTaskEnded = new CountDownLatch(1);
        Future<Integer> pending = pool.submit(x -> {
            poolTaskRunning.countDown();
            try {
                new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                poolTaskInterrupted.set(true);
            } finally {
                poolTaskEnded.countDown();
            }
            return x;
        }, 1);
        assertTrue(poolTaskRunning.await(30, TimeUnit.SECONDS));

        pool.terminate();
        assertTrue(poolTaskEnded.await(30, TimeUnit.SECONDS), "the pool's task was interrupted");
        assertTrue(poolTaskInterrupted.get());
        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(30, TimeUnit.SECONDS));
        assertInstanceOf(PoolClosedException.class, e.getCause());

        releaseOwner.countDown();
        assertFalse(ownerTask.get(30, TimeUnit.SECONDS), "the owner's task was not interrupted");
        assertFalse(executor.isShutdown());
    }

    @Test
    void wrap_size_isTheExecutorsParallelismWhenKnown() {
        ThreadPoolExecutor fixed = trackExecutor((ThreadPoolExecutor) Executors.newFixedThreadPool(5));
        assertEquals(5, track(ThreadPool.wrap(fixed)).size());
        ForkJoinPool forkJoin = trackExecutor(new ForkJoinPool(3));
        assertEquals(3, track(ThreadPool.wrap(forkJoin)).size());
        ExecutorService cached = trackExecutor(Executors.newCachedThreadPool());
        assertEquals(Runtime.getRuntime().availableProcessors(), track(ThreadPool.wrap(cached)).size());
        assertEquals(7, track(ThreadPool.wrap(cached, 7)).size());
    }

    @Test
    void wrap_virtualThreadExecutor_runsTasksOnVirtualThreads() throws Exception {
        assumeTrue(VirtualThreads.available(), "virtual threads need JDK 21+");
        ExecutorService executor = trackExecutor(VirtualThreads.newExecutor());
        Pool<Integer, Boolean> pool = track(ThreadPool.wrap(executor, 4));
        java.lang.reflect.Method isVirtual = Thread.class.getMethod("isVirtual");
        List<Boolean> virtual = pool.map(x -> (Boolean) isVirtual.invoke(Thread.currentThread()), range(20));
        assertEquals(20, virtual.size());
        assertTrue(virtual.stream().allMatch(v -> v), "ran on virtual threads: " + virtual);
        pool.close();
        assertFalse(executor.isShutdown());
    }

    @Test
    void taskTimeout_interruptsTheTaskThreadAndFailsItsInput() throws Exception {
        Pool<Integer, Object> pool = track(ThreadPool.builder().size(2).taskTimeout(Duration.ofMillis(500)).build());
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch ended = new CountDownLatch(1);
        TaskTimeoutException e = assertThrows(TaskTimeoutException.class, () -> pool.map(x -> {
            try {
                new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                interrupted.set(true);
            } finally {
                ended.countDown();
            }
            return x;
        }, List.of(1)));
        assertEquals(0, e.inputIndex());
        assertEquals(Duration.ofMillis(500), e.timeout());
        assertFalse(e.taskStackTrace().isEmpty(), "the stack shows where the task was stuck");
        assertTrue(e.taskStackTrace().stream().anyMatch(f -> f.getClassName().contains("CountDownLatch")), e.taskStackTrace().toString());
        assertTrue(ended.await(30, TimeUnit.SECONDS));
        assertTrue(interrupted.get(), "the task's thread was interrupted");
        // The watchdog's interrupt does not leak into the next input on that thread.
        assertEquals(List.of(false, false, false, false),
                pool.map(x -> Thread.currentThread().isInterrupted(), List.of(1, 2, 3, 4)));
    }

    @Test
    void taskTimeout_taskIgnoringInterrupts_failsItsInputButKeepsItsThread() throws Exception {
        Pool<Integer, Integer> pool = track(ThreadPool.builder().size(1).taskTimeout(Duration.ofMillis(300)).build());
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch ended = new CountDownLatch(1);
        assertThrows(TaskTimeoutException.class, () -> pool.map(x -> {
            while (!release.get()) {
                Thread.onSpinWait(); // ignores interrupts: a thread cannot be killed
            }
            ended.countDown();
            return x;
        }, List.of(1)));
        assertEquals(1, ended.getCount(), "the task still runs after its input failed");
        release.set(true);
        assertTrue(ended.await(30, TimeUnit.SECONDS));
        assertEquals(List.of(5), pool.map(x -> x, List.of(5)), "its thread is free again");
    }

    @Test
    void terminate_duringConcurrentMaps_everyCallEndsWithResultsOrPoolClosed() throws Exception {
        for (int round = 0; round < 20; round++) {
            Pool<Integer, Integer> pool = track(ThreadPool.builder().size(2).chunkSize(1).build());
            ExecutorService callers = trackExecutor(Executors.newFixedThreadPool(4));
            CountDownLatch eachMappedOnce = new CountDownLatch(4);
            List<Future<String>> outcomes = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                outcomes.add(callers.submit(() -> {
                    List<Integer> inputs = range(500);
                    boolean first = true;
                    while (true) {
                        try {
                            List<Integer> results = pool.map(x -> x + 1, inputs);
                            for (int i = 0; i < results.size(); i++) {
                                if (results.get(i) != i + 1) {
                                    return "wrong result #" + i + ": " + results.get(i);
                                }
                            }
                        } catch (PoolClosedException e) {
                            return "closed";
                        }
                        if (first) {
                            first = false;
                            eachMappedOnce.countDown();
                        }
                    }
                }));
            }
            assertTrue(eachMappedOnce.await(30, TimeUnit.SECONDS));
            pool.terminate();
            for (Future<String> outcome : outcomes) {
                assertEquals("closed", outcome.get(30, TimeUnit.SECONDS), "round " + round);
            }
            await(() -> threadsNamed("pool4j-thread-").isEmpty(), () -> "threads left: " + threadsNamed("pool4j-thread-"));
        }
    }

    @Test
    void close_duringConcurrentMaps_acceptedCallsCompleteAndLaterOnesAreRefused() throws Exception {
        Pool<Integer, Integer> pool = track(ThreadPool.builder().size(2).chunkSize(3).build());
        ExecutorService callers = trackExecutor(Executors.newFixedThreadPool(4));
        CountDownLatch eachMappedOnce = new CountDownLatch(4);
        List<Future<Integer>> completedCalls = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            completedCalls.add(callers.submit(() -> {
                int completed = 0;
                List<Integer> inputs = range(300);
                while (true) {
                    try {
                        assertEquals(inputs, pool.map(x -> x, inputs));
                        completed++;
                    } catch (PoolClosedException e) {
                        return completed;
                    }
                    if (completed == 1) {
                        eachMappedOnce.countDown();
                    }
                }
            }));
        }
        assertTrue(eachMappedOnce.await(30, TimeUnit.SECONDS));
        pool.close();
        for (Future<Integer> calls : completedCalls) {
            assertTrue(calls.get(30, TimeUnit.SECONDS) >= 1);
        }
        PoolStats stats = pool.stats();
        assertEquals(0, stats.failed(), "graceful: no accepted input was discarded");
        assertEquals(0, stats.cancelled(), "graceful: no accepted input was discarded");
        assertEquals(stats.submitted(), stats.completed());
    }

    @Test
    void map_failFastRepeated_reportsTheFirstFailureAndLeavesNothingPending() {
        Pool<Integer, Integer> pool = track(ThreadPool.builder().size(4).chunkSize(1).build());
        for (int round = 0; round < 200; round++) {
            int bad = round % 50;
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.map(x -> {
                if (x >= bad && x % 7 == bad % 7) {
                    throw new IllegalArgumentException("bad " + x);
                }
                return x;
            }, range(50)));
            assertEquals(bad, e.inputIndex(), "round " + round);
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
        }
        await(() -> pool.stats().pending() == 0, () -> "pending: " + pool.stats());
    }

    @Test
    void imap_closedMidway_cancelsTheRestAndTheWindowStaysBounded() {
        Pool<Integer, Integer> pool = track(ThreadPool.create(2));
        // Chunks of one input: the default chunk size grows with fast tasks, and the window with it.
        try (var it = pool.imap(x -> x * 2, range(10_000), CallOptions.chunkSize(1))) {
            for (int i = 0; i < 50; i++) {
                assertEquals(2 * i, it.next());
            }
        }
        pool.close();
        PoolStats stats = pool.stats();
        assertEquals(0, stats.pending(), stats.toString());
        assertTrue(stats.submitted() < 100, "only the window was read ahead: " + stats);
    }

    @Test
    void imap_abandonedWithoutClose_closeStillReturns() {
        Pool<Integer, Integer> pool = track(ThreadPool.create(2));
        var it = pool.imapUnordered(x -> x, range(10_000));
        assertTrue(it.hasNext());
        it.next();
        pool.close();
        assertEquals(0, pool.stats().pending());
    }

    @Test
    void terminate_whileImapConsumerWaits_consumerGetsPoolClosedException() throws Exception {
        Pool<Integer, Integer> pool = track(ThreadPool.create(2));
        CountDownLatch running = new CountDownLatch(1);
        var it = pool.imap(x -> {
            running.countDown();
            new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            return x;
        }, range(10));
        ExecutorService consumer = trackExecutor(Executors.newSingleThreadExecutor());
        Future<Throwable> thrown = consumer.submit(() -> {
            try {
                it.next();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertTrue(running.await(30, TimeUnit.SECONDS));
        pool.terminate();
        assertInstanceOf(PoolClosedException.class, thrown.get(30, TimeUnit.SECONDS));
    }

    @Test
    void imapUnordered_concurrentConsumersWithFailures_everyInputAccountedFor() throws Exception {
        Pool<Integer, Integer> pool = track(ThreadPool.builder().size(3).chunkSize(2).build());
        ExecutorService consumers = trackExecutor(Executors.newFixedThreadPool(4));
        List<Future<int[]>> counts = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            counts.add(consumers.submit(() -> {
                int ok = 0;
                int failed = 0;
                try (var it = pool.imapUnordered(x -> {
                    if (x % 10 == 0) {
                        throw new IllegalStateException("bad " + x);
                    }
                    return x;
                }, range(2_000))) {
                    while (it.hasNext()) {
                        try {
                            it.next();
                            ok++;
                        } catch (TaskFailedException e) {
                            failed++;
                        }
                    }
                }
                return new int[] {ok, failed};
            }));
        }
        for (Future<int[]> count : counts) {
            int[] c = count.get(60, TimeUnit.SECONDS);
            assertEquals(1_800, c[0]);
            assertEquals(200, c[1]);
        }
        // An iterator hands an outcome over before the reporting thread counts it: let the
        // counting of the last few finish.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.stats().pending() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        PoolStats stats = pool.stats();
        assertEquals(8_000, stats.submitted());
        assertEquals(7_200, stats.completed());
        assertEquals(800, stats.failed());
    }

    /** Regression: close() returned once the inputs were done but before their future completed. */
    @Test
    void close_returnsOnlyAfterTheFuturesOfAcceptedWorkCompleted() {
        ExecutorService executor = trackExecutor(Executors.newFixedThreadPool(2));
        for (int round = 0; round < 2_000; round++) {
            Pool<Integer, Integer> pool = ThreadPool.wrap(executor, 2);
            var one = pool.submit(x -> x, round);
            var many = pool.mapAsync(x -> x, List.of(1, 2, 3));
            pool.close();
            assertTrue(one.isDone() && many.isDone(), "round " + round);
        }
    }

    @Test
    void map_taskLeavesItsThreadInterrupted_laterChunksRunNormally() {
        Pool<Integer, Integer> pool = track(ThreadPool.builder().size(1).chunkSize(1).build());
        List<Integer> results = pool.map(x -> {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("a stray interrupt reached input " + x);
            }
            if (x == 0) {
                Thread.currentThread().interrupt();
            }
            return x;
        }, range(100));
        assertEquals(range(100), results);
    }

    @Test
    void map_taskThrowsVirtualMachineError_threadIsReplacedAndPoolKeepsWorking() {
        Pool<Integer, Integer> pool = track(ThreadPool.builder().size(1).chunkSize(1).build());
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.map(x -> {
            if (x == 0) {
                throw new OutOfMemoryError("simulated");
            }
            return x;
        }, range(10)));
        assertInstanceOf(OutOfMemoryError.class, e.getCause());
        assertEquals(range(1_000), pool.map(x -> x, range(1_000)), "the only drainer slot was given back");
        await(() -> pool.stats().workers().size() == 1 && pool.stats().workers().get(0).alive(),
                () -> "one live worker listed: " + pool.stats().workers());
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    /** Live pool4j threads but the shared daemons that belong to no pool (callbacks, cleaner). */
    private static List<String> poolThreads() {
        List<String> names = threadsNamed("pool4j");
        names.removeIf(name -> name.startsWith("pool4j-callback-") || name.equals("pool4j-cleaner"));
        return names;
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(prefix))
                .collect(Collectors.toList());
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> message) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
