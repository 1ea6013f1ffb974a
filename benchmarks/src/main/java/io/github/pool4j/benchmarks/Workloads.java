package io.github.pool4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The tasks every benchmark runs, as static methods so a {@code ProcessPool} can ship them by
 * reference ({@code Workloads::identity}), and the inputs they run on.
 *
 * <p>Each method has a twin of the same name in {@code benchmarks/python/twins.py}; the two must
 * stay the same computation on the same inputs, or the comparison means nothing.
 *
 * <p>Thread-safety: all methods are stateless and safe to call from any thread.
 */
public final class Workloads {

    /** System property read by {@link #plusOneAndHold} in whichever JVM runs it. */
    public static final String HOLD_MILLIS_PROPERTY = "pool4j.bench.holdMillis";

    private Workloads() {}

    /**
     * Returns its input: the trivial task whose cost is all pool overhead.
     *
     * @param x the input
     * @return {@code x}
     */
    public static Integer identity(Integer x) {
        return x;
    }

    /**
     * Burns CPU for {@code iterations} steps of a 64-bit mixing loop and returns the state, so
     * the JIT cannot drop the loop. Pure Java, no allocation, no memory traffic: the CPU-bound
     * scenario scales only with the cores it gets.
     *
     * @param iterations how many steps (about 1 ns each once compiled)
     * @return the mixed state
     */
    public static Long spin(Integer iterations) {
        long x = iterations;
        for (int i = 0; i < iterations; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 29;
        }
        return x;
    }

    /**
     * Returns its input unchanged: the payload benchmark's round trip.
     *
     * @param bytes the payload
     * @return {@code bytes}
     */
    public static byte[] echoBytes(byte[] bytes) {
        return bytes;
    }

    /**
     * Returns its input unchanged: the payload benchmark's round trip.
     *
     * @param text the payload
     * @return {@code text}
     */
    public static String echoString(String text) {
        return text;
    }

    /**
     * Returns its input unchanged: the payload benchmark's round trip.
     *
     * @param numbers the payload
     * @return {@code numbers}
     */
    public static List<Integer> echoList(List<Integer> numbers) {
        return numbers;
    }

    /**
     * The blog's memory experiment: returns a new list of each number plus one, then holds it
     * for {@value #HOLD_MILLIS_PROPERTY} milliseconds (0 if unset) so the memory of every worker
     * can be sampled while all of them hold their copies.
     *
     * @param numbers the input list
     * @return the numbers plus one
     * @throws InterruptedException if interrupted while holding
     */
    public static List<Integer> plusOneAndHold(List<Integer> numbers) throws InterruptedException {
        List<Integer> result = new ArrayList<>(numbers.size());
        for (Integer n : numbers) {
            result.add(n + 1);
        }
        long hold = Long.getLong(HOLD_MILLIS_PROPERTY, 0L);
        if (hold > 0) {
            Thread.sleep(hold);
        }
        return result;
    }

    /**
     * Returns the integers {@code 0..n-1}: the trivial scenarios' inputs.
     *
     * @param n how many
     * @return a new mutable list
     */
    public static List<Integer> range(int n) {
        List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }

    /**
     * Returns a payload of the given kind whose raw size is about {@code bytes}: {@code bytes}
     * random bytes, an ASCII string of {@code bytes} characters, or {@code bytes / 4} integers
     * (4 bytes each, as an {@code int32}).
     *
     * @param kind the payload kind
     * @param bytes the nominal size in bytes
     * @return the payload
     */
    public static Object payload(PayloadKind kind, int bytes) {
        switch (kind) {
            case BYTES:
                byte[] data = new byte[bytes];
                new Random(42).nextBytes(data);
                return data;
            case STRING:
                return "x".repeat(bytes);
            case INTS:
                return range(Math.max(1, bytes / 4));
            default:
                throw new IllegalArgumentException("unknown payload kind " + kind);
        }
    }

    /**
     * Finds how many {@link #spin} iterations take about {@code targetMillis} in this JVM once
     * compiled (the CPU-bound scenario's "~20 ms of pure Java").
     *
     * @param targetMillis the wanted duration of one task
     * @return the iteration count
     */
    public static int calibrateSpin(double targetMillis) {
        int iterations = 1_000_000;
        long sink = 0;
        // Warm the loop into C2 first; a guess from interpreted runs would be 50x off.
        for (int i = 0; i < 20; i++) {
            sink += spin(iterations);
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            sink += spin(iterations);
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        if (sink == 42) {
            System.out.print("");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, iterations * targetMillis / best));
    }

    /** The payload kinds of the bandwidth scenario. */
    public enum PayloadKind {
        /** {@code byte[]} (Python {@code bytes}). */
        BYTES,
        /** {@code String} (Python {@code str}). */
        STRING,
        /** {@code List<Integer>} (Python {@code list[int]}). */
        INTS
    }
}
