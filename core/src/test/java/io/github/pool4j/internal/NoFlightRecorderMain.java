package io.github.pool4j.internal;

import io.github.pool4j.Pool;
import io.github.pool4j.SerialPool;
import io.github.pool4j.TaskFailedException;
import java.util.List;

/** Runs a pool (a call, a failure, the listener) in a JVM started without the jdk.jfr module. */
public final class NoFlightRecorderMain {

    private NoFlightRecorderMain() {}

    public static void main(String[] args) {
        String failure = "none";
        List<Integer> mapped;
        try (Pool<Integer, Integer> pool = SerialPool.builder().build()) {
            mapped = pool.map(x -> x + 1, List.of(1, 2));
            try {
                pool.map(x -> {
                    throw new IllegalStateException("x");
                }, List.of(1));
            } catch (TaskFailedException e) {
                failure = e.getClass().getSimpleName();
            }
        }
        System.out.println("jfr=" + Flight.AVAILABLE + " map=" + mapped + " failure=" + failure);
    }
}
