package io.github.pool4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolException;
import io.github.pool4j.Task;
import io.github.pool4j.TaskTimeoutException;
import io.github.pool4j.spi.PoolOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Threads stuck in a task that timed out and ignores interrupts: the pool gives them up, keeps its
 * size, breaks with a clear message past its limit, and neither close() nor terminate() nor the JVM's
 * exit waits for them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StuckThreadTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Released after each test, so the stuck tasks end and no pool thread is left. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Pool<?, ?>> pools = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();

    @AfterEach
    void releaseStuckTasks() throws InterruptedException {
        release.countDown();
        for (Pool<?, ?> pool : pools) {
            pool.terminate();
        }
        for (ExecutorService executor : executors) {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
        }
        await(() -> poolThreads().isEmpty(), () -> "pool threads left: " + poolThreads());
    }

    /** A task that waits for {@link #release}, ignoring every interrupt. */
    private Task<Integer, Integer> ignoringInterrupts() {
        return x -> {
            while (true) {
                try {
                    release.await();
                    return x;
                } catch (InterruptedException ignored) {
                    // a task that will not stop: a Java thread cannot be killed
                }
            }
        };
    }

    @Test
    void timedOutTaskIgnoringInterrupts_threadIsGivenUpAndReplaced_poolKeepsItsSize() throws Exception {
        Pool<Integer, Integer> pool =
                track(ThreadPool.builder().size(1).maxStuckThreads(2).chunkSize(3).taskTimeout(TIMEOUT).build());
        TaskTimeoutException e = assertThrows(TaskTimeoutException.class, () -> pool.map(ignoringInterrupts(), List.of(1)));
        assertEquals(0, e.inputIndex());
        // The only thread is stuck: this map runs only because the pool replaced it.
        assertEquals(List.of(0, 2, 4), pool.map(x -> x * 2, List.of(0, 1, 2)));
        // The stuck chunk's other inputs (one chunk of three) ran on the next replacement.
        List<Object> mixed = new ArrayList<>();
        pool.mapResults(x -> x == 0 ? ignoringInterrupts().apply(x) : x, List.of(0, 1, 2))
                .forEach(r -> mixed.add(r.isSuccess() ? r.value() : r.failure().getClass().getSimpleName()));
        assertEquals(List.of("TaskTimeoutException", 1, 2), mixed);

        closeWithin(pool, TIMEOUT.plusSeconds(5).plus(PATIENCE));
        assertTrue(pool.isClosed());
    }

    @Test
    void moreStuckThreadsThanReplaced_poolFailsNewInputsSayingWhy() {
        Pool<Integer, Integer> pool =
                track(ThreadPool.builder().size(1).maxStuckThreads(1).taskTimeout(TIMEOUT).build());
        assertThrows(TaskTimeoutException.class, () -> pool.map(ignoringInterrupts(), List.of(1)));
        assertThrows(TaskTimeoutException.class, () -> pool.map(ignoringInterrupts(), List.of(2)));
        // Two stuck, one replaced: once the second is given up, inputs fail instead of waiting forever.
        await(() -> {
            try {
                pool.map(x -> x, List.of(3));
                return false;
            } catch (PoolException e) {
                assertTrue(e.getMessage().contains("stuck") && e.getMessage().contains("at most 1"), e.getMessage());
                return true;
            }
        }, () -> "the pool never reported its stuck threads");
        PoolException e = assertThrows(PoolException.class, () -> pool.map(x -> x, List.of(4, 5)));
        assertEquals(0, e.inputIndex());
        assertTrue(e.getMessage().contains("close this pool"), e.getMessage());
    }

    @Test
    void terminate_taskIgnoringInterrupts_returnsWithoutWaitingForIt() throws Exception {
        Pool<Integer, Integer> pool = track(ThreadPool.create(1));
        CountDownLatch running = new CountDownLatch(1);
        Task<Integer, Integer> stuck = ignoringInterrupts();
        var future = pool.submit(x -> {
            running.countDown();
            return stuck.apply(x);
        }, 1);
        assertTrue(running.await(30, TimeUnit.SECONDS));
        Thread terminator = new Thread(pool::terminate, "test-terminator");
        terminator.start();
        terminator.join(ThreadPool.TERMINATE_WAIT.plus(PATIENCE).toMillis());
        assertFalse(terminator.isAlive(), "terminate() returned, leaving the stuck daemon thread behind");
        assertTrue(future.isCompletedExceptionally());
    }

    @Test
    void wrap_timedOutTaskIgnoringInterrupts_closeDoesNotWaitForIt() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "pool4j-test-borrowed"));
        executors.add(executor);
        Pool<Integer, Integer> pool = track(ThreadPool.wrap(executor,
                new PoolOptions(2, PoolOptions.AUTO_CHUNK_SIZE, TIMEOUT, io.github.pool4j.PoolListener.NONE)));
        assertThrows(TaskTimeoutException.class, () -> pool.map(ignoringInterrupts(), List.of(1)));
        assertEquals(List.of(7), pool.map(x -> x, List.of(7)), "the executor's other thread serves the pool");
        closeWithin(pool, PATIENCE);
    }

    @Test
    void childJvm_mainReturnsWhileAStuckTaskRuns_jvmExits() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StuckTaskMain.class.getName())
                .redirectErrorStream(true)
                .start();
        try {
            boolean exited = child.waitFor(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);
            String output = readAvailable(child);
            assertTrue(exited, "the JVM did not exit after main returned; output: " + output);
            assertEquals(0, child.exitValue(), output);
            assertTrue(output.contains("timed out") && output.contains("closed"), output);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String readAvailable(Process process) throws IOException {
        byte[] bytes = process.getInputStream().available() > 0 || !process.isAlive()
                ? process.getInputStream().readNBytes(process.getInputStream().available())
                : new byte[0];
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The child JVM: a pool whose task ignores interrupts; main closes the pool and returns, and
     * the JVM must then exit although the task never ends.
     */
    public static final class StuckTaskMain {
        /**
         * Runs the scenario.
         *
         * @param args ignored
         */
        public static void main(String[] args) {
            Pool<Integer, Integer> pool = ThreadPool.builder().size(2).taskTimeout(TIMEOUT).build();
            try {
                pool.map(x -> {
                    while (true) {
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException ignored) {
                            // never stops
                        }
                    }
                }, List.of(1));
            } catch (TaskTimeoutException e) {
                System.out.println("timed out");
            }
            System.out.println(pool.submit(x -> x + 1, 1).thenApply(x -> "callback " + x).join());
            pool.close();
            System.out.println("closed");
        }
    }

    private <P extends Pool<?, ?>> P track(P pool) {
        pools.add(pool);
        return pool;
    }

    private static void closeWithin(Pool<?, ?> pool, Duration patience) throws InterruptedException {
        Thread closer = new Thread(pool::close, "test-closer");
        closer.start();
        closer.join(patience.toMillis());
        assertFalse(closer.isAlive(), "close() did not return within " + patience);
    }

    private static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("pool4j"))
                .filter(name -> !name.startsWith("pool4j-callback-") && !name.equals("pool4j-cleaner"))
                .collect(Collectors.toList());
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> message) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
