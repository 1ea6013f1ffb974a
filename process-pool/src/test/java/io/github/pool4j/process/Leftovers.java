package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Checks that nothing of a pool is left: worker processes (children of this JVM) and pool threads. */
final class Leftovers {

    private Leftovers() {}

    /** Worker JVMs that are children of this JVM. */
    static List<Long> workerProcesses() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("io.github.pool4j.process.internal.WorkerMain"))
                .map(ProcessHandle::pid)
                .toList();
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
        awaitEmpty("worker processes", Leftovers::workerProcesses);
        awaitEmpty("pool threads", Leftovers::poolThreads);
    }

    static <E> void awaitEmpty(String what, Supplier<List<E>> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<E> left = probe.get();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(20); // polling an external condition (process exit), not synchronising threads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = probe.get();
        }
        assertEquals(List.of(), left, what + " left behind");
    }

    /** Waits up to 30 s for {@code condition}. */
    static void await(String what, java.util.function.BooleanSupplier condition) {
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
