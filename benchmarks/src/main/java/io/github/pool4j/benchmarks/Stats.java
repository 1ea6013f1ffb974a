package io.github.pool4j.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Minimum, median and maximum of a few repeats: with five repeats on a shared machine the
 * spread says more than a mean and a standard deviation would.
 *
 * @param min the smallest value
 * @param median the middle value (mean of the two middle ones for an even count)
 * @param max the largest value
 */
record Stats(double min, double median, double max) {

    /** Returns the statistics of {@code values}, which must not be empty. */
    static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(sorted.get(0), median, sorted.get(n - 1));
    }
}
