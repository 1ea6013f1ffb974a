package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pool4j.Pool;
import io.github.pool4j.Task;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task without fields is shipped to a worker once and later calls run on what the worker loaded;
 * a task with state is shipped and loaded afresh for each call, so no call sees another's changes
 * (as Python unpickles a fresh copy); tasks the parent or the worker forgot are shipped again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskReuseTest {

    @AfterEach
    void nothingLeft() {
        Leftovers.assertNone();
    }

    /** Counts the calls of the instance that runs it. */
    static final class Counting implements Task<Integer, Integer> {
        private final int start;
        private int calls;

        Counting(int start) {
            this.start = start;
        }

        @Override
        public Integer apply(Integer x) {
            return start + ++calls;
        }
    }

    @Test
    void taskWithState_eachCallRunsAFreshCopy_evenTheSameInstanceSubmittedAgain() {
        Counting same = new Counting(0);
        try (Pool<Integer, Integer> pool = ProcessPool.builder().size(1).build()) {
            assertEquals(1, pool.submit(new Counting(0), 0).join());
            assertEquals(1, pool.submit(new Counting(0), 0).join());
            assertEquals(1, pool.submit(same, 0).join());
            assertEquals(1, pool.submit(same, 0).join());
            assertEquals(101, pool.submit(new Counting(100), 0).join());
            // Within one call the worker runs its inputs on one copy, in order.
            assertEquals(List.of(1, 2, 3), pool.map(same, List.of(0, 0, 0)));
            assertEquals(List.of(1, 2), pool.map(same, List.of(0, 0)));
        }
    }

    static Integer plusOne(Integer x) {
        return x + 1;
    }

    @Test
    void taskWithoutFields_submittedAgainAndAgain_staysCorrect() {
        try (Pool<Integer, Integer> pool = ProcessPool.builder().size(2).build()) {
            for (int i = 0; i < 200; i++) {
                assertEquals(i + 1, pool.submit(TaskReuseTest::plusOne, i).join());
            }
            assertEquals(List.of(2, 3), pool.map(TaskReuseTest::plusOne, List.of(1, 2)));
        }
    }

    @Test
    void manyDistinctTasks_cyclingPastBothEndsCaches_stayCorrect() {
        try (Pool<Integer, Integer> pool = ProcessPool.builder().size(2).build()) {
            // More distinct tasks than the parent remembers per worker and than a worker keeps loaded,
            // then the first ones again: each call must run its own task.
            for (int round = 0; round < 2; round++) {
                for (int k = 0; k < 150; k++) {
                    int offset = k;
                    assertEquals(k + 1, pool.submit(x -> x + offset, 1).join(), "task " + k + ", round " + round);
                }
            }
            assertEquals(List.of(8, 9), pool.map(x -> x + 7, List.of(1, 2)));
        }
    }
}
