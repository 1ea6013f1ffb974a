package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.ResultIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker gathers the outcomes of quick inputs into one frame but sends each outcome of a slow
 * input before the next input ends (it switches between the two as the inputs' durations change),
 * so results of a chunk show up while the rest of it runs, and none is lost either way.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResultFlushTest {

    private static final int SLOW_MILLIS = 400;

    @AfterEach
    void nothingLeft() {
        Leftovers.assertNone();
    }

    /** Sleeps {@code millis} when it is positive, then returns it. */
    static Integer sleep(Integer millis) throws InterruptedException {
        if (millis > 0) {
            Thread.sleep(millis);
        }
        return millis;
    }

    @Test
    void slowInputsOfOneChunk_eachResultArrivesWhileTheNextInputRuns() {
        List<Integer> inputs = List.of(SLOW_MILLIS, SLOW_MILLIS, SLOW_MILLIS, SLOW_MILLIS);
        try (Pool<Integer, Integer> pool = ProcessPool.builder().size(1).build()) {
            pool.map(ResultFlushTest::sleep, List.of(0)); // the worker is up before the clock starts
            long start = System.nanoTime();
            List<Long> arrivals = new ArrayList<>();
            try (ResultIterator<Integer> results = pool.imap(ResultFlushTest::sleep, inputs, CallOptions.chunkSize(4))) {
                while (results.hasNext()) {
                    assertEquals(SLOW_MILLIS, results.next());
                    arrivals.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
            }
            assertEquals(inputs.size(), arrivals.size());
            for (int i = 0; i < inputs.size() - 1; i++) {
                // Result i is ready at about (i + 1) × 400 ms; held until the chunk ends it would come at 1,600.
                assertTrue(arrivals.get(i) < (i + 2L) * SLOW_MILLIS, "result " + i + " arrived at " + arrivals);
            }
        }
    }

    @Test
    void slowThenQuickThenSlowInputsInOneCall_everyResultArrivesInOrder() {
        List<Integer> inputs = new ArrayList<>();
        inputs.addAll(List.of(30, 30, 30));
        IntStream.range(0, 5_000).forEach(i -> inputs.add(0));
        inputs.addAll(List.of(30, 30, 30));
        IntStream.range(0, 5_000).forEach(i -> inputs.add(0));
        try (Pool<Integer, Integer> pool = ProcessPool.builder().size(2).build()) {
            for (int chunkSize : new int[] {1, 7, 5_000}) {
                assertEquals(inputs, pool.map(ResultFlushTest::sleep, inputs, CallOptions.chunkSize(chunkSize)),
                        "chunk size " + chunkSize);
            }
            assertEquals(List.of(0, 1, 2), pool.map(x -> x, List.of(0, 1, 2)));
        }
    }
}
