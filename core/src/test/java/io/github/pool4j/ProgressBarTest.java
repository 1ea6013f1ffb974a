package io.github.pool4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ProgressBar rendered into a byte buffer (the fake terminal) with a fake clock. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private ProgressBar.Builder bar() {
        return ProgressBar.builder().output(out).columns(81).ticker(now::get);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    /** What a terminal shows: each carriage return starts the line over. */
    private List<String> screen() {
        List<String> lines = new ArrayList<>();
        for (String line : output().split(System.lineSeparator(), -1)) {
            String[] redraws = line.split("\r", -1);
            lines.add(redraws[redraws.length - 1].stripTrailing());
        }
        return lines;
    }

    private long redraws() {
        return output().chars().filter(c -> c == '\r').count();
    }

    @Test
    void line_showsCountsPercentBarRateElapsedAndEta() {
        // 10 of 100 after 10 s: 1 input/s, 90 s to go.
        String line = ProgressLine.format("map", 10, 100, 0, TimeUnit.SECONDS.toNanos(10), 80, false);
        assertEquals("map 10/100  10% [####------------------------------------] 1.0/s 00:10 ETA 01:30", line);
    }

    @Test
    void line_sameInEveryLocale() {
        // Surefire runs with a German default locale, which would print "1,5/s".
        assertEquals("1.5/s", ProgressLine.rate(3, 2.0));
        assertEquals("2.0s/input", ProgressLine.rate(1, 2.0));
        assertEquals("1:01:01", ProgressLine.clock(3661));
    }

    @Test
    void line_fitsEveryWidth_barDroppedWhenNarrow() {
        assertEquals("map 123456/10000", ProgressLine.format("map", 123_456, 1_000_000, 0, 1, 16, false), "cut at the width");
        for (int width : new int[] {30, 40, 60, 79, 200}) {
            String line = ProgressLine.format("map", 123_456, 1_000_000, 0, TimeUnit.SECONDS.toNanos(65), width, false);
            assertTrue(line.length() <= width, width + ": " + line);
            assertTrue(line.startsWith("map 123456/1000000  12%"), line);
        }
        assertFalse(ProgressLine.format("map", 1, 2, 0, 1, 40, false).contains("["), "no room for a bar in 40 columns");
        assertTrue(ProgressLine.format("map", 1, 2, 0, 1, 200, false).contains("[" + "#".repeat(20) + "-".repeat(20) + "]"),
                "a wide terminal gets the widest bar");
    }

    @Test
    void terminal_drawsOneLiveLineThenTheFinalLine() {
        ProgressBar bar = bar().terminal(true).build();
        bar.onCallStarted(1, "map", 4);
        advance(Duration.ofSeconds(1));
        bar.onProgress(1, 2, 4);
        advance(Duration.ofSeconds(1));
        bar.onProgress(1, 4, 4);
        bar.onCallEnded(1, 0);
        assertEquals(List.of("map 4/4 100% [########################################] 2.0/s 00:02", ""), screen());
        assertTrue(output().startsWith("\rmap 0/4   0% ["), output());
        assertFalse(output().contains("\u001b"), "carriage returns only, no escape sequences");
    }

    @Test
    void terminal_redrawsAtMostOncePerRefreshInterval() {
        ProgressBar bar = bar().terminal(true).build();
        bar.onCallStarted(1, "map", 1000);
        for (int done = 1; done < 500; done++) {
            bar.onProgress(1, done, 1000); // all at the same instant: no redraw
        }
        assertEquals(1, redraws(), "only the start was drawn");
        advance(ProgressBar.DEFAULT_REFRESH);
        bar.onProgress(1, 500, 1000);
        bar.onProgress(1, 501, 1000);
        assertEquals(2, redraws());
        assertTrue(screen().get(0).startsWith("map 500/1000  50%"), screen().toString());
    }

    @Test
    void terminal_shorterFinalLineBlanksWhatTheLiveLineLeft() {
        ProgressBar bar = bar().terminal(true).build();
        bar.onCallStarted(1, "map", 10);
        bar.onCallStarted(2, "map", 10); // the live line grows a "[+1 call]"
        int live = output().length() - output().lastIndexOf('\r') - 1;
        bar.onProgress(1, 10, 10);
        int finalStart = output().length();
        bar.onCallEnded(1, 0);
        String finalLine = output().substring(finalStart + 1, output().indexOf(System.lineSeparator(), finalStart));
        assertTrue(finalLine.strip().length() < live, "the final line is the shorter one: " + finalLine);
        assertTrue(finalLine.length() >= live, "padded over the old text: '" + finalLine + "'");
    }

    @Test
    void unknownTotal_showsDoneOverQuestionMark_endsWithTheCount() {
        ProgressBar bar = bar().terminal(true).build();
        bar.onCallStarted(1, "imap", -1);
        advance(Duration.ofSeconds(2));
        bar.onProgress(1, 3, -1);
        assertEquals("imap 3/? 1.5/s 00:02", screen().get(0));
        bar.onCallEnded(1, 0);
        assertTrue(screen().get(0).startsWith("imap 3/3 100% ["), screen().toString());
    }

    @Test
    void zeroInputs_endAtOnceAsComplete() {
        ProgressBar bar = bar().build();
        bar.onCallStarted(1, "map", 0);
        bar.onCallEnded(1, 0);
        assertEquals(List.of("map 0/0 100% [########################################] ?/s 00:00", ""), screen());
    }

    @Test
    void failures_shownOnTheFinalLine() {
        ProgressBar bar = bar().build();
        bar.onCallStarted(1, "mapResults", 3);
        advance(Duration.ofSeconds(3));
        bar.onProgress(1, 3, 3);
        bar.onCallEnded(1, 2);
        assertTrue(output().strip().endsWith("1.0/s 00:03, 2 failed"), output());
    }

    @Test
    void notATerminal_plainLineEveryFewSeconds_noControlCodes() {
        ProgressBar bar = bar().build();
        bar.onCallStarted(1, "map", 100);
        bar.onProgress(1, 1, 100);
        advance(Duration.ofSeconds(1));
        bar.onProgress(1, 2, 100);
        assertEquals("", output(), "no line before 5 s");
        advance(Duration.ofSeconds(4));
        bar.onProgress(1, 50, 100);
        advance(Duration.ofSeconds(1));
        bar.onProgress(1, 60, 100);
        advance(Duration.ofSeconds(5));
        bar.onProgress(1, 100, 100);
        bar.onCallEnded(1, 0);
        List<String> lines = Arrays.asList(output().split(System.lineSeparator()));
        assertEquals(3, lines.size(), output());
        assertTrue(lines.get(0).startsWith("map 50/100  50% ["), lines.get(0));
        assertTrue(lines.get(1).startsWith("map 100/100 100% ["), lines.get(1));
        assertTrue(lines.get(2).startsWith("map 100/100 100% ["), lines.get(2));
        assertTrue(output().replace(System.lineSeparator(), "").chars().allMatch(c -> c >= ' '),
                "no control characters: " + output());
    }

    @Test
    void notATerminal_plainLinesOff_printsNothing() {
        ProgressBar bar = bar().plainLines(false).build();
        bar.onCallStarted(1, "map", 2);
        advance(Duration.ofMinutes(1));
        bar.onProgress(1, 2, 2);
        bar.onCallEnded(1, 0);
        assertEquals("", output());
    }

    @Test
    void concurrentCalls_liveLineShowsTheOldestAndHowManyMore_eachEndsOnItsOwnLine() {
        ProgressBar bar = bar().terminal(true).label("job").build();
        bar.onCallStarted(1, "map", 10);
        bar.onCallStarted(2, "map", 20);
        bar.onCallStarted(3, "map", 30);
        assertTrue(screen().get(0).startsWith("job 0/10 ") && screen().get(0).endsWith("[+2 calls]"), screen().toString());
        bar.onProgress(1, 10, 10);
        bar.onCallEnded(1, 0);
        bar.onProgress(3, 30, 30);
        bar.onCallEnded(3, 0);
        List<String> screen = screen();
        assertEquals(3, screen.size(), screen.toString());
        assertTrue(screen.get(0).startsWith("job 10/10 100%"), screen.toString());
        assertTrue(screen.get(1).startsWith("job 30/30 100%"), screen.toString());
        assertTrue(screen.get(2).startsWith("job 0/20   0%") && !screen.get(2).contains("+"), screen.toString());
        for (String line : screen) {
            assertTrue(line.length() <= 80, line);
        }
    }

    @Test
    void lateProgressAfterTheEnd_doesNotReviveTheBar() {
        ProgressBar bar = bar().terminal(true).build();
        bar.onCallStarted(1, "map", 2);
        bar.onProgress(1, 2, 2);
        bar.onCallEnded(1, 0);
        String before = output();
        advance(Duration.ofSeconds(1));
        bar.onProgress(1, 1, 2); // a slower thread's report, overtaken by the last one
        assertEquals(before, output());
    }

    @Test
    void manyThreadsReporting_finalLineCountsEveryInput() throws Exception {
        int threads = 8;
        int perThread = 1000;
        long total = (long) threads * perThread;
        ProgressBar bar = bar().terminal(true).refresh(Duration.ZERO).build();
        bar.onCallStarted(1, "map", total);
        AtomicLong done = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    bar.onProgress(1, done.incrementAndGet(), total);
                }
            });
            worker.start();
            workers.add(worker);
        }
        go.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(worker.isAlive());
        }
        bar.onCallEnded(1, 0);
        assertTrue(screen().get(0).startsWith("map 8000/8000 100%"), screen().toString());
    }

    @Test
    void withAPool_finalLineBeforeMapReturns() {
        try (Pool<Integer, Integer> pool = SerialPool.builder().listener(bar().build()).chunkSize(1).build()) {
            pool.map(x -> x * 2, List.of(1, 2, 3));
            assertTrue(output().startsWith("map 3/3 100% ["), output());
            assertThrows(TaskFailedException.class, () -> pool.map(x -> {
                throw new IllegalStateException("boom");
            }, List.of(1)));
            assertTrue(output().strip().endsWith(", 1 failed"), output());
        }
    }

    @Test
    void builder_refusesBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> ProgressBar.builder().columns(19));
        assertThrows(IllegalArgumentException.class, () -> ProgressBar.builder().refresh(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> ProgressBar.to(null));
    }
}
