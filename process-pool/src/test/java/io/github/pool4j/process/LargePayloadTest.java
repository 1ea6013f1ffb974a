package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pool4j.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LargePayloadTest {

    @AfterEach
    void nothingLeft() {
        Leftovers.assertNone();
    }

    static List<Integer> plusOne(List<Integer> values) {
        List<Integer> out = new ArrayList<>(values.size());
        for (int v : values) {
            out.add(v + 1);
        }
        return out;
    }

    /** The blog's memory experiment: each of 3 workers gets a 1,000,000-element list and returns it plus one. */
    @Test
    void map_millionElementListPerWorker_completes() {
        List<Integer> million = IntStream.range(0, 1_000_000).boxed().toList();
        try (Pool<List<Integer>, List<Integer>> pool = ProcessPool.builder().size(3).build()) {
            List<List<Integer>> results = pool.map(LargePayloadTest::plusOne, List.of(million, million, million));
            assertEquals(3, results.size());
            for (List<Integer> result : results) {
                assertEquals(1_000_000, result.size());
                assertEquals(1, result.get(0));
                assertEquals(1_000_000, result.get(999_999));
            }
        }
    }

    @Test
    void map_manySmallInputs_fromConcurrentCallers_allCorrect() throws Exception {
        try (Pool<Integer, Integer> pool = ProcessPool.builder().size(2).build()) {
            List<Thread> callers = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int c = 0; c < 4; c++) {
                int offset = c * 100_000;
                Thread caller = new Thread(() -> {
                    try {
                        List<Integer> inputs = IntStream.range(offset, offset + 20_000).boxed().toList();
                        List<Integer> results = pool.map(x -> x * 2, inputs);
                        for (int i = 0; i < inputs.size(); i++) {
                            assertEquals(inputs.get(i) * 2, results.get(i));
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
                callers.add(caller);
                caller.start();
            }
            for (Thread caller : callers) {
                caller.join(TimeUnit.SECONDS.toMillis(120));
            }
            assertEquals(List.of(), failures);
        }
    }
}
