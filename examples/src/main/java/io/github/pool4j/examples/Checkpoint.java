package io.github.pool4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Lets the caller wait until tasks have reached a point, whether they run in threads of this JVM
 * or in worker JVMs: each task creates a file named after its pid and native thread id in a
 * directory the caller watches.
 *
 * <p>The post ran {@code ps u} by hand while {@code say_hello} slept; the examples take that
 * snapshot themselves, and this is how they know the workers are asleep. A file is the smallest
 * thing both a thread and another process can leave behind.
 *
 * <p>Thread-safety: {@link #arrive} may be called from any thread of any process; one thread
 * awaits.
 */
final class Checkpoint implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(10);

    private final Path dir;

    private Checkpoint(Path dir) {
        this.dir = dir;
    }

    /** Creates a checkpoint backed by a new temporary directory. */
    static Checkpoint create() {
        try {
            return new Checkpoint(Files.createTempDirectory("pool4j-checkpoint-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a checkpoint directory", e);
        }
    }

    /** Returns the directory, as a string a task can carry to a worker JVM. */
    String dir() {
        return dir.toString();
    }

    /**
     * Records that the calling thread reached the checkpoint in {@code dir}.
     *
     * @throws UncheckedIOException if the file cannot be created
     */
    static void arrive(String dir) {
        long pid = ProcessHandle.current().pid();
        String name = pid + "-" + nativeThreadId() + "-" + UUID.randomUUID();
        try {
            Files.createFile(Path.of(dir, name));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("arrived twice: " + name, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record arrival in " + dir, e);
        }
    }

    /**
     * Waits until {@code count} tasks have arrived, {@code timeout} has passed, or
     * {@code giveUp} says waiting is pointless (say, the call already failed).
     *
     * @return who arrived so far, possibly fewer than {@code count}
     * @throws InterruptedException if the waiting thread is interrupted
     */
    List<Arrival> await(int count, Duration timeout, BooleanSupplier giveUp) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Arrival> arrivals = arrivals();
        while (arrivals.size() < count && System.nanoTime() - deadline < 0 && !giveUp.getAsBoolean()) {
            Thread.sleep(POLL.toMillis());
            arrivals = arrivals();
        }
        return arrivals;
    }

    private List<Arrival> arrivals() {
        List<Arrival> arrivals = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String[] parts = file.getFileName().toString().split("-", 3);
                arrivals.add(new Arrival(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return arrivals;
    }

    /** Deletes the directory and its files. */
    @Override
    public void close() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /**
     * Returns the kernel's id of the calling thread (the SPID column of {@code ps -T}), or
     * {@code -1} where {@code /proc/thread-self} does not exist.
     */
    static long nativeThreadId() {
        try {
            // "/proc/thread-self" links to "<pid>/task/<tid>".
            Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return Long.parseLong(link.getFileName().toString());
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * One task that reached the checkpoint.
     *
     * @param pid the process it ran in
     * @param tid its native thread id, or {@code -1} if unknown
     */
    record Arrival(long pid, long tid) {}
}
