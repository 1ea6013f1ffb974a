package io.github.pool4j.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolClosedException;
import io.github.pool4j.PoolStats;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.SerialPool;
import io.github.pool4j.Task;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskResult;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimedPoolTest {

    private final FakeTicker ticker = new FakeTicker();
    private final CollectingSink sink = TimingSink.collecting();
    private final Timer timer = Timed.with(sink, ticker);
    private final List<Pool<?, ?>> opened = new ArrayList<>();

    /** Each input takes {@code input} milliseconds of fake time. */
    private final Task<Integer, Integer> slowSquare = x -> {
        ticker.advance(Duration.ofMillis(x));
        return x * x;
    };

    private final Task<Integer, Integer> failsOnTwo = x -> {
        if (x == 2) {
            throw new IllegalArgumentException("two");
        }
        return x;
    };

    private Pool<Integer, Integer> timedSerial() {
        SerialPool<Integer, Integer> delegate = SerialPool.create();
        opened.add(delegate);
        return timer.pool(delegate);
    }

    @AfterEach
    void noPoolThreadLeft() {
        opened.forEach(Pool::terminate);
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            // pool4j-callback-N and pool4j-cleaner are shared daemons that belong to no pool.
            boolean shared = thread.getName().startsWith("pool4j-callback-") || thread.getName().equals("pool4j-cleaner");
            assertFalse(thread.getName().startsWith("pool4j-") && !shared && thread.isAlive(), "left over: " + thread);
        }
    }

    @Test
    void decorator_declaresEveryPoolMethodItself() throws NoSuchMethodException {
        // A method inherited from a default in Pool would bypass the delegate.
        for (Method method : Pool.class.getMethods()) {
            Method own = TimedPool.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            assertNotNull(own, method.toString());
        }
    }

    @Test
    void map_recordsOneTimingNamedMap_untilAllInputsAreDone() {
        Pool<Integer, Integer> pool = timedSerial();

        assertEquals(List.of(1, 4, 9), pool.map(slowSquare, List.of(1, 2, 3)));

        assertEquals(List.of(new CollectingSink.Entry("map", Duration.ofMillis(6))), sink.entries());
    }

    @Test
    void map_taskFails_throwsWhatTheDelegateThrowsAndIsTimed() {
        Pool<Integer, Integer> pool = timedSerial();

        TaskFailedException thrown = assertThrows(TaskFailedException.class, () -> pool.map(failsOnTwo, List.of(1, 2, 3)));

        assertEquals(1, thrown.inputIndex());
        assertInstanceOf(IllegalArgumentException.class, thrown.getCause());
        assertEquals(1, sink.durations("map").size());
    }

    @Test
    void mapResults_recordsOneTimingNamedMapResults() {
        Pool<Integer, Integer> pool = timedSerial();

        List<TaskResult<Integer>> results = pool.mapResults(failsOnTwo, List.of(1, 2, 3));

        assertEquals(3, results.size());
        assertFalse(results.get(1).isSuccess());
        assertEquals(3, results.get(2).value());
        assertEquals(1, sink.durations("mapResults").size());
    }

    @Test
    void submit_recordsOneTimingNamedSubmit() {
        Pool<Integer, Integer> pool = timedSerial();

        assertEquals(16, pool.submit(slowSquare, 4).join());

        assertEquals(List.of(Duration.ofMillis(4)), sink.durations("submit"));
    }

    @Test
    void submit_taskFails_futureFailsLikeTheDelegatesAndIsTimed() {
        Pool<Integer, Integer> pool = timedSerial();

        CompletableFuture<Integer> future = pool.submit(failsOnTwo, 2);

        CompletionException thrown = assertThrows(CompletionException.class, future::join);
        assertInstanceOf(TaskFailedException.class, thrown.getCause());
        assertEquals(1, sink.durations("submit").size());
    }

    @Test
    void mapAsync_isTimedUntilItsFutureCompletes() {
        HeldPool<Integer, Integer> delegate = new HeldPool<>();
        opened.add(delegate);
        Pool<Integer, Integer> pool = timer.pool(delegate);

        CompletableFuture<List<Integer>> future = pool.mapAsync(x -> x + 1, List.of(1, 2));
        ticker.advance(Duration.ofMillis(250));
        assertEquals(List.of(), sink.entries(), "recorded before completion");
        delegate.runHeld();

        assertEquals(List.of(2, 3), future.join());
        assertEquals(List.of(Duration.ofMillis(250)), sink.durations("mapAsync"));
    }

    @Test
    void submit_cancellingTheTimedFuture_cancelsTheDelegatesInput() {
        HeldPool<Integer, Integer> delegate = new HeldPool<>();
        opened.add(delegate);
        Pool<Integer, Integer> pool = timer.pool(delegate);

        Future<Integer> future = pool.submit(x -> x, 1);
        assertTrue(future.cancel(true));

        assertThrows(CancellationException.class, future::get);
        assertEquals(1, delegate.cancelled.size(), "the delegate's input was not cancelled");
        assertTrue(delegate.cancelled.peek().isCancelled());
        delegate.runHeld();
        assertEquals(0, delegate.stats().pending());
        assertEquals(1, sink.durations("submit").size());
    }

    @Test
    void imap_isTimedUntilTheResultsRunOut() {
        Pool<Integer, Integer> pool = timedSerial();

        ResultIterator<Integer> results = pool.imap(slowSquare, List.of(1, 2, 3));
        assertEquals(1, results.next());
        assertEquals(List.of(), sink.entries(), "recorded before exhaustion");
        List<Integer> rest = new ArrayList<>();
        results.forEachRemaining(rest::add);
        assertFalse(results.hasNext());
        results.close();

        assertEquals(List.of(4, 9), rest);
        assertEquals(List.of(Duration.ofMillis(6)), sink.durations("imap"));
    }

    @Test
    void imapUnordered_closedEarly_isTimedOnceAtClose() {
        Pool<Integer, Integer> pool = timedSerial();

        ResultIterator<Integer> results = pool.imapUnordered(x -> x, List.of(1, 2, 3));
        results.next();
        ticker.advance(Duration.ofMillis(10));
        results.close();
        ticker.advance(Duration.ofMillis(10));
        results.close();

        assertEquals(List.of(Duration.ofMillis(10)), sink.durations("imapUnordered"));
    }

    @Test
    void imap_inputIteratorThrows_propagatesUnchangedAndIsTimed() {
        Pool<Integer, Integer> pool = timedSerial();
        IllegalStateException boom = new IllegalStateException("input broke");
        Iterable<Integer> broken = () -> new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                throw boom;
            }

            @Override
            public Integer next() {
                throw boom;
            }
        };

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> {
            try (ResultIterator<Integer> results = pool.imap(slowSquare, broken)) {
                while (results.hasNext()) {
                    results.next();
                }
            }
        });

        assertTrue(thrown == boom || thrown.getCause() == boom, thrown.toString());
        assertEquals(1, sink.durations("imap").size());
    }

    @Test
    void untimedMethods_areForwarded() {
        SerialPool<Integer, Integer> delegate = SerialPool.<Integer, Integer>builder().size(3).build();
        opened.add(delegate);
        Pool<Integer, Integer> pool = timer.pool(delegate);

        assertEquals(3, pool.size());
        pool.map(x -> x, List.of(1, 2, 3));
        PoolStats stats = pool.stats();
        assertEquals(delegate.stats(), stats);
        assertEquals(3, stats.submitted());
        assertEquals(3, stats.completed());
        assertFalse(pool.isClosed());

        pool.close();

        assertTrue(delegate.isClosed());
        assertTrue(pool.isClosed());
        assertThrows(PoolClosedException.class, () -> pool.map(x -> x, List.of(1)));
        assertThrows(PoolClosedException.class, () -> pool.submit(x -> x, 1));
        pool.close();
        pool.terminate();
        assertTrue(pool.isClosed());
    }

    @Test
    void terminate_isForwardedAndFailsPendingCalls() {
        HeldPool<Integer, Integer> delegate = new HeldPool<>();
        opened.add(delegate);
        Pool<Integer, Integer> pool = timer.pool(delegate);
        CompletableFuture<Integer> pending = pool.submit(x -> x, 1);

        pool.terminate();

        assertTrue(delegate.isClosed());
        CompletionException thrown = assertThrows(CompletionException.class, pending::join);
        assertInstanceOf(PoolClosedException.class, thrown.getCause());
        assertEquals(1, sink.durations("submit").size());
    }

    @Test
    void closedPool_callsAreStillTimedAndThrowPoolClosedException() {
        Pool<Integer, Integer> pool = timedSerial();
        pool.close();

        assertThrows(PoolClosedException.class, () -> pool.imap(x -> x, List.of(1)));

        assertEquals(1, sink.durations("imap").size());
    }

    @Test
    void pool_null_throwsNullPointerException() {
        assertThrows(NullPointerException.class, () -> Timed.pool(null));
        assertThrows(NullPointerException.class, () -> timer.pool(null));
    }

    @Test
    void defaultPool_printsMapSecondsToStdout() {
        SerialPool<Integer, Integer> delegate = SerialPool.create();
        opened.add(delegate);
        String printed;
        try (StdoutCapture out = StdoutCapture.out(); Pool<Integer, Integer> pool = Timed.pool(delegate)) {
            pool.map(x -> x, List.of(1));
            printed = out.text();
        }
        assertTrue(printed.matches("map \\d+\\.\\d{1,9}" + System.lineSeparator()), printed);
    }

    @Test
    void map_manyCallersAtOnce_eachCallIsTimed() throws Exception {
        Pool<Integer, Integer> pool = Timed.pool(sink, SerialPool.create());
        int callers = 8;
        ExecutorService executor = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Integer>>> futures = new ArrayList<>();
        try {
            for (int c = 0; c < callers; c++) {
                int offset = c * 100;
                futures.add(executor.submit(() -> {
                    start.await();
                    List<Integer> inputs = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        inputs.add(offset + i);
                    }
                    return pool.map(x -> x * 2, inputs);
                }));
            }
            start.countDown();
            for (int c = 0; c < callers; c++) {
                List<Integer> results = futures.get(c).get(30, TimeUnit.SECONDS);
                assertEquals(100, results.size());
                assertEquals(c * 200, results.get(0));
            }
        } finally {
            executor.shutdown();
            assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
            pool.close();
        }
        assertEquals(callers, sink.durations("map").size());
        assertTrue(pool.isClosed());
    }
}
