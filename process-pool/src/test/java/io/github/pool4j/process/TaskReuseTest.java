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
 * A task submitted again with the same definition (class and state) is shipped to a worker once:
 * the worker runs later calls on the instance it loaded; a task with other state is another task,
 * and tasks the parent or the worker forgot are shipped again.
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
    void submit_sameTaskAgain_runsOnTheInstanceTheWorkerLoadedBefore() {
        try (Pool<Integer, Integer> pool = ProcessPool.builder().size(1).build()) {
            assertEquals(1, pool.submit(new Counting(0), 0).join());
            // Shipped again with the same state: the worker already holds it and is not sent it again.
            assertEquals(2, pool.submit(new Counting(0), 0).join());
            assertEquals(3, pool.submit(new Counting(0), 0).join());
            // Other state, another task.
            assertEquals(101, pool.submit(new Counting(100), 0).join());
            assertEquals(4, pool.submit(new Counting(0), 0).join());
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
