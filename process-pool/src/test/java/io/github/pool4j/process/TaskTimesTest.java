package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.PoolListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workers time their tasks only for calls someone listens to (the clock costs more than a trivial
 * task): the choice is made per call, so a listener on one call hears every task of it even when
 * the calls around it go untimed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskTimesTest {

    @AfterEach
    void nothingLeft() {
        Leftovers.assertNone();
    }

    static Integer sleepThenDouble(Integer millis) throws InterruptedException {
        Thread.sleep(millis);
        return 2 * millis;
    }

    @Test
    void aCallsListenerHearsEachTasksTime_betweenUntimedCallsOnTheSamePool() {
        List<Integer> inputs = List.of(30, 30, 30, 30);
        List<Integer> doubled = List.of(60, 60, 60, 60);
        try (Pool<Integer, Integer> pool = ProcessPool.builder().size(2).build()) {
            // Untimed calls first: the workers must not carry that over to the listened call.
            assertEquals(doubled, pool.map(TaskTimesTest::sleepThenDouble, inputs));
            assertEquals(60, pool.submit(TaskTimesTest::sleepThenDouble, 30).join());

            List<Duration> times = new CopyOnWriteArrayList<>();
            PoolListener timer = new PoolListener() {
                @Override
                public void onTaskFinished(long callId, Duration duration) {
                    times.add(duration);
                }
            };
            for (int chunkSize : new int[] {1, 4}) {
                times.clear();
                assertEquals(doubled, pool.map(TaskTimesTest::sleepThenDouble, inputs,
                        CallOptions.chunkSize(chunkSize).withListener(timer)));
                assertEquals(inputs.size(), times.size(), "chunk size " + chunkSize + ": " + times);
                for (Duration time : times) {
                    // Measured around the task in the worker: at least its sleep, far below the call.
                    assertTrue(time.toMillis() >= 25 && time.toMillis() < 5_000, "chunk size " + chunkSize + ": " + times);
                }
            }

            times.clear();
            assertEquals(doubled, pool.map(TaskTimesTest::sleepThenDouble, inputs));
            assertEquals(List.of(), times, "a call without the listener tells it nothing");
        }
    }
}
