package io.github.pool4j.contract;

import io.github.pool4j.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tasks the contract suite runs. They are static methods of this public class (or lambdas
 * made here that capture only plain values), so a process pool can ship them to another JVM by
 * name; coordination across processes goes through files and return values, never shared objects.
 */
public final class ContractTasks {

    /** How long a gated task waits for its file before giving up, so nothing hangs forever. */
    public static final long GATE_MAX_WAIT_MILLIS = 60_000;

    private ContractTasks() {}

    /**
     * An input that makes {@link #awaitGate} block until a file exists.
     *
     * @param awaitPath the file to wait for, or {@code null} to return at once
     * @param startedPath a file to create when the task starts, or {@code null}
     * @param value what the task returns
     */
    public record Gate(String awaitPath, String startedPath, int value) {}

    /**
     * A record input and result, to check records travel.
     *
     * @param x first component
     * @param y second component
     */
    public record Point(int x, int y) {}

    /**
     * Returns {@code x * x}.
     *
     * @param x the input
     * @return its square
     */
    public static Integer square(Integer x) {
        return x * x;
    }

    /**
     * Returns {@code "null"} or the input's decimal form.
     *
     * @param x the input, possibly null
     * @return a description
     */
    public static String describe(Integer x) {
        return x == null ? "null" : "#" + x;
    }

    /**
     * Throws for multiples of 3, returns the input otherwise.
     *
     * @param x the input
     * @return {@code x}
     */
    public static Integer failOnMultiplesOf3(Integer x) {
        if (x % 3 == 0) {
            throw new IllegalStateException("bad " + x);
        }
        return x;
    }

    /**
     * Throws a checked {@link java.io.IOException} with a cause and a suppressed exception.
     *
     * @param x the input
     * @return never
     * @throws java.io.IOException always
     */
    public static Integer failWithIoException(Integer x) throws java.io.IOException {
        java.io.IOException e = new java.io.IOException("io " + x, new IllegalArgumentException("root " + x));
        e.addSuppressed(new IllegalStateException("closing " + x));
        throw e;
    }

    /**
     * Throws for 30 after a pause and for 70 at once, so 70 usually fails first in time while 30
     * is first in input order.
     *
     * @param x the input
     * @return {@code x}
     * @throws InterruptedException if interrupted while pausing
     */
    public static Integer failAt30SlowlyAnd70Fast(Integer x) throws InterruptedException {
        if (x == 30) {
            Thread.sleep(300);
            throw new IllegalStateException("bad " + x);
        }
        if (x == 70) {
            throw new IllegalStateException("bad " + x);
        }
        return x;
    }

    /**
     * Sleeps {@code millis} and returns it.
     *
     * @param millis how long to sleep
     * @return {@code millis}
     * @throws InterruptedException if interrupted
     */
    public static Integer sleepMillisThenReturn(Integer millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }

    /**
     * Creates the gate's started file, waits until its await file exists, returns its value.
     *
     * @param gate the gate
     * @return the gate's value
     * @throws InterruptedException if interrupted while waiting
     * @throws IOException if the started file cannot be written
     * @throws IllegalStateException if the file does not appear within {@link #GATE_MAX_WAIT_MILLIS}
     */
    public static Integer awaitGate(Gate gate) throws InterruptedException, IOException {
        if (gate.startedPath() != null) {
            Files.writeString(Path.of(gate.startedPath()), "started");
        }
        if (gate.awaitPath() != null) {
            Path path = Path.of(gate.awaitPath());
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GATE_MAX_WAIT_MILLIS);
            while (!Files.exists(path)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("gate " + path + " never opened");
                }
                Thread.sleep(5);
            }
        }
        return gate.value();
    }

    /**
     * Returns the sum of the list.
     *
     * @param values the list
     * @return the sum
     */
    public static Integer sum(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Returns the string's length as a Long.
     *
     * @param s the string
     * @return its length
     */
    public static Long length(String s) {
        return (long) s.length();
    }

    /**
     * Returns the point mirrored on the diagonal.
     *
     * @param p the point
     * @return {@code (y, x)}
     */
    public static Point swap(Point p) {
        return new Point(p.y(), p.x());
    }

    /**
     * Returns a lambda that adds {@code offset}: a task capturing a plain value.
     *
     * @param offset what to add
     * @return the task
     */
    public static Task<Integer, Integer> addOffset(int offset) {
        return x -> x + offset;
    }
}
