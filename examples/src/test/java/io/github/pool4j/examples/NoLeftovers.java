package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a pool4j thread or a worker JVM (or any other child process) behind.
 *
 * <p>Closing a pool stops its workers, so they should be gone at once; the bounded wait only
 * lets the OS finish reaping a process that is already exiting.
 */
final class NoLeftovers implements AfterEachCallback {

    private static final Duration GRACE = Duration.ofSeconds(15);

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        long deadline = System.nanoTime() + GRACE.toNanos();
        while (true) {
            List<String> left = leftovers();
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("left behind after " + context.getDisplayName() + ": " + left);
            }
            Thread.sleep(50);
        }
    }

    static List<String> leftovers() {
        List<String> left = ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .map(p -> "process " + p.pid() + " " + p.info().commandLine().orElse("?"))
                .collect(Collectors.toList());
        Thread.getAllStackTraces().keySet().stream()
                // pool4j-callback-N and pool4j-cleaner are shared daemons that belong to no pool.
                .filter(t -> t.isAlive() && t.getName().startsWith("pool4j-")
                        && !t.getName().startsWith("pool4j-callback-") && !t.getName().equals("pool4j-cleaner"))
                .map(t -> "thread " + t.getName())
                .forEach(left::add);
        return left;
    }
}
