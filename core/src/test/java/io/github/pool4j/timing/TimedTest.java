package io.github.pool4j.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.timing.CollectingSink.Entry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimedTest {

    private final FakeTicker ticker = new FakeTicker();
    private final CollectingSink sink = TimingSink.collecting();
    private final Timer timer = Timed.with(sink, ticker);

    @Test
    void seconds_formatsLikePythonPrintOfAFloat() {
        assertEquals("0.000241258", Timed.seconds(Duration.ofNanos(241_258)));
        assertEquals("0.000000001", Timed.seconds(Duration.ofNanos(1)));
        assertEquals("1.5", Timed.seconds(Duration.ofMillis(1500)));
        assertEquals("10.0", Timed.seconds(Duration.ofSeconds(10)));
        assertEquals("0.0", Timed.seconds(Duration.ZERO));
        assertEquals("12345.000006789", Timed.seconds(Duration.ofSeconds(12345, 6789)));
        assertEquals("100000.0", Timed.seconds(Duration.ofSeconds(100_000)));
        assertEquals("-0.5", Timed.seconds(Duration.ofMillis(-500)));
    }

    @Test
    void format_underGermanLocale_usesDotAndNoGrouping() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            assertEquals("run_thread 0.000241258", Timed.format("run_thread", Duration.ofNanos(241_258)));
            assertEquals("big 1234567.25", Timed.format("big", Duration.ofMillis(1_234_567_250)));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void run_byDefault_printsNameSpaceSecondsToStdout() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        String printed;
        try (StdoutCapture out = StdoutCapture.out()) {
            Timed.run("run_thread", () -> {});
            printed = out.text();
        } finally {
            Locale.setDefault(saved);
        }
        assertTrue(printed.matches("run_thread \\d+\\.\\d{1,9}" + System.lineSeparator()), printed);
    }

    @Test
    void stderrSink_printsTheSameLineToStderr() {
        String printed;
        try (StdoutCapture err = StdoutCapture.err()) {
            Timed.with(TimingSink.stderr(), ticker).run("run_process", () -> ticker.advanceNanos(241_258));
            printed = err.text();
        }
        assertEquals("run_process 0.000241258" + System.lineSeparator(), printed);
    }

    @Test
    void run_withFakeTicker_recordsTheTickerDifference() {
        timer.run("run_thread", () -> ticker.advanceNanos(241_258));

        assertEquals(List.of(new Entry("run_thread", Duration.ofNanos(241_258))), sink.entries());
        assertEquals("run_thread 0.000241258", sink.entries().get(0).toString());
    }

    @Test
    void get_returnsTheValueAndRecordsOnce() {
        String value = timer.get("greet", () -> {
            ticker.advance(Duration.ofMillis(3));
            return "Hi Kai!";
        });

        assertEquals("Hi Kai!", value);
        assertEquals(List.of(Duration.ofMillis(3)), sink.durations("greet"));
    }

    @Test
    void call_checkedException_propagatesUnchangedAndIsTimed() {
        IOException boom = new IOException("disk on fire");

        IOException thrown = assertThrows(IOException.class, () -> timer.call("read", () -> {
            ticker.advance(Duration.ofMillis(7));
            throw boom;
        }));

        assertSame(boom, thrown);
        assertEquals(0, thrown.getSuppressed().length);
        assertEquals(List.of(Duration.ofMillis(7)), sink.durations("read"));
    }

    @Test
    void run_runtimeException_propagatesUnchangedAndIsTimed() {
        IllegalStateException boom = new IllegalStateException("nope");

        assertSame(boom, assertThrows(IllegalStateException.class, () -> Timed.run(sink, "fail", () -> {
            throw boom;
        })));
        assertEquals(1, sink.durations("fail").size());
    }

    @Test
    void get_error_propagatesUnwrappedAndIsTimed() {
        StackOverflowError boom = new StackOverflowError("deep");

        assertSame(boom, assertThrows(StackOverflowError.class, () -> timer.get("deep", () -> {
            throw boom;
        })));
        assertEquals(1, sink.durations("deep").size());
    }

    @Test
    void sinkFailure_whenTheActionFailed_isSuppressedIntoTheActionsException() {
        IllegalStateException sinkFailure = new IllegalStateException("sink broken");
        TimingSink broken = (name, elapsed) -> {
            throw sinkFailure;
        };
        IOException boom = new IOException("boom");

        IOException thrown = assertThrows(IOException.class, () -> Timed.call(broken, "x", () -> {
            throw boom;
        }));

        assertSame(boom, thrown);
        assertEquals(List.of(sinkFailure), List.of(thrown.getSuppressed()));
    }

    @Test
    void sinkFailure_whenTheActionSucceeded_reachesTheCaller() {
        IllegalStateException sinkFailure = new IllegalStateException("sink broken");
        TimingSink broken = (name, elapsed) -> {
            throw sinkFailure;
        };

        assertSame(sinkFailure, assertThrows(IllegalStateException.class, () -> Timed.get(broken, "x", () -> 1)));
    }

    @Test
    void nullArguments_throwNullPointerExceptionAndRecordNothing() {
        assertThrows(NullPointerException.class, () -> timer.run(null, () -> {}));
        assertThrows(NullPointerException.class, () -> timer.run("x", null));
        assertThrows(NullPointerException.class, () -> timer.call("x", null));
        assertThrows(NullPointerException.class, () -> timer.get(null, () -> 1));
        assertThrows(NullPointerException.class, () -> Timed.with(null));
        assertThrows(NullPointerException.class, () -> Timed.with(sink, null));
        assertEquals(List.of(), sink.entries());
    }

    @Test
    void andThen_recordsToBothSinksInOrder() {
        CollectingSink second = TimingSink.collecting();
        Timed.with(sink.andThen(second), ticker).run("both", () -> ticker.advanceNanos(5));

        assertEquals(sink.entries(), second.entries());
        assertEquals(List.of(Duration.ofNanos(5)), second.durations("both"));
    }

    @Test
    void collectingSink_manyThreadsAtOnce_keepsEveryEntry() throws InterruptedException {
        int threads = 8;
        int perThread = 1000;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < threads; t++) {
                executor.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        Timed.run(sink, "tick", () -> {});
                    }
                });
            }
            start.countDown();
        } finally {
            executor.shutdown();
            assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(threads * perThread, sink.durations("tick").size());
        sink.clear();
        assertEquals(List.of(), sink.entries());
    }

    @Test
    void slf4jSink_logsNameSpaceSecondsAtInfo() {
        // Only this test uses the logger, so slf4j-simple reads this level when creating it.
        System.setProperty("org.slf4j.simpleLogger.log.io.github.pool4j.timing.Timed", "info");
        String printed;
        try (StdoutCapture err = StdoutCapture.err()) {
            Timed.with(TimingSink.slf4j(), ticker).run("logged", () -> ticker.advanceNanos(1));
            printed = err.text();
        } finally {
            System.clearProperty("org.slf4j.simpleLogger.log.io.github.pool4j.timing.Timed");
        }
        assertTrue(printed.contains("INFO io.github.pool4j.timing.Timed - logged 0.000000001"), printed);
    }
}
