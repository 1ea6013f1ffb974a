package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchedulingTest {

    @TempDir
    Path dir;

    @AfterEach
    void nothingLeft() {
        Leftovers.assertNone();
    }

    /**
     * Regression: the first worker to say hello took two of the three inputs while the others were
     * still starting, so two 10 s sleeps of the blog's say-hello ran one after the other (20 s).
     * Each input here waits until all three run at once; run one after the other, the first would
     * give up after 30 s and the pids would repeat.
     */
    @Test
    void map_rightAfterCreate_givesEachStartingWorkerItsOwnInput() {
        try (ProcessPool<String, Long> pool = ProcessPool.create(3)) {
            String barrier = dir.toString();
            List<Long> pids = pool.map(SchedulingTest::meetTheOthers, List.of(barrier, barrier, barrier));
            assertEquals(3, new HashSet<>(pids).size(), "inputs ran in " + pids);
        }
    }

    /** Leaves this worker's pid in {@code dir}, waits (30 s at most) for three pids, returns its own. */
    static Long meetTheOthers(String dir) throws IOException, InterruptedException {
        long pid = ProcessHandle.current().pid();
        Files.writeString(Path.of(dir, Long.toString(pid)), "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                if (files.count() >= 3) {
                    break;
                }
            }
            Thread.sleep(20);
        }
        return pid;
    }
}
