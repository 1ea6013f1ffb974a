package io.github.pool4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WatchdogTest {

    private final Watchdog watchdog = new Watchdog("test-watchdog");

    @AfterEach
    void close() throws InterruptedException {
        watchdog.close();
        // The thread is gone once close() returns and its queue is empty.
        for (int i = 0; i < 500 && threadAlive(); i++) {
            Thread.sleep(10);
        }
        assertFalse(threadAlive(), "the watchdog thread outlived close()");
    }

    private static boolean threadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("test-watchdog"));
    }

    @Test
    void disarmedInTime_expiryNeverRuns() throws InterruptedException {
        AtomicBoolean fired = new AtomicBoolean();
        Watchdog.Alarm alarm = watchdog.arm(TimeUnit.MILLISECONDS.toNanos(50), a -> {
            fired.set(true);
            return null;
        });
        assertTrue(alarm.disarm());
        Thread.sleep(150);
        assertFalse(fired.get());
        assertFalse(alarm.abandon(), "a run that returned in time cannot be abandoned");
    }

    @Test
    void pastItsDeadline_expiryStopsTheRunner_thenReports_andDisarmSaysLate() throws InterruptedException {
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch reported = new CountDownLatch(1);
        AtomicReference<Thread> seen = new AtomicReference<>();
        Watchdog.Alarm alarm = watchdog.arm(TimeUnit.MILLISECONDS.toNanos(20), a -> {
            seen.set(a.runner());
            order.add("stopped");
            a.runner().interrupt();
            return () -> {
                order.add("reported");
                reported.countDown();
            };
        });
        try {
            Thread.sleep(10_000);
        } catch (InterruptedException expected) {
            order.add("runner woke");
        }
        assertFalse(alarm.disarm());
        assertTrue(reported.await(5, TimeUnit.SECONDS));
        assertSame(Thread.currentThread(), seen.get());
        // The report may come before or after the runner goes on; the stop always comes first.
        assertEquals("stopped", order.get(0));
        assertEquals(3, order.size(), order.toString());
        assertFalse(alarm.wasAbandoned());
        assertFalse(alarm.abandon(), "the runner returned first");
    }

    @Test
    void reportingMayTakeALockTheRunnerHolds_noDeadlock() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch reported = new CountDownLatch(1);
        lock.lock();
        try {
            Watchdog.Alarm alarm = watchdog.arm(TimeUnit.MILLISECONDS.toNanos(10), a -> () -> {
                lock.lock(); // the runner holds it until after disarm(): blocks only the report
                try {
                    reported.countDown();
                } finally {
                    lock.unlock();
                }
            });
            Thread.sleep(100);
            assertFalse(alarm.disarm(), "disarm() returns although the report waits for this thread's lock");
        } finally {
            lock.unlock();
        }
        assertTrue(reported.await(5, TimeUnit.SECONDS));
    }

    @Test
    void abandonedBeforeTheRunnerReturns_theRunnerSeesIt() throws InterruptedException {
        CountDownLatch abandoned = new CountDownLatch(1);
        AtomicReference<Watchdog.Alarm> ref = new AtomicReference<>();
        Watchdog.Alarm alarm = watchdog.arm(TimeUnit.MILLISECONDS.toNanos(10), a -> () -> watchdog.later(
                TimeUnit.MILLISECONDS.toNanos(10), () -> {
                    if (ref.get().abandon()) {
                        abandoned.countDown();
                    }
                }));
        ref.set(alarm);
        assertTrue(abandoned.await(5, TimeUnit.SECONDS));
        assertFalse(alarm.disarm());
        assertTrue(alarm.wasAbandoned());
    }

    @RepeatedTest(20)
    void returnRacingTheDeadline_exactlyOneSideSettles() throws InterruptedException {
        AtomicInteger expiries = new AtomicInteger();
        Watchdog.Alarm alarm = watchdog.arm(TimeUnit.MICROSECONDS.toNanos(200), a -> {
            expiries.incrementAndGet();
            return null;
        });
        long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(200);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        boolean inTime = alarm.disarm();
        Thread.sleep(5);
        assertEquals(inTime ? 0 : 1, expiries.get());
        Thread.interrupted();
    }

    @Test
    void afterClose_laterIsIgnored_andArmRefuses() {
        watchdog.close();
        watchdog.later(1, () -> {
            throw new AssertionError("must not run");
        });
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.RejectedExecutionException.class,
                () -> watchdog.arm(1, a -> null));
    }
}
