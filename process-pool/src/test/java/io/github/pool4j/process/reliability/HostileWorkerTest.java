package io.github.pool4j.process.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskResult;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.process.ProcessPool;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The parent's frame reader (the worker's stdout thread, {@code LineReader} and
 * {@code Wire}) fed by a real child process that answers with random bytes, truncated frames,
 * unknown and unexpected frame types, wrong ids and positions, duplicated results, deeply nested
 * JSON and oversized lines ({@link HostileWorker}). Whatever it sends, every input ends with its own
 * correct result or a failure naming that input; nothing hangs, and a line longer than
 * {@code maxFrameBytes} is never buffered whole.
 *
 * <p>The property runs over seeded random scripts; a failure names its seed. Rerun one with
 * {@code -Dpool4j.reliability.seed=<seed>}.
 */
@Tag("reliability")
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class HostileWorkerTest {

    private static final int MAX_FRAME = 64 * 1024;

    @AfterEach
    void nothingLeft() {
        Abuse.assertNothingLeft();
    }

    static Integer twice(Integer x) {
        return 2 * x;
    }

    /** A pool whose workers are {@link HostileWorker}s configured by {@code properties} ({@code key=value}). */
    private static ProcessPool.Builder hostile(String... properties) {
        List<String> options = new ArrayList<>(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto"));
        for (String property : properties) {
            options.add("-Dhostile." + property);
        }
        // The launcher appends its own options, class path and main class after these: they become
        // the ignored program arguments of HostileWorker.
        options.addAll(List.of("-cp", System.getProperty("java.class.path"), HostileWorker.class.getName()));
        return ProcessPool.builder().jvmOptions(options).maxFrameBytes(MAX_FRAME);
    }

    @Test
    void randomHostileOutput_everyInputGetsItsOwnResultOrItsOwnFailure() {
        long base = Long.getLong("pool4j.reliability.seed", System.nanoTime());
        int runs = Long.getLong("pool4j.reliability.seed") != null ? 1 : Abuse.scale(6, 60);
        System.out.println("[reliability] hostile-output base seed " + base + " runs " + runs);
        AtomicInteger retired = new AtomicInteger();
        AtomicInteger failedInputs = new AtomicInteger();
        int inputs = 0;
        for (int run = 0; run < runs; run++) {
            long seed = base + run;
            inputs += runOnce(seed, retired, failedInputs);
        }
        Abuse.figure("hostile", "inputs", inputs);
        Abuse.figure("hostile", "workers-retired", retired.get());
        Abuse.figure("hostile", "inputs-failed", failedInputs.get());
        assertTrue(retired.get() > 0, "the hostile workers broke the protocol at least once");
    }

    private static int runOnce(long seed, AtomicInteger retired, AtomicInteger failedInputs) {
        Random random = new Random(seed);
        int n = 20 + random.nextInt(40);
        int chunk = 1 + random.nextInt(4);
        List<Integer> inputs = IntStream.range(0, n).boxed().toList();
        PoolListener listener = new PoolListener() {
            @Override
            public void onWorkerStopped(WorkerStats worker, PoolException cause) {
                if (cause != null) {
                    retired.incrementAndGet();
                }
            }
        };
        ProcessPool<Integer, Integer> pool = hostile("mode=random", "seed=" + seed, "rate=0.08").size(2).chunkSize(chunk)
                .listener(listener).build();
        try {
            List<TaskResult<Integer>> results = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> pool.mapResults(HostileWorkerTest::twice, inputs), () -> "seed " + seed + ": the map hung");
            assertEquals(n, results.size(), "seed " + seed);
            for (int i = 0; i < n; i++) {
                TaskResult<Integer> result = results.get(i);
                String where = "seed " + seed + ", input #" + i + ": " + result;
                assertEquals(i, result.inputIndex(), where);
                if (result.isSuccess()) {
                    assertEquals(2 * i, result.value(), "a wrong result was delivered; " + where);
                    continue;
                }
                failedInputs.incrementAndGet();
                PoolException failure = result.failure();
                assertEquals(i, failure.inputIndex(), where);
                if (failure instanceof TaskFailedException tfe) {
                    assertEquals("hostile.Fake", tfe.remoteClassName(), where);
                } else if (!(failure instanceof WorkerCrashedException) && !(failure instanceof TaskSerializationException)) {
                    fail("unexpected failure type; " + where, failure);
                }
            }
            assertTimeoutPreemptively(Duration.ofSeconds(30), pool::close, () -> "seed " + seed + ": close hung");
        } finally {
            pool.terminate();
        }
        return n;
    }

    /** Each act on its own, so every build exercises all of them whatever the random runs drew. */
    @ParameterizedTest
    @EnumSource(HostileWorker.Act.class)
    void eachHostileAct_failsAtMostItsOwnInputAndThePoolGoesOn(HostileWorker.Act act, @TempDir Path dir) {
        ProcessPool<Integer, Integer> pool = hostile("mode=once", "act=" + act.name(),
                "marker=" + dir.resolve("acted")).size(1).chunkSize(1).build();
        try {
            List<TaskResult<Integer>> results = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> pool.mapResults(HostileWorkerTest::twice, List.of(0, 1, 2)), () -> act + ": the map hung");
            int victim = act == HostileWorker.Act.DUPLICATE ? 1 : 0;
            for (int i = 0; i < 3; i++) {
                TaskResult<Integer> result = results.get(i);
                if (i != victim || act.harmless) {
                    assertEquals(2 * i, result.value(), act + ", input #" + i);
                    continue;
                }
                PoolException failure = result.failure();
                assertEquals(i, failure == null ? -1 : failure.inputIndex(), act + ": " + result);
                Class<? extends PoolException> expected = switch (act) {
                    case WRONG_VALUE_TYPE, DEEP_VALUE -> TaskSerializationException.class;
                    case FAKE_ERROR -> TaskFailedException.class;
                    default -> WorkerCrashedException.class;
                };
                assertInstanceOf(expected, failure, act + ": " + failure);
                if (expected == WorkerCrashedException.class && act != HostileWorker.Act.DIE_MID_FRAME) {
                    assertTrue(failure.getMessage().contains("protocol error"), act + ": " + failure.getMessage());
                }
            }
            assertEquals(List.of(6, 8), pool.map(HostileWorkerTest::twice, List.of(3, 4)), act + ": the pool goes on");
        } finally {
            pool.terminate();
        }
    }

    /** With a retry, an input whose worker broke the protocol runs again on a well-behaved worker. */
    @ParameterizedTest
    @EnumSource(HostileWorker.Act.class)
    void eachHostileAct_withRetry_onlyWellFormedWrongAnswersFail(HostileWorker.Act act, @TempDir Path dir) {
        ProcessPool<Integer, Integer> pool = hostile("mode=once", "act=" + act.name(),
                "marker=" + dir.resolve("acted")).size(1).chunkSize(1).retries(1).build();
        try {
            List<TaskResult<Integer>> results = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> pool.mapResults(HostileWorkerTest::twice, List.of(0, 1, 2)), () -> act + ": the map hung");
            for (int i = 0; i < 3; i++) {
                TaskResult<Integer> result = results.get(i);
                Class<? extends PoolException> expected = i != 0 ? null : switch (act) {
                    case WRONG_VALUE_TYPE, DEEP_VALUE -> TaskSerializationException.class;
                    case FAKE_ERROR -> TaskFailedException.class;
                    default -> null;
                };
                if (expected == null) {
                    assertEquals(2 * i, result.value(), act + ", input #" + i);
                } else {
                    assertInstanceOf(expected, result.failure(), act + ": " + result);
                    assertEquals(0, result.failure().inputIndex());
                }
            }
        } finally {
            pool.terminate();
        }
    }

    @Test
    void endlessLine_readerGivesUpAtMaxFrameBytesWithBoundedAllocation() {
        AtomicLong readerAllocated = new AtomicLong(-1);
        PoolListener listener = new PoolListener() {
            @Override
            public void onWorkerStopped(WorkerStats worker, PoolException cause) {
                // Runs on the stdout reader thread, after it read the worker's output to the end.
                com.sun.management.ThreadMXBean threads =
                        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                readerAllocated.compareAndSet(-1, threads.getCurrentThreadAllocatedBytes());
            }
        };
        ProcessPool<Integer, Integer> pool = hostile("mode=flood").size(1).listener(listener).build();
        try {
            List<TaskResult<Integer>> results = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> pool.mapResults(HostileWorkerTest::twice, List.of(21)));
            WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, results.get(0).failure());
            assertEquals(0, e.inputIndex());
            assertTrue(e.getMessage().contains("maxFrameBytes"), e.getMessage());
            Abuse.await("the reader thread to report", 30, () -> readerAllocated.get() >= 0);
            Abuse.figure("hostile", "flood-reader-allocated-bytes", readerAllocated.get());
            // The worker offered up to 1 GiB on one line; the reader may hold one maxFrameBytes line,
            // its 64 KiB read buffer and the garbage of a few frames, never the line.
            assertTrue(readerAllocated.get() < 16L * 1024 * 1024,
                    "the reader allocated " + readerAllocated.get() + " bytes for a line cut at " + MAX_FRAME);
        } finally {
            pool.terminate();
        }
    }
}
