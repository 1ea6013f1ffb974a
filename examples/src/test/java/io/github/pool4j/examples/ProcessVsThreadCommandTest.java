package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    private static final Pattern TIMING = Pattern.compile("^(run_thread|run_os_process|run_process) \\d+\\.\\d+$");

    private static boolean hasTrue() {
        return Files.isExecutable(Path.of("/bin/true")) || Files.isExecutable(Path.of("/usr/bin/true"));
    }

    @Test
    void processVsThread_timesThreadOsProcessAndWorkerJvm_thenRatiosWhereTheyComeFromAndChart() {
        assumeTrue(hasTrue(), "needs /bin/true");
        Run run = Run.of("process-vs-thread");

        assertEquals(0, run.exitCode(), run.err());
        List<String> timings = run.outLines().stream().filter(l -> TIMING.matcher(l).matches()).toList();
        assertEquals(3, timings.size(), run.out());
        assertTrue(timings.get(0).startsWith("run_thread "), run.out());
        assertTrue(timings.get(1).startsWith("run_os_process "), run.out());
        assertTrue(timings.get(2).startsWith("run_process "), run.out());
        assertTrue(Pattern.compile("^an OS process takes \\d+(\\.\\d)?x as long to start as a thread, a worker JVM"
                + " \\d+(\\.\\d)?x \\(one run each; --repeat N prints min and median\\)$", Pattern.MULTILINE).matcher(run.out()).find(), run.out());
        assertTrue(run.out().contains("where the difference comes from:"), run.out());
        assertTrue(Pattern.compile("^  thread vs OS process \\(\\d+(\\.\\d)?x\\): the post's comparison, ~15x there, where a"
                + " process is a fork",
                Pattern.MULTILINE).matcher(run.out()).find(), run.out());
        assertTrue(Pattern.compile("^  OS process vs worker JVM \\(\\d+(\\.\\d)?x\\): a worker is a new JVM that boots",
                Pattern.MULTILINE).matcher(run.out()).find(), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("run_os_process |#")), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("run_process    |#")), run.out());
    }

    @Test
    void processVsThread_repeat_printsEveryTimingThenMinAndMedian_andWritesSvg(@TempDir Path dir) throws Exception {
        assumeTrue(hasTrue(), "needs /bin/true");
        Path svg = dir.resolve("start.svg");
        Run run = Run.of("process-vs-thread", "--repeat", "3", "--svg", svg.toString());

        assertEquals(0, run.exitCode(), run.err());
        for (String name : List.of("run_thread", "run_os_process", "run_process")) {
            assertEquals(3, run.outLines().stream().filter(l -> l.matches("^" + name + " \\d+\\.\\d+$")).count(), run.out());
            assertTrue(run.out().lines().anyMatch(l -> l.matches("^" + name + " *min \\d+\\.\\d+ median \\d+\\.\\d+ over 3 runs$")),
                    name + " in " + run.out());
        }
        assertTrue(Pattern.compile("a worker JVM \\d+(\\.\\d)?x \\(medians of 3 runs\\)$", Pattern.MULTILINE)
                .matcher(run.out()).find(), run.out());
        Document chart = BarChartTest.parseSvg(Files.readString(svg));
        assertEquals(4, chart.getElementsByTagName("rect").getLength(), "a background and three bars");
        assertTrue(chart.getDocumentElement().getTextContent().contains("run_os_process"));
    }

    @Test
    void processVsThread_svgInAMissingDirectory_refusedBeforeRunning_exit2() {
        Run run = Run.of("process-vs-thread", "--svg", "/nonexistent/dir/x.svg");

        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.err().startsWith("--svg /nonexistent/dir/x.svg cannot be written: directory /nonexistent/dir does not exist"),
                run.err());
        assertFalse(run.out().contains("run_thread"), "nothing ran: " + run.out());
    }

    @Test
    void processVsThread_svgIsADirectory_refusedBeforeRunning_exit2(@TempDir Path dir) {
        Run run = Run.of("process-vs-thread", "--svg", dir.toString());

        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.err().startsWith("--svg " + dir + " cannot be written: it is a directory"), run.err());
        assertFalse(run.out().contains("run_thread"), "nothing ran: " + run.out());
    }
}
