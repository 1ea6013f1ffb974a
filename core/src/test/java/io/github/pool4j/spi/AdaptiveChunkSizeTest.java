package io.github.pool4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.CallOptions;
import io.github.pool4j.PoolListener;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.Task;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.timing.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The adaptive chunk size of lazy calls, on a fake clock: no test here reads the real one. */
class AdaptiveChunkSizeTest {

    private static final long MILLI = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * MILLI);
    private final Ticker ticker = now::get;

    @Test
    void startsAtOneAndDoublesWhileChunksComeBackFast() {
        AdaptiveChunkSize size = new AdaptiveChunkSize(ticker);
        assertEquals(1, size.size(), "the first chunk is one input: the first result comes soon");
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            long at = size.now();
            int chunk = size.size();
            now.addAndGet(MILLI); // 1 ms per chunk: fast
            size.resolved(chunk, at);
            sizes.add(size.size());
        }
        assertEquals(List.of(2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1024, 1024, 1024, 1024, 1024), sizes);
    }

    @Test
    void halvesWhenChunksTurnSlowAndKeepsItsSizeInBetween() {
        AdaptiveChunkSize size = new AdaptiveChunkSize(ticker);
        for (int i = 0; i < 6; i++) {
            size.resolved(size.size(), size.now()); // no time passes: fast
        }
        assertEquals(64, size.size());
        long at = size.now();
        now.addAndGet(AdaptiveChunkSize.GROW_BELOW_NANOS); // neither fast nor slow
        size.resolved(64, at);
        assertEquals(64, size.size());
        at = size.now();
        now.addAndGet(AdaptiveChunkSize.SHRINK_ABOVE_NANOS + 1);
        size.resolved(64, at);
        assertEquals(32, size.size());
        for (int i = 0; i < 10; i++) {
            at = size.now();
            now.addAndGet(1_000 * MILLI);
            size.resolved(size.size(), at);
        }
        assertEquals(1, size.size(), "never below one input");
    }

    @Test
    void aFastSmallChunkFromBeforeDoesNotMakeItGrow() {
        AdaptiveChunkSize size = new AdaptiveChunkSize(ticker);
        size.resolved(1, size.now());
        size.resolved(2, size.now());
        assertEquals(4, size.size());
        size.resolved(1, size.now()); // dispatched when the size was 1: says nothing about 4
        size.resolved(2, size.now());
        assertEquals(4, size.size());
    }

    @Test
    void fixedSizeNeverChanges() {
        AdaptiveChunkSize size = AdaptiveChunkSize.fixed(7);
        size.resolved(7, size.now());
        assertEquals(7, size.size());
    }

    @Test
    void imap_fastTasks_chunksGrowFromOne() {
        RecordingPool pool = new RecordingPool(PoolOptions.ofSize(2), 0);
        List<Integer> results = drain(pool.imap(x -> x + 1, naturals(20_000)));
        assertEquals(IntStream.range(1, 20_001).boxed().collect(Collectors.toList()), results);
        assertEquals(List.of(1, 2, 4, 8), pool.chunkSizes.subList(0, 4), "starts small: " + pool.chunkSizes);
        assertTrue(pool.chunkSizes.contains(AdaptiveChunkSize.MAX_CHUNK_SIZE), "grows: " + pool.chunkSizes);
        assertTrue(pool.chunkSizes.size() < 40, "few chunks for 20,000 fast inputs: " + pool.chunkSizes.size());
    }

    @Test
    void imapUnordered_slowTasks_chunksStayAtOne() {
        RecordingPool pool = new RecordingPool(PoolOptions.ofSize(2), AdaptiveChunkSize.SHRINK_ABOVE_NANOS + 1);
        assertEquals(50, drain(pool.imapUnordered(x -> x, naturals(50))).size());
        assertTrue(pool.chunkSizes.stream().allMatch(size -> size == 1), "slow tasks keep chunks of one: " + pool.chunkSizes);
    }

    @Test
    void imap_chunkSizeSetPerCallOrPerPool_isKept() {
        RecordingPool perCall = new RecordingPool(PoolOptions.ofSize(2), 0);
        drain(perCall.imap(x -> x, naturals(70), CallOptions.chunkSize(7)));
        assertEquals(List.of(7, 7, 7, 7, 7, 7, 7, 7, 7, 7), perCall.chunkSizes);

        RecordingPool perPool = new RecordingPool(new PoolOptions(2, 5, null, PoolListener.NONE), 0);
        drain(perPool.imap(x -> x, naturals(20)));
        assertEquals(List.of(5, 5, 5, 5), perPool.chunkSizes);
    }

    /** Lazy inputs 0..n-1 that are not a Collection. */
    private static Iterable<Integer> naturals(int n) {
        return () -> Stream.iterate(0, i -> i + 1).limit(n).iterator();
    }

    private static <R> List<R> drain(ResultIterator<R> it) {
        List<R> results = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                results.add(it.next());
            }
        }
        return results;
    }

    /** Runs each chunk at once in the dispatching thread, advancing the fake clock per chunk. */
    private final class RecordingPool extends AbstractPool<Integer, Integer> {
        final List<Integer> chunkSizes = new CopyOnWriteArrayList<>();
        private final long nanosPerChunk;

        RecordingPool(PoolOptions options, long nanosPerChunk) {
            super("RecordingPool", options);
            this.nanosPerChunk = nanosPerChunk;
        }

        @Override
        Ticker ticker() {
            return ticker;
        }

        @Override
        protected Object prepare(Task<?, ?> task) {
            return task;
        }

        @Override
        protected void dispatch(Chunk chunk) {
            chunkSizes.add(chunk.size());
            now.addAndGet(nanosPerChunk);
            @SuppressWarnings("unchecked")
            Task<Object, Object> task = (Task<Object, Object>) chunk.preparedTask();
            for (int i = 0; i < chunk.size(); i++) {
                try {
                    chunk.succeed(i, task.apply(chunk.input(i)));
                } catch (Exception e) {
                    chunk.fail(i, TaskFailedException.of(chunk.firstIndex() + i, e));
                }
            }
        }

        @Override
        protected void stopWorkers() {}

        @Override
        protected void killWorkers() {}

        @Override
        protected List<WorkerStats> workerStats() {
            return List.of();
        }
    }
}
