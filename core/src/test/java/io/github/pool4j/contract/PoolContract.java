package io.github.pool4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.PoolClosedException;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.PoolStats;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.Task;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskResult;
import io.github.pool4j.TaskTimeoutException;
import io.github.pool4j.contract.ContractTasks.Gate;
import io.github.pool4j.contract.ContractTasks.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link Pool} implementation must show, as one abstract JUnit 5 class: a
 * subclass supplies {@link #newPool(PoolSpec)} and runs every test unchanged.
 *
 * <pre>{@code
 * class ThreadPoolContractTest extends PoolContract {
 *     protected <T, R> Pool<T, R> newPool(PoolSpec spec) {
 *         return spec.applyTo(ThreadPool.builder()).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Tasks come from {@link ContractTasks}, so a process pool can ship them; tests coordinate with
 * running tasks through files only. After every test each pool the test made is terminated and
 * {@link #assertNoLeftovers()} must hold.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class PoolContract {

    /** Bound for waits that only matter when something is broken. */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<Pool<?, ?>> pools = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    /**
     * Creates a pool with the options of {@code spec}.
     *
     * @param spec the options
     * @param <T> the input type
     * @param <R> the result type
     * @return a new pool, owned by the test
     */
    protected abstract <T, R> Pool<T, R> newPool(PoolSpec spec);

    /**
     * Tells whether the pool runs tasks in parallel with its caller; {@code false} skips the tests
     * that need a task to block while the caller goes on.
     *
     * @return {@code true} by default
     */
    protected boolean isConcurrent() {
        return true;
    }

    /**
     * Tells whether the pool owns its workers: it starts as many as the spec's size, and it can kill
     * a task that ignores interrupts. A pool on workers it borrows (a cluster's members) answers
     * {@code false}, which skips the tests that need that.
     *
     * @return {@code true} by default
     */
    protected boolean ownsWorkers() {
        return true;
    }

    /**
     * Checks that nothing of the terminated pools is left running; by default, that no thread
     * whose name starts with {@code pool4j} is alive (waiting up to 10 s for them to end).
     * Subclasses add their own checks (worker processes, borrowed executors).
     */
    protected void assertNoLeftovers() {
        awaitCondition(Duration.ofSeconds(10), () -> poolThreads().isEmpty(),
                () -> "pool threads still alive: " + poolThreads());
    }

    /** Terminates every pool the test created, then checks nothing is left. */
    @AfterEach
    void terminatePoolsAndCheckLeftovers() {
        for (Pool<?, ?> pool : pools) {
            pool.terminate();
        }
        assertNoLeftovers();
    }

    /**
     * Creates a pool with {@code spec} and remembers it for termination after the test.
     *
     * @param spec the options
     * @param <T> the input type
     * @param <R> the result type
     * @return the pool
     */
    protected final <T, R> Pool<T, R> open(PoolSpec spec) {
        Pool<T, R> pool = newPool(spec);
        pools.add(pool);
        return pool;
    }

    private <T, R> Pool<T, R> open() {
        return open(PoolSpec.defaults());
    }

    // ---- results and ordering ----------------------------------------------------------

    @Test
    void map_tenThousandInputs_returnsResultsInInputOrder() {
        Pool<Integer, Integer> pool = open();
        List<Integer> results = pool.map(ContractTasks::square, range(10_000));
        assertEquals(10_000, results.size());
        for (int i = 0; i < results.size(); i++) {
            assertEquals(i * i, results.get(i), "result #" + i);
        }
    }

    @Test
    void imap_manyInputs_returnsResultsInInputOrder() {
        Pool<Integer, Integer> pool = open();
        try (ResultIterator<Integer> it = pool.imap(ContractTasks::square, range(2_000))) {
            assertEquals(range(2_000).stream().map(i -> i * i).collect(Collectors.toList()), drain(it));
        }
    }

    @Test
    void imapUnordered_manyInputs_returnsEveryResultOnce() {
        Pool<Integer, Integer> pool = open();
        try (ResultIterator<Integer> it = pool.imapUnordered(ContractTasks::square, range(2_000))) {
            List<Integer> results = drain(it);
            Collections.sort(results);
            assertEquals(range(2_000).stream().map(i -> i * i).collect(Collectors.toList()), results);
        }
    }

    @ParameterizedTest(name = "chunkSize {0} (0 = auto)")
    @ValueSource(ints = {1, 0, 1_000})
    void map_anyChunkSize_givesTheSameResults(int chunkSize) {
        Pool<Integer, Integer> pool = open(PoolSpec.defaults().withChunkSize(chunkSize));
        List<Integer> expected = range(100).stream().map(i -> i * i).collect(Collectors.toList());
        assertEquals(expected, pool.map(ContractTasks::square, range(100)));
        try (ResultIterator<Integer> it = pool.imap(ContractTasks::square, range(100))) {
            assertEquals(expected, drain(it));
        }
        List<TaskResult<Integer>> results = pool.mapResults(ContractTasks::square, range(100));
        assertEquals(expected, results.stream().map(TaskResult::value).collect(Collectors.toList()));
    }

    @Test
    void map_emptyInput_givesEmptyResults() throws Exception {
        Pool<Integer, Integer> pool = open();
        assertEquals(List.of(), pool.map(ContractTasks::square, List.of()));
        assertEquals(List.of(), pool.mapResults(ContractTasks::square, List.of()));
        assertEquals(List.of(), pool.mapAsync(ContractTasks::square, List.of()).get(30, TimeUnit.SECONDS));
        try (ResultIterator<Integer> it = pool.imap(ContractTasks::square, List.of())) {
            assertFalse(it.hasNext());
        }
        try (ResultIterator<Integer> it = pool.imapUnordered(ContractTasks::square, List.of())) {
            assertFalse(it.hasNext());
        }
    }

    @Test
    void map_nullElements_reachTheTask() {
        Pool<Integer, String> pool = open();
        assertEquals(List.of("#1", "null", "#3"), pool.map(ContractTasks::describe, Arrays.asList(1, null, 3)));
    }

    @Test
    void map_plainDataTypes_travelBothWays() {
        Pool<Object, Object> pool = open();
        Pool<List<Integer>, Integer> sums = cast(pool);
        assertEquals(List.of(6, 0), sums.map(ContractTasks::sum, List.of(List.of(1, 2, 3), List.of())));
        Pool<String, Long> lengths = cast(pool);
        assertEquals(List.of(3L, 0L), lengths.map(ContractTasks::length, List.of("abc", "")));
        Pool<Point, Point> points = cast(pool);
        assertEquals(List.of(new Point(2, 1)), points.map(ContractTasks::swap, List.of(new Point(1, 2))));
    }

    @Test
    void map_lambdaCapturingAValue_usesThatValue() {
        Pool<Integer, Integer> pool = open();
        assertEquals(List.of(100, 101, 102), pool.map(ContractTasks.addOffset(100), List.of(0, 1, 2)));
    }

    // ---- failures ----------------------------------------------------------------------

    @Test
    void map_someInputsFail_throwsFirstFailureInInputOrder() {
        Pool<Integer, Integer> pool = open(PoolSpec.defaults().withChunkSize(1));
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> pool.map(ContractTasks::failAt30SlowlyAnd70Fast, range(100)));
        assertEquals(30, e.inputIndex());
        assertEquals(IllegalStateException.class.getName(), e.remoteClassName());
        assertEquals("bad 30", e.remoteMessage());
        assertTrue(e.remoteStackTrace().contains("failAt30SlowlyAnd70Fast"), e.remoteStackTrace());
        assertTrue(causeChainHasFrame(e, "failAt30SlowlyAnd70Fast"), "the cause chain shows where the task failed");

        // Later inputs either ran or were cancelled: none is left pending, and the pool still works.
        awaitCondition(PATIENCE, () -> pool.stats().pending() == 0, () -> "still pending: " + pool.stats());
        assertEquals(List.of(4, 9), pool.map(ContractTasks::square, List.of(2, 3)));
    }

    @Test
    void map_taskThrows_causeIsOfTheThrownClassWithItsCauseAndSuppressed() {
        Pool<Integer, Integer> pool = open();
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> pool.map(ContractTasks::failWithIoException, List.of(7)));
        // The same catch works on every pool.
        IOException io = assertInstanceOf(IOException.class, e.getCause());
        assertEquals("io 7", io.getMessage());
        assertEquals("root 7", assertInstanceOf(IllegalArgumentException.class, io.getCause()).getMessage());
        assertEquals(1, io.getSuppressed().length);
        assertEquals("closing 7", assertInstanceOf(IllegalStateException.class, io.getSuppressed()[0]).getMessage());
        assertTrue(causeChainHasFrame(e, "failWithIoException"), "the cause shows where the task failed");
    }

    @Test
    void mapResults_someInputsFail_othersKeepTheirValues() {
        Pool<Integer, Integer> pool = open();
        List<TaskResult<Integer>> results = pool.mapResults(ContractTasks::failOnMultiplesOf3, range(20));
        assertEquals(20, results.size());
        for (int i = 0; i < 20; i++) {
            TaskResult<Integer> result = results.get(i);
            assertEquals(i, result.inputIndex());
            if (i % 3 == 0) {
                assertFalse(result.isSuccess(), "input " + i);
                TaskFailedException failure = assertInstanceOf(TaskFailedException.class, result.failure());
                assertEquals(i, failure.inputIndex());
                assertEquals("bad " + i, failure.remoteMessage());
            } else {
                assertTrue(result.isSuccess(), "input " + i);
                assertEquals(i, result.value());
            }
        }
    }

    @Test
    void imap_taskFails_throwsForThatInputAndGoesOn() {
        Pool<Integer, Integer> pool = open();
        try (ResultIterator<Integer> it = pool.imap(ContractTasks::failOnMultiplesOf3, range(1, 8))) {
            List<Object> seen = new ArrayList<>();
            while (it.hasNext()) {
                try {
                    seen.add(it.next());
                } catch (TaskFailedException e) {
                    seen.add("failed #" + e.inputIndex());
                }
            }
            assertEquals(List.of(1, 2, "failed #2", 4, 5, "failed #5", 7), seen);
        }
    }

    @Test
    void map_inputIteratorThrows_callerGetsThatException() {
        Pool<Integer, Integer> pool = open();
        RuntimeException boom = new IllegalStateException("the caller's iterator broke");
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> pool.map(ContractTasks::square, failingAfter(5, boom)));
        assertTrue(thrown == boom || thrown.getCause() == boom, "got " + thrown);
        assertEquals(0, pool.stats().submitted(), "nothing of that call ran");
        assertEquals(List.of(1), pool.map(ContractTasks::square, List.of(1)));
    }

    @Test
    void imap_inputIteratorThrows_earlierResultsThenThatException() {
        Pool<Integer, Integer> pool = open();
        RuntimeException boom = new IllegalStateException("the caller's iterator broke");
        List<Integer> results = new ArrayList<>();
        try (ResultIterator<Integer> it = pool.imap(ContractTasks::square, failingAfter(5, boom))) {
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> {
                while (it.hasNext()) {
                    results.add(it.next());
                }
            });
            assertTrue(thrown == boom || thrown.getCause() == boom, "got " + thrown);
        }
        assertEquals(List.of(0, 1, 4, 9, 16), results);
        assertEquals(List.of(1), pool.map(ContractTasks::square, List.of(1)));
    }

    @Test
    void map_taskPastTimeout_failsThatInputWithTaskTimeoutException() {
        Pool<Integer, Integer> pool = open(PoolSpec.defaults().withTaskTimeout(Duration.ofSeconds(2)).withChunkSize(1));
        List<TaskResult<Integer>> results =
                pool.mapResults(ContractTasks::sleepMillisThenReturn, List.of(0, 60_000, 1));
        assertEquals(0, results.get(0).value());
        TaskTimeoutException timeout = assertInstanceOf(TaskTimeoutException.class, results.get(1).failure());
        assertEquals(1, timeout.inputIndex());
        assertEquals(Duration.ofSeconds(2), timeout.timeout());
        assertEquals(1, results.get(2).value());

        TaskTimeoutException thrown = assertThrows(TaskTimeoutException.class,
                () -> pool.map(ContractTasks::sleepMillisThenReturn, List.of(0, 60_000)));
        assertEquals(1, thrown.inputIndex());
        assertEquals(List.of(4), pool.map(ContractTasks::square, List.of(2)), "the pool still works");
    }

    // ---- async -------------------------------------------------------------------------

    @Test
    void submit_success_completesWithTheResult() throws Exception {
        Pool<Integer, Integer> pool = open();
        assertEquals(49, pool.submit(ContractTasks::square, 7).get(30, TimeUnit.SECONDS));
    }

    @Test
    void submit_taskFails_completesWithTaskFailedException() {
        Pool<Integer, Integer> pool = open();
        CompletableFuture<Integer> future = pool.submit(ContractTasks::failOnMultiplesOf3, 3);
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        TaskFailedException failure = assertInstanceOf(TaskFailedException.class, e.getCause());
        assertEquals(0, failure.inputIndex());
        assertEquals("bad 3", failure.remoteMessage());
    }

    @Test
    void mapAsync_success_completesWithResultsInOrder() throws Exception {
        Pool<Integer, Integer> pool = open();
        assertEquals(List.of(1, 4, 9), pool.mapAsync(ContractTasks::square, List.of(1, 2, 3)).get(30, TimeUnit.SECONDS));
    }

    @Test
    void mapAsync_someFail_completesWithFirstFailureInInputOrder() {
        Pool<Integer, Integer> pool = open();
        CompletableFuture<List<Integer>> future = pool.mapAsync(ContractTasks::failOnMultiplesOf3, range(1, 10));
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        TaskFailedException failure = assertInstanceOf(TaskFailedException.class, e.getCause());
        assertEquals(2, failure.inputIndex());
    }

    // ---- callbacks ---------------------------------------------------------------------

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {1, 2})
    void callbacks_callingThePoolAgain_neverDeadlockAndCloseReturns(int size) throws Exception {
        Pool<Integer, Integer> pool = open(PoolSpec.defaults().withSize(size));
        Pool<Gate, Integer> gated = pool.typed();
        // The first tasks wait for the gate, so the callbacks are attached before they complete
        // and run on whatever thread completes them (a pool that runs tasks in the caller cannot
        // wait: its gate is open from the start).
        Path gate = tmp.resolve("gate");
        if (!isConcurrent()) {
            Files.writeString(gate, "open");
        }
        CompletableFuture<List<Integer>> viaMap = gated.submit(ContractTasks::awaitGate, new Gate(gate.toString(), null, 3))
                .thenApply(x -> pool.map(ContractTasks::square, List.of(x)));
        CompletableFuture<Integer> viaSubmit = gated.submit(ContractTasks::awaitGate, new Gate(gate.toString(), null, 2))
                .thenApply(x -> pool.submit(ContractTasks::square, x).join());
        CompletableFuture<List<Integer>> viaMapAsync = gated.mapAsync(ContractTasks::awaitGate,
                        List.of(new Gate(gate.toString(), null, 1), new Gate(gate.toString(), null, 2)))
                .thenCompose(xs -> pool.mapAsync(ContractTasks::square, xs))
                .thenApply(xs -> pool.map(ContractTasks.addOffset(1), xs));
        Files.writeString(gate, "open", java.nio.file.StandardOpenOption.CREATE);
        assertEquals(List.of(9), viaMap.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(4, viaSubmit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of(2, 5), viaMapAsync.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        closeWithin(pool, PATIENCE);
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {1, 2})
    void callbacks_neverRunOnAThreadThePoolNeeds(int size) throws Exception {
        Pool<Integer, Integer> pool = open(PoolSpec.defaults().withSize(size));
        List<CompletableFuture<String>> threads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            threads.add(pool.submit(ContractTasks::sleepMillisThenReturn, i % 3)
                    .thenApply(x -> Thread.currentThread().getName()));
        }
        threads.add(pool.mapAsync(ContractTasks::sleepMillisThenReturn, List.of(5, 1))
                .thenApply(x -> Thread.currentThread().getName()));
        for (CompletableFuture<String> thread : threads) {
            String name = thread.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertTrue(!name.startsWith("pool4j") || name.startsWith("pool4j-callback-"),
                    "a callback ran on " + name);
        }
    }

    @Test
    void callbacks_closingThePoolFromACallback_closeReturns() throws Exception {
        Pool<Integer, Integer> pool = open(PoolSpec.defaults().withSize(1));
        CompletableFuture<List<Integer>> closed = pool.mapAsync(ContractTasks::sleepMillisThenReturn, List.of(20, 1))
                .whenComplete((xs, failure) -> pool.close());
        assertEquals(List.of(20, 1), closed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(pool.isClosed());
        closeWithin(pool, PATIENCE);
    }

    // ---- streaming ---------------------------------------------------------------------

    @Test
    void imap_endlessInput_readFor100Results_returnsAndPoolStaysUsable() {
        Pool<Integer, Integer> pool = open();
        Iterable<Integer> naturals = () -> Stream.iterate(0, i -> i + 1).iterator();
        List<Integer> first = new ArrayList<>();
        try (ResultIterator<Integer> it = pool.imap(ContractTasks::square, naturals)) {
            while (first.size() < 100) {
                first.add(it.next());
            }
        }
        assertEquals(range(100).stream().map(i -> i * i).collect(Collectors.toList()), first);
        assertEquals(List.of(1, 4), pool.map(ContractTasks::square, List.of(1, 2)));
        awaitCondition(PATIENCE, () -> pool.stats().pending() == 0, () -> "still pending: " + pool.stats());
    }

    @Test
    void imap_iteratorsDroppedWithoutClose_areReleased() {
        Pool<Integer, Integer> pool = open();
        int abandoned = 100;
        for (int i = 0; i < abandoned; i++) {
            assertEquals(0, readOneAndDrop(pool));
        }
        assertTrue(pool.stats().activeCalls() > 0, "some abandoned iterator is still reachable: " + pool.stats());
        awaitCondition(PATIENCE, () -> {
            System.gc();
            PoolStats stats = pool.stats();
            return stats.activeCalls() == 0 && stats.pending() == 0;
        }, () -> "abandoned iterators still hold their calls: " + pool.stats());
        assertEquals(List.of(4), pool.map(ContractTasks::square, List.of(2)));
    }

    /** Reads the first result of an imap over endless inputs and drops the iterator unclosed. */
    private static int readOneAndDrop(Pool<Integer, Integer> pool) {
        Iterable<Integer> naturals = () -> Stream.iterate(0, i -> i + 1).iterator();
        return pool.imap(ContractTasks::square, naturals).next();
    }

    @Test
    void imap_firstResult_arrivesBeforeLaterInputsFinish() throws IOException {
        assumeTrue(isConcurrent(), "needs tasks running alongside the caller");
        Pool<Gate, Integer> pool = open();
        Path gate = tmp.resolve("gate");
        List<Gate> inputs = new ArrayList<>();
        inputs.add(new Gate(null, null, 0));
        for (int i = 1; i <= 5; i++) {
            inputs.add(new Gate(gate.toString(), null, i));
        }
        try (ResultIterator<Integer> it = pool.imap(ContractTasks::awaitGate, inputs)) {
            assertEquals(0, it.next(), "input 0 is done although inputs 1..5 wait for the gate");
            Files.writeString(gate, "open");
            assertEquals(List.of(1, 2, 3, 4, 5), drain(it));
        }
    }

    @Test
    void imapUnordered_yieldsResultsInCompletionOrder() throws IOException {
        assumeTrue(isConcurrent(), "needs tasks running alongside the caller");
        Pool<Gate, Integer> pool = open();
        Path gate = tmp.resolve("gate");
        List<Gate> inputs = new ArrayList<>();
        inputs.add(new Gate(gate.toString(), null, 0));
        for (int i = 1; i <= 5; i++) {
            inputs.add(new Gate(null, null, i));
        }
        try (ResultIterator<Integer> it = pool.imapUnordered(ContractTasks::awaitGate, inputs)) {
            int first = it.next();
            assertTrue(first != 0, "a quick input comes before the one waiting for the gate");
            Files.writeString(gate, "open");
            List<Integer> rest = drain(it);
            Set<Integer> all = new HashSet<>(rest);
            all.add(first);
            assertEquals(Set.of(0, 1, 2, 3, 4, 5), all);
            assertEquals(5, rest.size());
        }
    }

    // ---- per-call options --------------------------------------------------------------

    @Test
    void callOptions_chunkSizeAndListener_applyToThatCallOnly() throws Exception {
        RecordingListener poolListener = new RecordingListener();
        Pool<Integer, Integer> pool = open(PoolSpec.defaults().withListener(poolListener));
        RecordingListener callListener = new RecordingListener();
        List<Integer> expected = range(40).stream().map(i -> i * i).collect(Collectors.toList());
        assertEquals(expected, pool.map(ContractTasks::square, range(40), CallOptions.chunkSize(3).withListener(callListener)));
        assertTrue(callListener.finishedTotals.contains(40L), "the call's listener saw it finish: " + callListener.finishedTotals);
        assertTrue(poolListener.finishedTotals.contains(40L), "so did the pool's");

        pool.map(ContractTasks::square, range(7));
        assertFalse(callListener.finishedTotals.contains(7L), "another call is not reported to it");

        CallOptions big = CallOptions.chunkSize(500);
        try (ResultIterator<Integer> it = pool.imap(ContractTasks::square, range(2_000), big)) {
            assertEquals(range(2_000).stream().map(i -> i * i).collect(Collectors.toList()), drain(it));
        }
        try (ResultIterator<Integer> it = pool.imapUnordered(ContractTasks::square, range(40), big)) {
            assertEquals(new HashSet<>(expected), new HashSet<>(drain(it)));
        }
        assertEquals(49, pool.submit(ContractTasks::square, 7, big).get(30, TimeUnit.SECONDS));
        assertEquals(expected, pool.mapAsync(ContractTasks::square, range(40), big).get(30, TimeUnit.SECONDS));
        assertEquals(expected, pool.mapResults(ContractTasks::square, range(40), big).stream()
                .map(TaskResult::value).collect(Collectors.toList()));
        assertThrows(NullPointerException.class, () -> pool.map(ContractTasks::square, range(1), null));
    }

    @Test
    void imap_lazyEndlessInputWithDefaultChunks_streamsInOrder() {
        Pool<Integer, Integer> pool = open();
        Iterable<Integer> naturals = () -> Stream.iterate(0, i -> i + 1).iterator();
        List<Integer> first = new ArrayList<>();
        try (ResultIterator<Integer> it = pool.imap(ContractTasks::square, naturals)) {
            while (first.size() < 20_000) {
                first.add(it.next());
            }
        }
        assertEquals(range(20_000).stream().map(i -> i * i).collect(Collectors.toList()), first);
    }

    // ---- typed views ------------------------------------------------------------------

    @Test
    void typed_viewRunsTasksOfOtherTypesOnTheSameWorkers() throws Exception {
        Pool<Integer, Integer> pool = open();
        Pool<String, Long> lengths = pool.typed();
        Pool<Point, Point> points = pool.typed();
        assertEquals(List.of(3L, 0L), lengths.map(ContractTasks::length, List.of("abc", "")));
        assertEquals(List.of(new Point(2, 1)), points.map(ContractTasks::swap, List.of(new Point(1, 2))));
        assertEquals(List.of(4), pool.map(ContractTasks::square, List.of(2)));
        assertEquals(5L, lengths.submit(ContractTasks::length, "abcde").get(30, TimeUnit.SECONDS));
        try (ResultIterator<Long> it = lengths.imap(ContractTasks::length, List.of("a", "bb"))) {
            assertEquals(List.of(1L, 2L), drain(it));
        }
        assertEquals(pool.size(), lengths.size());
        assertEquals(7, pool.stats().submitted(), "one pool, one set of counters");
        assertEquals(pool.stats().submitted(), lengths.stats().submitted());
    }

    @Test
    void typed_closingTheView_leavesThePoolOpen() throws Exception {
        Pool<Integer, Integer> pool = open();
        Pool<String, Long> view = pool.typed();
        CompletableFuture<Long> pending = view.submit(ContractTasks::length, "abc");
        view.close();
        assertEquals(3L, pending.getNow(-1L), "close() waited for the view's future");
        assertTrue(view.isClosed());
        assertThrows(PoolClosedException.class, () -> view.map(ContractTasks::length, List.of("a")));
        assertThrows(PoolClosedException.class, () -> view.submit(ContractTasks::length, "a"));
        view.terminate();
        assertFalse(pool.isClosed(), "closing a view does not close the pool");
        assertEquals(List.of(9), pool.map(ContractTasks::square, List.of(3)));
        Pool<String, Long> another = pool.typed();
        assertEquals(List.of(2L), another.map(ContractTasks::length, List.of("ab")));
        pool.close();
        assertTrue(another.isClosed(), "a view is closed once its pool is");
        assertThrows(PoolClosedException.class, () -> another.map(ContractTasks::length, List.of("a")));
    }

    @Test
    void typed_terminatingTheView_cancelsItsFuturesOnly() throws Exception {
        assumeTrue(isConcurrent(), "needs tasks running alongside the caller");
        Pool<Integer, Integer> pool = open();
        Pool<Gate, Integer> view = pool.typed();
        Path never = tmp.resolve("never");
        CompletableFuture<Integer> stuck = view.submit(ContractTasks::awaitGate, new Gate(never.toString(), null, 1));
        view.terminate();
        assertTrue(stuck.isCancelled(), "the view's future was cancelled");
        assertFalse(pool.isClosed());
        assertEquals(List.of(16), pool.map(ContractTasks::square, List.of(4)));
    }

    // ---- argument checks ---------------------------------------------------------------

    @Test
    void calls_nullTaskOrInputs_throwNullPointerException() {
        Pool<Integer, Integer> pool = open();
        List<Integer> inputs = List.of(1);
        assertThrows(NullPointerException.class, () -> pool.map(null, inputs));
        assertThrows(NullPointerException.class, () -> pool.map(ContractTasks::square, null));
        assertThrows(NullPointerException.class, () -> pool.mapResults(null, inputs));
        assertThrows(NullPointerException.class, () -> pool.mapResults(ContractTasks::square, null));
        assertThrows(NullPointerException.class, () -> pool.mapAsync(null, inputs));
        assertThrows(NullPointerException.class, () -> pool.mapAsync(ContractTasks::square, null));
        assertThrows(NullPointerException.class, () -> pool.imap(null, inputs));
        assertThrows(NullPointerException.class, () -> pool.imap(ContractTasks::square, null));
        assertThrows(NullPointerException.class, () -> pool.imapUnordered(null, inputs));
        assertThrows(NullPointerException.class, () -> pool.imapUnordered(ContractTasks::square, null));
        assertThrows(NullPointerException.class, () -> pool.submit(null, 1));
        assertEquals(0, pool.stats().submitted());
    }

    // ---- lifecycle ---------------------------------------------------------------------

    @Test
    void close_calledTwice_isIdempotent() {
        Pool<Integer, Integer> pool = open();
        assertEquals(List.of(4), pool.map(ContractTasks::square, List.of(2)));
        assertFalse(pool.isClosed());
        pool.close();
        assertTrue(pool.isClosed());
        pool.close();
        pool.terminate();
        pool.terminate();
        pool.close();
        assertTrue(pool.isClosed());
    }

    @Test
    void calls_afterClose_throwPoolClosedException() {
        Pool<Integer, Integer> pool = open();
        pool.close();
        List<Integer> inputs = List.of(1);
        assertThrows(PoolClosedException.class, () -> pool.map(ContractTasks::square, inputs));
        assertThrows(PoolClosedException.class, () -> pool.map(ContractTasks::square, List.of()));
        assertThrows(PoolClosedException.class, () -> pool.mapResults(ContractTasks::square, inputs));
        assertThrows(PoolClosedException.class, () -> pool.mapAsync(ContractTasks::square, inputs));
        assertThrows(PoolClosedException.class, () -> pool.submit(ContractTasks::square, 1));
        assertThrows(PoolClosedException.class, () -> pool.imap(ContractTasks::square, inputs));
        assertThrows(PoolClosedException.class, () -> pool.imapUnordered(ContractTasks::square, inputs));
    }

    @Test
    void calls_afterTerminate_throwPoolClosedException() {
        Pool<Integer, Integer> pool = open();
        pool.terminate();
        assertTrue(pool.isClosed());
        assertThrows(PoolClosedException.class, () -> pool.map(ContractTasks::square, List.of(1)));
        assertThrows(PoolClosedException.class, () -> pool.submit(ContractTasks::square, 1));
    }

    @Test
    void close_afterSubmit_acceptedWorkFinishes() throws Exception {
        Pool<Integer, Integer> pool = open();
        CompletableFuture<Integer> future = pool.submit(ContractTasks::sleepMillisThenReturn, 100);
        pool.close();
        assertEquals(100, future.get(30, TimeUnit.SECONDS));
    }

    @Test
    void close_whileTaskRuns_waitsForIt() throws Exception {
        assumeTrue(isConcurrent(), "needs tasks running alongside the caller");
        Pool<Gate, Integer> pool = open();
        Path gate = tmp.resolve("gate");
        Path started = tmp.resolve("started");
        CompletableFuture<Integer> future = pool.submit(ContractTasks::awaitGate, new Gate(gate.toString(), started.toString(), 42));
        awaitCondition(PATIENCE, () -> Files.exists(started), () -> "the task never started");

        Thread closer = new Thread(pool::close, "contract-closer");
        closer.start();
        awaitCondition(PATIENCE, pool::isClosed, () -> "close() never began");
        assertFalse(future.isDone(), "the task waits for its gate");
        assertThrows(PoolClosedException.class, () -> pool.submit(ContractTasks::awaitGate, new Gate(null, null, 1)));

        Files.writeString(gate, "open");
        closer.join(PATIENCE.toMillis());
        assertFalse(closer.isAlive(), "close() returned once the accepted work finished");
        assertEquals(42, future.getNow(-1), "accepted work finished with its result");
    }

    @Test
    void terminate_failsPendingFuturesWithPoolClosedException() throws Exception {
        assumeTrue(isConcurrent(), "needs tasks running alongside the caller");
        Pool<Gate, Integer> pool = open();
        Path never = tmp.resolve("never");
        Path started = tmp.resolve("started");
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < pool.size() + 2; i++) {
            futures.add(pool.submit(ContractTasks::awaitGate, new Gate(never.toString(), started.toString(), i)));
        }
        CompletableFuture<List<Integer>> mapped = pool.mapAsync(ContractTasks::awaitGate,
                List.of(new Gate(never.toString(), null, 0), new Gate(never.toString(), null, 1)));
        awaitCondition(PATIENCE, () -> Files.exists(started), () -> "no task ever started");

        pool.terminate();
        assertTrue(pool.isClosed());
        for (CompletableFuture<Integer> future : futures) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
            assertInstanceOf(PoolClosedException.class, e.getCause());
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> mapped.get(30, TimeUnit.SECONDS));
        assertInstanceOf(PoolClosedException.class, e.getCause());
    }

    @Test
    void map_callerInterrupted_throwsPoolExceptionPromptlyAndKeepsTheFlag() throws Exception {
        Pool<Gate, Integer> pool = open();
        Path gate = tmp.resolve("gate");
        List<Gate> inputs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            inputs.add(new Gate(gate.toString(), tmp.resolve("started-" + i).toString(), i));
        }
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagSet = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                pool.map(ContractTasks::awaitGate, inputs);
            } catch (Throwable t) {
                flagSet.set(Thread.currentThread().isInterrupted());
                thrown.set(t);
            }
        }, "contract-caller");
        caller.start();
        awaitCondition(PATIENCE, () -> startedCount() > 0, () -> "no task ever started");
        caller.interrupt();
        caller.join(PATIENCE.toMillis());
        assertFalse(caller.isAlive(), "map returned promptly, while its tasks still wait for the gate");
        PoolException e = assertInstanceOf(PoolException.class, thrown.get());
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertTrue(flagSet.get(), "the interrupt flag stays set");

        // Let the tasks that were running finish; the unstarted inputs were cancelled, never run.
        Files.writeString(gate, "open");
        awaitCondition(PATIENCE, () -> pool.stats().pending() == 0, () -> "still pending: " + pool.stats());
        Pool<Integer, Integer> same = cast(pool);
        assertEquals(List.of(4), same.map(ContractTasks::square, List.of(2)));
        assertTrue(startedCount() < inputs.size(), "unstarted inputs were cancelled; started: " + startedCount());
        PoolStats stats = pool.stats();
        assertEquals(0, stats.failed(), "cancelled inputs are not failures: " + stats);
        assertTrue(stats.cancelled() > 0, "the unstarted inputs count as cancelled: " + stats);
    }

    private long startedCount() {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("started-")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- concurrency -------------------------------------------------------------------

    @Test
    void map_eightThreadsAtOnce_eachGetsItsOwnResults() throws Exception {
        Pool<Integer, Integer> pool = open();
        int callers = 8;
        ExecutorService threads = Executors.newFixedThreadPool(callers, r -> new Thread(r, "contract-caller"));
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                int offset = t * 1_000;
                results.add(threads.submit(() -> {
                    go.await();
                    return pool.map(ContractTasks.addOffset(offset), range(500));
                }));
            }
            go.countDown();
            for (int t = 0; t < callers; t++) {
                int offset = t * 1_000;
                List<Integer> expected = range(500).stream().map(i -> i + offset).collect(Collectors.toList());
                assertEquals(expected, results.get(t).get(60, TimeUnit.SECONDS), "caller " + t);
            }
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    // ---- observability -----------------------------------------------------------------

    @Test
    void listener_seesDoneEqualsTotalWhenMapReturns() {
        RecordingListener listener = new RecordingListener();
        Pool<Integer, Integer> pool = open(PoolSpec.defaults().withListener(listener));
        pool.map(ContractTasks::square, range(50));
        assertTrue(listener.finishedTotals.contains(50L), "progress events: " + listener.finishedTotals);
        assertTrue(listener.maxDoneAboveTotal.isEmpty(), "done never exceeds total: " + listener.maxDoneAboveTotal);
        pool.close();
        assertTrue(listener.poolClosed.get(), "onPoolClosed after close()");
    }

    @Test
    void stats_countSubmittedCompletedAndFailedInputs() {
        Pool<Integer, Integer> pool = open();
        PoolStats before = pool.stats();
        assertEquals(0, before.submitted());
        assertEquals(pool.size(), before.size());
        pool.mapResults(ContractTasks::failOnMultiplesOf3, range(10));
        pool.map(ContractTasks::square, range(5));
        PoolStats after = pool.stats();
        assertEquals(15, after.submitted());
        assertEquals(11, after.completed());
        assertEquals(4, after.failed());
        assertEquals(0, after.cancelled());
        assertEquals(0, after.pending());
        assertEquals(0, after.activeCalls());
        assertNotNull(after.workers());
        assertFalse(after.workers().isEmpty(), "at least one worker is reported");
    }

    @Test
    void size_isTheConfiguredSize() {
        assumeTrue(ownsWorkers(), "needs a pool that starts as many workers as asked");
        assertEquals(3, open(PoolSpec.defaults().withSize(3)).size());
    }

    // ---- helpers -----------------------------------------------------------------------

    /** Collects progress events. */
    private static final class RecordingListener implements PoolListener {
        final Set<Long> finishedTotals = ConcurrentHashMap.newKeySet();
        final List<String> maxDoneAboveTotal = new CopyOnWriteArrayList<>();
        final AtomicBoolean poolClosed = new AtomicBoolean();

        @Override
        public void onProgress(long callId, long done, long total) {
            if (total >= 0 && done == total) {
                finishedTotals.add(total);
            }
            if (total >= 0 && done > total) {
                maxDoneAboveTotal.add(done + "/" + total);
            }
        }

        @Override
        public void onPoolClosed() {
            poolClosed.set(true);
        }
    }

    /**
     * Returns the inputs {@code 0 .. n-1}.
     *
     * @param n how many
     * @return a new list
     */
    protected static List<Integer> range(int n) {
        return range(0, n);
    }

    /**
     * Returns the inputs {@code from .. to-1}.
     *
     * @param from first
     * @param to end, exclusive
     * @return a new list
     */
    protected static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toList());
    }

    /**
     * Reads every remaining result.
     *
     * @param it the iterator
     * @param <R> the result type
     * @return the results in the order read
     */
    protected static <R> List<R> drain(Iterator<R> it) {
        List<R> results = new ArrayList<>();
        while (it.hasNext()) {
            results.add(it.next());
        }
        return results;
    }

    /**
     * Waits until {@code condition} holds, failing with {@code message} after {@code patience}.
     *
     * @param patience how long to wait at most
     * @param condition the condition
     * @param message the failure message
     */
    protected static void awaitCondition(Duration patience, BooleanSupplier condition, java.util.function.Supplier<String> message) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting: " + message.get());
            }
        }
    }

    /**
     * Closes {@code pool} in another thread and fails unless {@code close()} returns within
     * {@code patience}.
     *
     * @param pool the pool
     * @param patience how long close() may take
     * @throws InterruptedException if interrupted while waiting
     */
    protected static void closeWithin(Pool<?, ?> pool, Duration patience) throws InterruptedException {
        Thread closer = new Thread(pool::close, "contract-closer");
        closer.start();
        closer.join(patience.toMillis());
        assertFalse(closer.isAlive(), "close() did not return within " + patience);
    }

    /**
     * Returns the live threads whose name starts with {@code pool4j}, but for the daemon threads
     * every pool of the JVM shares and that belong to none: {@code pool4j-callback-N} (which
     * complete futures and end when idle) and {@code pool4j-cleaner}.
     *
     * @return their names
     */
    protected static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("pool4j"))
                .filter(name -> !name.startsWith("pool4j-callback-") && !name.equals("pool4j-cleaner"))
                .sorted()
                .collect(Collectors.toList());
    }

    private static boolean causeChainHasFrame(Throwable t, String methodName) {
        Set<Throwable> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable c = t.getCause(); c != null && seen.add(c); c = c.getCause()) {
            for (StackTraceElement frame : c.getStackTrace()) {
                if (frame.getClassName().equals(ContractTasks.class.getName()) && frame.getMethodName().equals(methodName)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Iterable<Integer> failingAfter(int n, RuntimeException failure) {
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (next == n) {
                    throw failure;
                }
                return next++;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T, R> Pool<T, R> cast(Pool<?, ?> pool) {
        return (Pool<T, R>) pool;
    }
}
