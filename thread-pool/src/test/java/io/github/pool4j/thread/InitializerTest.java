package io.github.pool4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolException;
import io.github.pool4j.TaskResult;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ThreadPool.Builder.initializer}: code each owned thread runs once before it takes input,
 * as Python's {@code ThreadPool(initializer=...)}, with failures reported rather than respawned
 * forever.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InitializerTest {

    private static final String PREFIX = "init-test";
    private static final ThreadLocal<String> GREETING = new ThreadLocal<>();

    @AfterEach
    void noPoolThreadLeft() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!poolThreads().isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertEquals(Set.of(), poolThreads());
    }

    private static Set<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(PREFIX))
                .collect(Collectors.toSet());
    }

    @Test
    void build_runsTheInitializerOnceInEveryThreadBeforeAnyInput() {
        Set<String> initializedIn = ConcurrentHashMap.newKeySet();
        AtomicInteger runs = new AtomicInteger();
        ThreadPool<Integer, String> pool = ThreadPool.builder().size(3).threadNamePrefix(PREFIX).chunkSize(1)
                .initializer(() -> {
                    runs.incrementAndGet();
                    initializedIn.add(Thread.currentThread().getName());
                    GREETING.set("hi from " + Thread.currentThread().getName());
                })
                .build();
        try (pool) {
            // build() waited for every thread: no input has run yet, all three initialized.
            assertEquals(3, runs.get());
            assertEquals(Set.of(PREFIX + "-1", PREFIX + "-2", PREFIX + "-3"), initializedIn);
            List<String> greetings = pool.map(i -> GREETING.get(), IntStream.range(0, 30).boxed().toList());
            assertTrue(greetings.stream().allMatch(g -> g != null && g.startsWith("hi from " + PREFIX)), greetings.toString());
            assertEquals(3, runs.get(), "more inputs must not rerun the initializer");
        }
    }

    @Test
    void build_initializerThrows_buildFailsWithItsExceptionAndStopsTheThreads() {
        PoolException e = assertThrows(PoolException.class, () -> ThreadPool.builder().size(2).threadNamePrefix(PREFIX)
                .initializer(() -> {
                    throw new IllegalStateException("no model here");
                })
                .build());
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("no model here", cause.getMessage());
        assertTrue(e.getMessage().contains("initializer failed"), e.getMessage());
    }

    @Test
    void initializerFailsInAReplacementThread_inputsFailWithItsExceptionInsteadOfHanging() {
        AtomicInteger starts = new AtomicInteger();
        ThreadPool<Integer, Integer> pool = ThreadPool.builder().size(1).threadNamePrefix(PREFIX).chunkSize(1)
                .initializer(() -> {
                    if (starts.incrementAndGet() > 1) {
                        throw new IllegalStateException("the model is gone");
                    }
                })
                .build();
        try (pool) {
            // An Error that leaves the JVM unsound ends the thread; the executor starts another.
            assertThrows(PoolException.class, () -> pool.map(i -> {
                throw new OutOfMemoryError("simulated");
            }, List.of(1)));
            List<TaskResult<Integer>> later = pool.mapResults(i -> i, List.of(2, 3));
            for (TaskResult<Integer> result : later) {
                PoolException failure = result.failure();
                assertInstanceOf(IllegalStateException.class, failure.getCause(), String.valueOf(failure));
                assertTrue(failure.getMessage().contains("broken"), failure.getMessage());
            }
            assertEquals(2, starts.get());
        }
    }

    @Test
    void build_interruptedWhileInitializersRun_failsAndLeavesNoThread() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread builder = new Thread(() -> {
            try {
                ThreadPool.builder().size(1).threadNamePrefix(PREFIX)
                        .initializer(() -> {
                            entered.countDown();
                            never.await();
                        })
                        .build();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        builder.start();
        assertTrue(entered.await(30, TimeUnit.SECONDS));
        builder.interrupt();
        builder.join(TimeUnit.SECONDS.toMillis(30));
        PoolException e = assertInstanceOf(PoolException.class, thrown.get());
        assertInstanceOf(InterruptedException.class, e.getCause());
    }

    @Test
    void noInitializer_buildDoesNotWait() {
        try (Pool<Integer, Integer> pool = ThreadPool.builder().size(2).threadNamePrefix(PREFIX).build()) {
            assertEquals(List.of(2, 4), pool.map(i -> i * 2, List.of(1, 2)));
        }
    }
}
