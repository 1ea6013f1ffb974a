package io.github.pool4j.process.reliability;

import io.github.pool4j.PoolListener;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.process.ProcessPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A parent JVM for the parent-death tests: a pool of two workers, each busy with a task that has
 * started a child process of its own; prints {@code PIDS <worker and child pids>}, then either
 * waits to be killed ({@code kill}) or calls {@code System.exit} without closing the pool
 * ({@code exit}).
 */
public final class DyingParent {

    private DyingParent() {}

    /**
     * Runs the parent.
     *
     * @param args {@code kill} or {@code exit}, then a scratch directory
     * @throws Exception if the pool cannot start
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        CountDownLatch ready = new CountDownLatch(2);
        ProcessPool<String, String> pool = ProcessPool.builder().size(2).chunkSize(1).listener(new PoolListener() {
            @Override
            public void onWorkerStarted(WorkerStats worker) {
                ready.countDown();
            }
        }).build();
        // Both workers must be ready, or both inputs could queue behind the first one's endless task.
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the workers did not start");
        }
        pool.mapAsync(DyingParent::spawnAndBlock, List.of(dir.toString(), dir.toString()));
        List<String> announced;
        do {
            Thread.sleep(20); // polling files the workers write, in a throwaway parent
            try (Stream<Path> files = Files.list(dir)) {
                announced = files.filter(f -> f.toString().endsWith(".pids")).map(DyingParent::read).toList();
            }
        } while (announced.size() < 2);
        System.out.println("PIDS " + String.join(" ", announced));
        System.out.flush();
        if (args[0].equals("exit")) {
            System.exit(0);
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    /** In a worker: starts a child that would outlive everyone, says who is who, and blocks. */
    static String spawnAndBlock(String dir) throws Exception {
        Process child = new ProcessBuilder("sleep", "600").start();
        long pid = ProcessHandle.current().pid();
        Path tmp = Files.createTempFile(Path.of(dir), "w", ".tmp");
        Files.writeString(tmp, pid + " " + child.pid());
        Files.move(tmp, Path.of(dir, pid + ".pids"), StandardCopyOption.ATOMIC_MOVE);
        while (true) {
            Thread.sleep(60_000);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
