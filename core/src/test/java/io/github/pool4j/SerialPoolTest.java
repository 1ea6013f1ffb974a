package io.github.pool4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SerialPool beyond the contract: it runs tasks in the caller's thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SerialPoolTest {

    @Test
    void map_runsEveryTaskInTheCallersThread() {
        try (Pool<Integer, String> pool = SerialPool.create()) {
            String caller = Thread.currentThread().getName();
            assertEquals(List.of(caller, caller, caller), pool.map(x -> Thread.currentThread().getName(), List.of(1, 2, 3)));
        }
    }

    @Test
    void size_isOneByDefaultAndWhatTheBuilderSays() {
        try (Pool<Integer, Integer> one = SerialPool.create();
                Pool<Integer, Integer> four = SerialPool.builder().size(4).build()) {
            assertEquals(1, one.size());
            assertEquals(4, four.size());
        }
    }

    @Test
    void stats_reportTheCallerAsItsOnlyWorker() {
        try (Pool<Integer, Integer> pool = SerialPool.create()) {
            pool.map(x -> x, List.of(1, 2, 3));
            List<WorkerStats> workers = pool.stats().workers();
            assertEquals(1, workers.size());
            assertEquals(3, workers.get(0).tasksDone());
            assertEquals(ProcessHandle.current().pid(), workers.get(0).pid());
        }
    }

    @Test
    void taskTimeout_interruptsTheCallerOnlyForThatTask() {
        try (Pool<Integer, Integer> pool = SerialPool.builder().taskTimeout(Duration.ofMillis(300)).build()) {
            TaskTimeoutException e = assertThrows(TaskTimeoutException.class, () -> pool.map(x -> {
                Thread.sleep(60_000);
                return x;
            }, List.of(1)));
            assertEquals(0, e.inputIndex());
            assertFalse(Thread.currentThread().isInterrupted(), "the watchdog's interrupt does not leak to the caller");
            assertEquals(List.of(2), pool.map(x -> x + 1, List.of(1)));
        }
    }

    /** Regression: the watchdog reported under the iterator's lock while the caller held it: deadlock. */
    @Test
    void imap_taskPastTimeout_failsThatInputInsteadOfHanging() throws Exception {
        List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        // In its own daemon thread, so a regression fails the test instead of hanging the build.
        Thread consumer = new Thread(() -> {
            try (Pool<Integer, Integer> pool = SerialPool.builder().taskTimeout(Duration.ofMillis(300)).build();
                    ResultIterator<Integer> it = pool.imap(ContractSleep::sleepThenReturn, List.of(1, 60_000, 2))) {
                while (it.hasNext()) {
                    try {
                        seen.add(it.next());
                    } catch (TaskTimeoutException e) {
                        seen.add("timeout #" + e.inputIndex());
                    }
                }
            }
        }, "imap-consumer");
        consumer.setDaemon(true);
        consumer.start();
        consumer.join(30_000);
        assertFalse(consumer.isAlive(), "imap finished");
        assertEquals(List.of(1, "timeout #1", 2), seen);
    }

    /** A task as a static method. */
    static final class ContractSleep {
        static Integer sleepThenReturn(Integer millis) throws InterruptedException {
            Thread.sleep(millis);
            return millis;
        }
    }

    @Test
    void map_taskThrowsAnError_failsAsTaskFailureWithTheErrorAsCause() {
        try (Pool<Integer, Integer> pool = SerialPool.create()) {
            AssertionError error = new AssertionError("broken invariant");
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.map(x -> {
                throw error;
            }, List.of(1)));
            assertSame(error, e.getCause());
        }
    }

    @Test
    void map_taskRunsOutOfMemory_theErrorReachesTheCallerUnwrapped() {
        try (Pool<Integer, Integer> pool = SerialPool.create()) {
            OutOfMemoryError oom = new OutOfMemoryError("simulated");
            assertSame(oom, assertThrows(OutOfMemoryError.class, () -> pool.map(x -> {
                throw oom;
            }, List.of(1, 2))));
            assertEquals(List.of(1), pool.map(x -> x, List.of(1)), "the pool still works");
        }
    }

    @Test
    void terminate_fromAnotherThread_cancelsTheCallersRemainingInputs() throws Exception {
        Pool<Integer, Integer> pool = SerialPool.builder().chunkSize(1).build();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread terminator = new Thread(() -> {
            try {
                running.await(30, TimeUnit.SECONDS);
                pool.terminate();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                release.countDown();
            }
        });
        terminator.start();
        List<Integer> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        PoolClosedException e = assertThrows(PoolClosedException.class, () -> pool.map(x -> {
            ran.add(x);
            if (x == 0) {
                running.countDown();
                release.await(30, TimeUnit.SECONDS);
            }
            return x;
        }, List.of(0, 1, 2)));
        assertEquals(0, e.inputIndex(), "the running input's result is discarded by terminate()");
        assertEquals(List.of(0), ran, "the inputs after it never ran");
        terminator.join(30_000);
        assertTrue(pool.isClosed());
        assertEquals(0, pool.stats().pending());
    }

    @Test
    void map_callerAlreadyInterrupted_runsNothingAndKeepsTheFlag() {
        try (Pool<Integer, Integer> pool = SerialPool.create()) {
            Thread.currentThread().interrupt();
            try {
                PoolException e = assertThrows(PoolException.class, () -> pool.map(x -> {
                    throw new AssertionError("must not run");
                }, List.of(1, 2)));
                assertInstanceOf(InterruptedException.class, e.getCause());
                assertTrue(Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
            assertEquals(0, pool.stats().completed());
            assertEquals(0, pool.stats().failed(), "inputs not run are not failures");
            assertEquals(2, pool.stats().cancelled());
        }
    }
}
