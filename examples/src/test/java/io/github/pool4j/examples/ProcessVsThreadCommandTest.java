package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

@ExtendWith(NoLeftovers.class)
class ProcessVsThreadCommandTest {

    /** The post's {@code @timed} line: a name, a space, decimal seconds with a dot. */
    private static final Pattern TIMING = Pattern.compile("^(run_thread|run_process) \\d+\\.\\d+$");

    @Test
    void processVsThread_printsOneTimingEachThenRatioAndChart() {
        Run run = Run.of("process-vs-thread");

        assertEquals(0, run.exitCode(), run.err());
        List<String> timings = run.outLines().stream().filter(l -> TIMING.matcher(l).matches()).toList();
        assertEquals(2, timings.size(), run.out());
        assertTrue(timings.get(0).startsWith("run_thread "), run.out());
        assertTrue(timings.get(1).startsWith("run_process "), run.out());
        assertTrue(Pattern.compile("^a thread starts \\d+x faster than a process \\(one run each, .*\\)$", Pattern.MULTILINE)
                .matcher(run.out()).find(), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("run_process |#")), run.out());
    }

    @Test
    void processVsThread_repeat_printsEveryTimingThenMinAndMedian_andWritesSvg(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("start.svg");
        Run run = Run.of("process-vs-thread", "--repeat", "3", "--svg", svg.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(3, run.outLines().stream().filter(l -> l.matches("^run_thread \\d+\\.\\d+$")).count(), run.out());
        assertEquals(3, run.outLines().stream().filter(l -> l.matches("^run_process \\d+\\.\\d+$")).count(), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("^run_thread  min \\d+\\.\\d+ median \\d+\\.\\d+ over 3 runs$")),
                run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("^run_process min \\d+\\.\\d+ median \\d+\\.\\d+ over 3 runs$")),
                run.out());
        assertTrue(run.out().contains("faster than a process (medians of 3 runs)"), run.out());
        Document chart = BarChartTest.parseSvg(Files.readString(svg));
        assertEquals(3, chart.getElementsByTagName("rect").getLength());
        assertTrue(chart.getDocumentElement().getTextContent().contains("run_process"));
    }
}
