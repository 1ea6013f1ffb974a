package io.github.pool4j.hazelcast;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Tasks the fault tests run on members. Public static methods, so members load them from their
 * class path; they coordinate with the test through files.
 */
public final class ClusterTasks {

    /** How long a marked task waits for its gate before it gives up, so nothing waits forever. */
    public static final long GATE_MAX_WAIT_MILLIS = 60_000;

    private ClusterTasks() {}

    /**
     * An input that makes {@link #markAndWait} write {@code dir/started-<value>} (holding the
     * member's pid) and wait until {@code dir/gate} exists.
     *
     * @param dir the directory shared with the test
     * @param value what the task returns, times 10
     */
    public record Marker(String dir, int value) {}

    /**
     * A value Jackson cannot write: its only property throws.
     *
     * @param value ignored
     */
    public record Unwritable(int value) {
        /**
         * Throws.
         *
         * @return never
         */
        @Override
        public int value() {
            throw new IllegalStateException("this value cannot be read");
        }
    }

    /**
     * Records that it started on this member (its pid), waits for the gate, returns {@code value * 10}.
     *
     * @param marker the input
     * @return {@code marker.value() * 10}
     * @throws IOException if the started file cannot be written
     * @throws InterruptedException if interrupted while waiting
     */
    public static Integer markAndWait(Marker marker) throws IOException, InterruptedException {
        Path dir = Path.of(marker.dir());
        // Written aside and moved in, so the test never reads a started file half written.
        Path partial = Files.createTempFile(dir, "partial-", ".tmp");
        Files.writeString(partial, Long.toString(ProcessHandle.current().pid()));
        Files.move(partial, dir.resolve("started-" + marker.value()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GATE_MAX_WAIT_MILLIS);
        while (!Files.exists(dir.resolve("gate"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gate never opened");
            }
            Thread.sleep(5);
        }
        return marker.value() * 10;
    }

    /**
     * Sleeps {@code millis}, returns it.
     *
     * @param millis how long
     * @return {@code millis}
     * @throws InterruptedException if interrupted
     */
    public static Integer sleep(Integer millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }

    /**
     * Returns {@code "#" + x}.
     *
     * @param x anything
     * @return its description
     */
    public static String describe(Object x) {
        return "#" + x;
    }

    /**
     * Returns a value that cannot be written for input 1, else the input.
     *
     * @param x the input
     * @return a result
     */
    public static Object unwritableAt1(Integer x) {
        return x == 1 ? new Unwritable(x) : x;
    }
}
