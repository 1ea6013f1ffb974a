package io.github.pool4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pool4j.CallOptions;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.SerialPool;
import io.github.pool4j.Task;
import io.github.pool4j.WorkerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a lazy call shares its work with the threads that report outcomes: the caller's input
 * iterator is read, and tasks of a pool that runs them in the caller are run, without holding
 * anything those threads need; a waiting consumer is woken by the outcome it waits for, never by
 * a timer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamCallTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** How long a blocked iterator or task waits for the test: longer than any wait of the test itself. */
    private static final Duration HOLD = PATIENCE.multipliedBy(3);

    private final List<Thread> started = new CopyOnWriteArrayList<>();
    private final List<AbstractPool<?, ?>> pools = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (AbstractPool<?, ?> pool : pools) {
            pool.terminate();
        }
        for (Thread thread : started) {
            thread.interrupt();
            thread.join(PATIENCE.toMillis());
            assertFalse(thread.isAlive(), thread + " still runs");
        }
    }

    // ---- the caller's input iterator is read outside anything reporters need ----------------

    @Test
    void imap_inputIteratorBlocks_resultsOfEarlierInputsStillReachTheListener() throws Exception {
        for (boolean ordered : new boolean[] {true, false}) {
            ThreadedPool pool = track(new ThreadedPool(2));
            ProgressRecorder listener = new ProgressRecorder();
            CountDownLatch resume = new CountDownLatch(1);
            // Inputs 0..4, then the iterator blocks until resumed, then inputs 5..9.
            Iterable<Integer> inputs = () -> new BlockingAfter(5, 10, resume);
            CallOptions options = CallOptions.chunkSize(1).withListener(listener);
            AtomicReference<List<Integer>> results = new AtomicReference<>();
            Thread consumer = start("consumer", () -> {
                try (ResultIterator<Integer> it = ordered
                        ? pool.imap(x -> x * 10, inputs, options)
                        : pool.imapUnordered(x -> x * 10, inputs, options)) {
                    results.set(drain(it));
                }
            });
            awaitCondition(() -> listener.maxDone() == 5,
                    () -> "the 5 inputs read before the iterator blocked were reported; saw " + listener.events);
            assertTrue(consumer.isAlive(), "the consumer is still inside the caller's iterator");
            resume.countDown();
            join(consumer);
            List<Integer> expected = IntStream.range(0, 10).map(i -> i * 10).boxed().collect(Collectors.toList());
            assertEquals(expected, ordered ? results.get() : sorted(results.get()));
            // The last outcome reaches the consumer just before the reporting thread counts it and
            // sends the final event (PoolStats says so): wait for that event, then check it is the only one.
            awaitCondition(() -> !listener.finalTotals().isEmpty(), () -> "a final event; saw " + listener.events);
            assertEquals(List.of(10L), listener.finalTotals(), "one final event, with the total");
        }
    }

    @Test
    void imap_inputIteratorCallsThePoolAgain_doesNotDeadlock() throws Exception {
        for (boolean ordered : new boolean[] {true, false}) {
            // One worker thread: a chunk of this call is ahead of the inner call's chunk in its queue.
            ThreadedPool pool = track(new ThreadedPool(1));
            Iterable<Integer> inputs = () -> new Iterator<>() {
                int next;

                @Override
                public boolean hasNext() {
                    return next < 20;
                }

                @Override
                public Integer next() {
                    pool.stats();
                    return pool.map(x -> x + 1, List.of(next++)).get(0) - 1;
                }
            };
            AtomicReference<List<Integer>> results = new AtomicReference<>();
            Thread consumer = start("consumer", () -> {
                try (ResultIterator<Integer> it = ordered
                        ? pool.imap(x -> -x, inputs, CallOptions.chunkSize(1))
                        : pool.imapUnordered(x -> -x, inputs, CallOptions.chunkSize(1))) {
                    results.set(drain(it));
                }
            });
            join(consumer);
            List<Integer> expected = IntStream.range(0, 20).map(i -> -i).boxed().collect(Collectors.toList());
            assertEquals(sorted(expected), sorted(results.get()), ordered ? "imap" : "imapUnordered");
        }
    }

    @Test
    void imap_serialPoolTaskRuns_closeFromAnotherThreadReturnsAtOnce() throws Exception {
        SerialPool<Integer, Integer> pool = SerialPool.create();
        try {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Task<Integer, Integer> task = x -> {
                if (x == 0) {
                    running.countDown();
                    assertTrue(release.await(HOLD.toMillis(), TimeUnit.MILLISECONDS), "released");
                }
                return x;
            };
            ResultIterator<Integer> it = pool.imap(task, List.of(0, 1, 2));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread consumer = start("consumer", () -> {
                try {
                    it.next(); // runs input 0 in this thread
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            assertTrue(running.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
            Thread closer = start("closer", it::close);
            closer.join(PATIENCE.toMillis());
            assertFalse(closer.isAlive(), "close() waited for a task the consumer's thread runs");
            release.countDown();
            join(consumer);
            assertInstanceOf(PoolException.class, thrown.get(), "input 0 was cancelled by close()");
            assertFalse(it.hasNext());
        } finally {
            pool.close();
        }
        assertEquals(0, pool.stats().pending());
    }

    // ---- waiting is signalled -----------------------------------------------------------

    @Test
    void imap_consumerWaits_parksWithoutTimeoutAndTheOutcomeWakesIt() throws Exception {
        for (boolean ordered : new boolean[] {true, false}) {
            QueuedChunksPool pool = track(new QueuedChunksPool(2));
            ResultIterator<Integer> it = ordered
                    ? pool.imap(x -> x, List.of(7), CallOptions.chunkSize(1))
                    : pool.imapUnordered(x -> x, List.of(7), CallOptions.chunkSize(1));
            AtomicReference<Object> result = new AtomicReference<>();
            Thread consumer = start("consumer", () -> result.set(it.next()));
            Chunk chunk = pool.chunks.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            // WAITING, not TIMED_WAITING: no timer would wake it if the outcome's signal were lost.
            awaitCondition(() -> consumer.getState() == Thread.State.WAITING,
                    () -> "the consumer waits without a timeout; it is " + consumer.getState());
            chunk.succeed(0, 7);
            join(consumer);
            assertEquals(7, result.get());
            assertFalse(it.hasNext());
        }
    }

    @Test
    void imap_resultsHandedOverOneAtATime_noWakeUpIsMissed() throws Exception {
        int n = 5_000;
        for (boolean ordered : new boolean[] {true, false}) {
            QueuedChunksPool pool = track(new QueuedChunksPool(1));
            List<Integer> inputs = IntStream.range(0, n).boxed().collect(Collectors.toList());
            ResultIterator<Integer> it = ordered
                    ? pool.imap(x -> x, inputs, CallOptions.chunkSize(1))
                    : pool.imapUnordered(x -> x, inputs, CallOptions.chunkSize(1));
            AtomicReference<List<Integer>> results = new AtomicReference<>();
            Thread consumer = start("consumer", () -> results.set(drain(it)));
            // Each outcome is reported by this thread while the consumer may be anywhere between
            // looking for it and parking: a lost wake-up would leave it parked for good.
            for (int i = 0; i < n; i++) {
                Chunk chunk = pool.chunks.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                assertTrue(chunk != null, "chunk " + i + " was dispatched");
                chunk.succeed(0, chunk.input(0));
            }
            join(consumer);
            assertEquals(inputs, ordered ? results.get() : sorted(results.get()));
        }
    }

    @Test
    void imap_consumerInterruptedWhileWaiting_throwsPoolExceptionAndKeepsTheFlag() throws Exception {
        QueuedChunksPool pool = track(new QueuedChunksPool(2));
        ResultIterator<Integer> it = pool.imap(x -> x, List.of(1, 2), CallOptions.chunkSize(1));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread consumer = start("consumer", () -> {
            try {
                it.next();
            } catch (Throwable t) {
                thrown.set(t);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitCondition(() -> isBlocked(consumer), () -> "consumer is " + consumer.getState());
        consumer.interrupt();
        join(consumer);
        PoolException e = assertInstanceOf(PoolException.class, thrown.get());
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertTrue(flag.get(), "the interrupt flag stays set");
        it.close();
    }

    @Test
    void imapUnordered_closedFromAnotherThreadWhileTheConsumerWaits_wakesIt() throws Exception {
        QueuedChunksPool pool = track(new QueuedChunksPool(2));
        ResultIterator<Integer> it = pool.imapUnordered(x -> x, List.of(1, 2, 3), CallOptions.chunkSize(1));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread consumer = start("consumer", () -> {
            try {
                it.next();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        awaitCondition(() -> isBlocked(consumer), () -> "consumer is " + consumer.getState());
        it.close();
        join(consumer);
        assertInstanceOf(PoolException.class, thrown.get(), "its input was cancelled");
        assertFalse(it.hasNext());
        assertEquals(0, pool.stats().activeCalls());
        assertEquals(0, pool.stats().pending());
    }

    @Test
    void imap_poolTerminatedWhileTheConsumerWaits_wakesItWithTheFailure() throws Exception {
        QueuedChunksPool pool = track(new QueuedChunksPool(2));
        ResultIterator<Integer> it = pool.imap(x -> x, () -> IntStream.iterate(0, i -> i + 1).iterator(),
                CallOptions.chunkSize(1));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread consumer = start("consumer", () -> {
            try {
                it.next();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        awaitCondition(() -> isBlocked(consumer), () -> "consumer is " + consumer.getState());
        pool.terminate();
        join(consumer);
        assertInstanceOf(io.github.pool4j.PoolClosedException.class, thrown.get());
        int rest = 0;
        while (it.hasNext()) {
            try {
                it.next();
            } catch (io.github.pool4j.PoolClosedException expected) {
                rest++;
            }
        }
        assertTrue(rest < 1_000, "the endless inputs stopped being read: " + rest);
        assertEquals(0, pool.stats().activeCalls());
    }

    // ---- batches ----------------------------------------------------------------------------

    @Test
    void imap_batchOfResults_isCountedAndReportedOnce() throws Exception {
        QueuedChunksPool pool = track(new QueuedChunksPool(1));
        ProgressRecorder listener = new ProgressRecorder();
        List<Integer> inputs = IntStream.range(0, 10).boxed().collect(Collectors.toList());
        try (ResultIterator<Integer> it = pool.imapUnordered(x -> x, inputs,
                CallOptions.chunkSize(10).withListener(listener))) {
            assertTrue(it.hasNext());
            Chunk chunk = pool.chunks.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(10, chunk.succeedAll(0, inputs));
            assertEquals(inputs, drain(it));
        }
        assertEquals(List.of("10/10"), listener.events, "one event for the whole batch");
        assertEquals(10, pool.stats().completed());
        assertEquals(0, pool.stats().pending());
    }

    @Test
    void imap_chunkSizeLearnsFromBatches() {
        // Chunks resolved by succeedAll (as a worker process reports them) let the size grow too.
        QueuedChunksPool pool = track(new QueuedChunksPool(1));
        List<Integer> sizes = new ArrayList<>();
        try (ResultIterator<Integer> it = pool.imap(x -> x, () -> IntStream.iterate(0, i -> i + 1).iterator())) {
            for (int taken = 0; taken < 200; ) {
                assertTrue(it.hasNext());
                Chunk chunk;
                while ((chunk = pool.chunks.poll()) != null) {
                    sizes.add(chunk.size());
                    chunk.succeedAll(0, chunk.inputs());
                }
                it.next();
                taken++;
            }
        }
        assertEquals(List.of(1, 1, 1, 1), sizes.subList(0, 4), "starts at one: " + sizes);
        assertTrue(sizes.stream().anyMatch(size -> size >= 16), "grows: " + sizes);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private <P extends AbstractPool<?, ?>> P track(P pool) {
        pools.add(pool);
        return pool;
    }

    private Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, "stream-call-test-" + name);
        thread.setDaemon(true);
        started.add(thread);
        thread.start();
        return thread;
    }

    private static void join(Thread thread) throws InterruptedException {
        thread.join(PATIENCE.toMillis());
        if (thread.isAlive()) {
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement element : thread.getStackTrace()) {
                stack.append("\n  at ").append(element);
            }
            fail(thread.getName() + " did not finish within " + PATIENCE + ":" + stack);
        }
    }

    private static void awaitCondition(BooleanSupplier condition, java.util.function.Supplier<String> message) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static boolean isBlocked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private static <R> List<R> drain(ResultIterator<R> it) {
        List<R> results = new ArrayList<>();
        while (it.hasNext()) {
            results.add(it.next());
        }
        return results;
    }

    private static List<Integer> sorted(List<Integer> values) {
        List<Integer> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    /** Yields 0..n-1, but blocks before {@code blockAt} until {@code resume} opens. */
    private static final class BlockingAfter implements Iterator<Integer> {
        private final int blockAt;
        private final int n;
        private final CountDownLatch resume;
        private int next;

        BlockingAfter(int blockAt, int n, CountDownLatch resume) {
            this.blockAt = blockAt;
            this.n = n;
            this.resume = resume;
        }

        @Override
        public boolean hasNext() {
            if (next == blockAt) {
                try {
                    assertTrue(resume.await(HOLD.toMillis(), TimeUnit.MILLISECONDS), "resumed");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return next < n;
        }

        @Override
        public Integer next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return next++;
        }
    }

    /** Records progress events as "done/total". */
    private static final class ProgressRecorder implements PoolListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onProgress(long callId, long done, long total) {
            events.add(done + "/" + total);
        }

        long maxDone() {
            return events.stream().mapToLong(e -> Long.parseLong(e.substring(0, e.indexOf('/')))).max().orElse(0);
        }

        List<Long> finalTotals() {
            return events.stream()
                    .filter(e -> {
                        String[] parts = e.split("/");
                        return parts[0].equals(parts[1]);
                    })
                    .map(e -> Long.parseLong(e.substring(e.indexOf('/') + 1)))
                    .collect(Collectors.toList());
        }
    }

    /** Runs each chunk on one of its own threads, as a thread pool does. */
    private static final class ThreadedPool extends AbstractPool<Integer, Integer> {
        private final ExecutorService threads;
        private final ChunkRunner runner;

        ThreadedPool(int size) {
            super("ThreadedPool", PoolOptions.ofSize(size));
            this.threads = Executors.newFixedThreadPool(size);
            this.runner = new ChunkRunner("threaded", options());
        }

        @Override
        protected Object prepare(Task<?, ?> task) {
            return task;
        }

        @Override
        protected void dispatch(Chunk chunk) {
            threads.execute(() -> runner.run(chunk));
        }

        @Override
        protected void stopWorkers() throws InterruptedException {
            threads.shutdown();
            threads.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            runner.close();
        }

        @Override
        protected void killWorkers() {
            threads.shutdownNow();
            runner.close();
        }

        @Override
        protected List<WorkerStats> workerStats() {
            return List.of();
        }
    }

}
