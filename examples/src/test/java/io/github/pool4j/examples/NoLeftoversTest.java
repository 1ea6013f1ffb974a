package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.thread.ThreadPool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The leftover check the command tests rely on finds what it is meant to find. */
class NoLeftoversTest {

    @Test
    void leftovers_seeALiveChildProcess() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            List<String> left = NoLeftovers.leftovers();
            assertTrue(left.stream().anyMatch(l -> l.startsWith("process " + child.pid() + " ")), left.toString());
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void leftovers_seeAnOpenPoolsThreads() {
        try (Pool<Integer, Integer> pool = ThreadPool.create(2)) {
            pool.map(x -> x, List.of(1, 2));
            List<String> left = NoLeftovers.leftovers();
            assertTrue(left.stream().anyMatch(l -> l.startsWith("thread pool4j-thread-")), left.toString());
        }
    }
}
