package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Checks that nothing of a pool is left: worker processes (descendants of this JVM) and pool threads.
 *
 * <p>A process left behind fails the test that finds it, described ({@code ps}-like: pid, parent,
 * state, age, command line) so the failure says whose it is, and is then killed: one leak fails one
 * test, not every later one.
 */
public final class Leftovers {

    private static final String WORKER_MAIN = "io.github.pool4j.process.internal.WorkerMain";

    private Leftovers() {}

    /** Worker JVMs (or their exec wrappers, before the exec) that are descendants of this JVM. */
    public static List<Long> workerProcesses() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(WORKER_MAIN))
                .map(ProcessHandle::pid)
                .toList();
    }

    /** Every live descendant process of this JVM (workers and whatever they started). */
    public static List<Long> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    }

    /** Live threads whose name starts with "pool4j-process". */
    static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("pool4j-process"))
                .toList();
    }

    /** Asserts no worker process and no pool thread remains (waiting up to 10 s for them to go). */
    static void assertNone() {
        awaitNoProcesses("worker processes", Leftovers::workerProcesses);
        awaitEmpty("pool threads", Leftovers::poolThreads);
    }

    /**
     * Waits up to 10 s for {@code probe} to find no process; if some remain, kills them and fails
     * with a description of each.
     */
    public static void awaitNoProcesses(String what, Supplier<List<Long>> probe) {
        List<Long> left = awaitUntilEmpty(probe);
        if (left.isEmpty()) {
            return;
        }
        String described = left.stream().map(Leftovers::describe).collect(Collectors.joining("\n  ", "\n  ", ""));
        for (long pid : left) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL ends stopped ones too
        }
        throw new AssertionError(what + " left behind (now killed): " + left + described);
    }

    /** Waits up to 10 s for {@code probe} to be empty, then asserts it is. */
    public static <E> void awaitEmpty(String what, Supplier<List<E>> probe) {
        assertEquals(List.of(), awaitUntilEmpty(probe), what + " left behind");
    }

    private static <E> List<E> awaitUntilEmpty(Supplier<List<E>> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<E> left = probe.get();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // polling an external condition (process exit), not synchronising threads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = probe.get();
        }
        return left;
    }

    /** One process as {@code ps} would show it: pid, parent, state, age and command line (cut to 400 chars). */
    public static String describe(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException | RuntimeException e) {
            stat = "";
        }
        // After "(comm) ": state, ppid, ...
        String[] fields = stat.isEmpty() ? new String[0] : stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        String state = fields.length > 1 ? fields[0] : "?";
        String parent = fields.length > 1 ? fields[1] : "?";
        ProcessHandle.Info info = ProcessHandle.of(pid).map(ProcessHandle::info).orElse(null);
        String age = info == null ? "?" : info.startInstant()
                .map(start -> Duration.between(start, java.time.Instant.now()).toSeconds() + " s")
                .orElse("?");
        String command = info == null ? "" : info.commandLine().orElse(info.command().orElse(""));
        if (command.length() > 400) {
            command = command.substring(0, 200) + " ... " + command.substring(command.length() - 195);
        }
        return "pid " + pid + " ppid " + parent + " state " + state + " age " + age + ": " + command;
    }

    /** Waits up to 30 s for {@code condition}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
