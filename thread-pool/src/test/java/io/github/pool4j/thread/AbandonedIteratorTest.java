package io.github.pool4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolStats;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** imap iterators dropped without close() are released, however many there are. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AbandonedIteratorTest {

    private static final int ABANDONED = 5_000;
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);

    @Test
    void imap_fiveThousandIteratorsDroppedWithoutClose_theirCallsAreCancelledAndFreed() {
        try (Pool<Integer, Integer> pool = ThreadPool.create(2)) {
            for (int i = 0; i < ABANDONED; i++) {
                assertEquals(0, readOneAndDrop(pool, i % 2 == 0));
            }
            long deadline = System.nanoTime() + PATIENCE_NANOS;
            PoolStats stats = pool.stats();
            while (stats.activeCalls() > 0 || stats.pending() > 0) {
                if (System.nanoTime() > deadline) {
                    fail("abandoned iterators still hold their calls: " + stats);
                }
                System.gc();
                sleepBriefly();
                stats = pool.stats();
            }
            assertEquals(List.of(1, 4), pool.map(x -> x * x, List.of(1, 2)));
        }
    }

    /** Reads the first result of an imap over endless inputs and drops the iterator unclosed. */
    private static int readOneAndDrop(Pool<Integer, Integer> pool, boolean ordered) {
        Iterable<Integer> naturals = () -> Stream.iterate(0, i -> i + 1).iterator();
        return ordered
                ? pool.imap(x -> x * x, naturals).next()
                : pool.imapUnordered(x -> x * 0, naturals).next();
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
