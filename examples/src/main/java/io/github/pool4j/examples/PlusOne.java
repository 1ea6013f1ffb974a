package io.github.pool4j.examples;

import io.github.pool4j.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The post's memory experiment task: returns the list it was given, each number plus one, then
 * sleeps so the process table can be taken while every worker holds its lists.
 *
 * <pre>{@code
 * def plus_one(numbers):
 *     result = [n + 1 for n in numbers]
 *     sleep(5)
 *     return result
 * }</pre>
 *
 * @param sleepMillis how long to sleep before returning
 * @param checkpointDir the {@link Checkpoint} directory, marked before sleeping
 */
record PlusOne(long sleepMillis, String checkpointDir) implements Task<List<Integer>, List<Integer>> {

    @Override
    public List<Integer> apply(List<Integer> numbers) throws InterruptedException {
        List<Integer> result = new ArrayList<>(numbers.size());
        for (Integer n : numbers) {
            result.add(n + 1);
        }
        Checkpoint.arrive(checkpointDir);
        Thread.sleep(sleepMillis);
        return result;
    }
}
