package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskResult;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.WorkerStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker's task thread survives whatever a task's result or exception does while it is
 * described for the parent: that input fails with a clear exception, the others run, the worker
 * lives on. Each call runs in another thread with a bounded wait, because the failure these tests
 * guard against is a hang.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskThreadTest {

    private static final long CALL_SECONDS = 30;

    @AfterEach
    void nothingLeft() {
        Leftovers.assertNone();
    }

    /** A result whose component cannot be read: its accessor throws an {@link Error}. */
    public record BrokenRecord(String name) {
        @Override
        public String name() {
            throw new AssertionError("this accessor always fails");
        }
    }

    /** An exception whose stack trace cannot be read. */
    static final class NoStackException extends RuntimeException {
        private final boolean returnNull;

        NoStackException(boolean returnNull) {
            super("the stack is hidden");
            this.returnNull = returnNull;
        }

        @Override
        public StackTraceElement[] getStackTrace() {
            if (returnNull) {
                return null;
            }
            throw new IllegalStateException("getStackTrace refused");
        }
    }

    /** An exception that fails in every way it is read: message, stack trace, string form, cause. */
    static final class HostileError extends Error {
        @Override
        public String getMessage() {
            throw new HostileError();
        }

        @Override
        public StackTraceElement[] getStackTrace() {
            throw new HostileError();
        }

        @Override
        public String toString() {
            throw new HostileError();
        }

        @Override
        public synchronized Throwable getCause() {
            throw new HostileError();
        }
    }

    static Object hostile(Integer input) {
        switch (input) {
            case 1 -> {
                return new BrokenRecord("x");
            }
            case 2 -> throw new NoStackException(false);
            case 3 -> throw new NoStackException(true);
            case 4 -> throw new HostileError();
            case 5 -> {
                // The usual idiom after catching InterruptedException leaves the flag set.
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            default -> {
                return "ok " + input;
            }
        }
    }

    private static <T> T within(java.util.function.Supplier<T> call) throws Exception {
        return CompletableFuture.supplyAsync(call).get(CALL_SECONDS, TimeUnit.SECONDS);
    }

    private static void assertFailures(List<TaskResult<Object>> results) {
        TaskSerializationException bean = assertInstanceOf(TaskSerializationException.class, results.get(1).failure());
        assertEquals(TaskSerializationException.Subject.RESULT, bean.what());
        assertTrue(bean.getMessage().contains(BrokenRecord.class.getName()), bean.getMessage());
        assertTrue(bean.getMessage().contains("this accessor always fails"), bean.getMessage());
        for (int i = 2; i <= 4; i++) {
            TaskFailedException e = assertInstanceOf(TaskFailedException.class, results.get(i).failure(), "input " + i);
            assertEquals(i, e.inputIndex());
        }
        assertEquals(NoStackException.class.getName(), ((TaskFailedException) results.get(2).failure()).remoteClassName());
        assertEquals("the stack is hidden", ((TaskFailedException) results.get(2).failure()).remoteMessage());
        assertEquals(NoStackException.class.getName(), ((TaskFailedException) results.get(3).failure()).remoteClassName());
        assertEquals(HostileError.class.getName(), ((TaskFailedException) results.get(4).failure()).remoteClassName());
        assertEquals("interrupted", results.get(5).value());
        for (int i : new int[] {0, 6, 7}) {
            assertEquals("ok " + i, results.get(i).value());
        }
    }

    private static final List<Integer> INPUTS = List.of(0, 1, 2, 3, 4, 5, 6, 7);

    @Test
    void mapResults_hostileResultsAndExceptions_failOnlyTheirInputsAndWorkerLives() throws Exception {
        try (ProcessPool<Integer, Object> pool = ProcessPool.builder().size(1).build()) {
            List<Long> before = pool.workerPids();
            assertFailures(within(() -> pool.mapResults(TaskThreadTest::hostile, INPUTS)));
            // Once more, one input per call: the task thread took the next call after each of them.
            for (int i : INPUTS) {
                TaskResult<Object> one = within(() -> pool.mapResults(TaskThreadTest::hostile, List.of(i))).get(0);
                assertEquals(i == 0 || i >= 5, one.isSuccess(), "input " + i + ": " + one);
            }
            assertEquals(before, pool.workerPids());
        }
    }

    @Test
    void mapResults_hostileResultsWithTimeout_areNotReportedAsTimeouts() throws Exception {
        try (Pool<Integer, Object> pool =
                ProcessPool.builder().size(1).taskTimeout(Duration.ofSeconds(30)).build()) {
            assertFailures(within(() -> pool.mapResults(TaskThreadTest::hostile, INPUTS)));
        }
    }

    /**
     * In a worker: arranges for the task thread to be stopped once it waits for its next job, that
     * is outside any task, where no guard of an input can catch what is thrown.
     */
    static String stopTaskThreadWhenIdle(String input) {
        Thread taskThread = Thread.currentThread();
        Thread stopper = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (taskThread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                    Thread.sleep(5); // polling another thread's state, in a throwaway worker
                }
                Thread.class.getMethod("stop").invoke(taskThread);
            } catch (ReflectiveOperationException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        stopper.setDaemon(true);
        stopper.start();
        return "armed";
    }

    @Test
    void taskThreadFailsOutsideAnyTask_workerExitsIsReportedAsCrashedAndReplaced() throws Exception {
        // Thread.stop is the only way left to throw into another thread; JDK 20+ refuse it.
        assumeTrue(Runtime.version().feature() < 20, "Thread.stop works up to JDK 19");
        List<PoolException> causes = new CopyOnWriteArrayList<>();
        PoolListener listener = new PoolListener() {
            @Override
            public void onWorkerStopped(WorkerStats worker, PoolException cause) {
                causes.add(cause);
            }
        };
        try (ProcessPool<String, String> pool = ProcessPool.builder().size(1).listener(listener).build()) {
            long pid = pool.workerPids().get(0);
            assertEquals(List.of("armed"), within(() -> pool.map(TaskThreadTest::stopTaskThreadWhenIdle, List.of("x"))));
            Leftovers.await("the worker to be reported stopped", () -> !causes.isEmpty());
            WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class, causes.get(0));
            assertEquals(pid, crash.pid());
            assertEquals(72, crash.exitCode());
            // The reason from the worker's stderr: ThreadDeath, or what it left behind in the queue's lock.
            assertTrue(crash.getMessage().contains("its task thread failed") && crash.getMessage().contains("(java.lang."),
                    crash.getMessage());
            // Its replacement runs the next call.
            assertEquals(List.of("ok 0"), within(() -> pool.map(s -> "ok " + s, List.of("0"))));
        }
    }
}
