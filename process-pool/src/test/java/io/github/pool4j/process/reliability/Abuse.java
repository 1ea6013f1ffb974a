package io.github.pool4j.process.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.process.Leftovers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the reliability tests share: the scale switch, signals, and the checks that nothing of a pool
 * is left behind (worker processes, their children, {@code pool4j-} threads, file descriptors).
 *
 * <p>The default scale keeps the whole reliability set under two minutes on a 2-core machine;
 * {@code -Dpool4j.reliability.full=true} runs the full sizes.
 */
final class Abuse {

    /** Whether to run the full-size variants. */
    static final boolean FULL = Boolean.getBoolean("pool4j.reliability.full");

    private Abuse() {}

    /** {@code small} normally, {@code full} under {@code -Dpool4j.reliability.full=true}. */
    static int scale(int small, int full) {
        return FULL ? full : small;
    }

    /** Prints a figure for the report, one {@code key value} line the build log keeps. */
    static void figure(String test, String name, Object value) {
        System.out.println("[reliability] " + test + " " + name + " " + value);
    }

    // ---- signals --------------------------------------------------------------------------------

    /** Sends {@code signal} (such as {@code "KILL"}, {@code "STOP"}, {@code "CONT"}) with kill(1). */
    static boolean signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    // ---- leftovers ------------------------------------------------------------------------------

    /**
     * Live threads whose name starts with {@code pool4j-}, but the shared daemons that belong to no
     * pool ({@code pool4j-callback-N}, {@code pool4j-cleaner}).
     */
    static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("pool4j-") && !n.startsWith("pool4j-callback-") && !n.equals("pool4j-cleaner"))
                .toList();
    }

    /** The number of open file descriptors of this JVM, from {@code /proc/self/fd}. */
    static int openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count() - 1; // the directory stream's own descriptor
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
    }

    /** The number of open pipes of this JVM: each worker holds three while it lives. */
    static long openPipes() {
        return fdTargets().stream().filter(t -> t.contains("->pipe:")).count();
    }

    /** What each open file descriptor of this JVM points to ({@code pipe:[...]}, a path), for messages. */
    static List<String> fdTargets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return fd.getFileName() + "->" + Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    return fd.getFileName() + "->?";
                }
            }).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
    }

    /** Asserts no worker process, no descendant and no pool thread is left, waiting up to 10 s for them. */
    static void assertNothingLeft() {
        Leftovers.awaitNoProcesses("worker processes", Leftovers::workerProcesses);
        Leftovers.awaitNoProcesses("descendant processes", Leftovers::descendants);
        Leftovers.awaitEmpty("pool4j threads", Abuse::poolThreads);
    }

    /** Waits up to {@code seconds} for {@code probe} to fall to {@code max}; fails with {@code detail} if it never does. */
    static void awaitAtMost(String what, long max, long seconds, LongSupplier probe, Supplier<?> detail) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (probe.getAsLong() > max && System.nanoTime() < deadline) {
            pause();
        }
        long now = probe.getAsLong();
        assertTrue(now <= max, what + ": " + now + ", expected at most " + max + "; " + detail.get());
    }

    /** Waits up to {@code seconds} for {@code condition}; fails naming {@code what} if it never holds. */
    static void await(String what, long seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out after " + seconds + " s waiting for " + what);
            pause();
        }
    }

    /** Polls an outside condition (a process exit, a file); never used to order threads of this JVM. */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
