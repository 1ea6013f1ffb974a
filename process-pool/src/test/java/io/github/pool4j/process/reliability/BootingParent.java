package io.github.pool4j.process.reliability;

import io.github.pool4j.process.ProcessPool;
import java.util.List;
import java.util.Optional;

/**
 * A parent JVM for the parent-death tests that is killed while its workers are still starting:
 * it builds a pool of two in the background and prints {@code WORKERS <pid> <progress file> ...}
 * as soon as both worker processes exist, then waits to be killed.
 */
public final class BootingParent {

    private BootingParent() {}

    /**
     * Runs the parent.
     *
     * @param args none
     * @throws Exception if interrupted
     */
    public static void main(String[] args) throws Exception {
        Thread build = new Thread(() -> ProcessPool.builder().size(2).build(), "build");
        build.setDaemon(true);
        build.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> workers = ProcessHandle.current().children()
                    .map(child -> child.info().arguments()
                            .filter(a -> a.length > 0 && List.of(a).contains(
                                    "io.github.pool4j.process.internal.WorkerMain"))
                            .map(a -> child.pid() + " " + a[a.length - 1]))
                    .flatMap(Optional::stream)
                    .toList();
            if (workers.size() == 2) {
                System.out.println("WORKERS " + String.join(" ", workers));
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            Thread.sleep(5); // polling for the children, in a throwaway parent
        }
        throw new IllegalStateException("the workers were not launched");
    }
}
