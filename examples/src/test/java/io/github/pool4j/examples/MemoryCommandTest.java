package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

@ExtendWith(NoLeftovers.class)
class MemoryCommandTest {

    private static final Pattern TOTAL =
            Pattern.compile("^total RSS (\\d+) KiB \\(\\d+\\.\\d MiB\\) in (\\d+) process(es)?$", Pattern.MULTILINE);

    @Test
    void memory_threads_oneProcess_totalRssIsTheSumOfItsRow() {
        Run run = Run.of("memory", "--threads", "--size", "1000", "--sleep", "0.2");

        assertEquals(0, run.exitCode(), run.err());
        PsTable table = PsTable.parse(run.out());
        assertEquals(1, table.rows().size(), run.out());
        assertEquals(ProcessHandle.current().pid(), table.rows().get(0).pid());
        assertTotal(run, table, 1);
        assertTrue(run.out().contains("each worker returned 1,000 numbers, the last one 1000"), run.out());
    }

    @Test
    void memory_processes_thisJvmAndThreeWorkers_totalRssIsTheSumOfTheRows() {
        Run run = Run.of("memory", "--processes", "--size", "1000", "--sleep", "0.2");

        assertEquals(0, run.exitCode(), run.err());
        PsTable table = PsTable.parse(run.out());
        assertEquals(4, table.distinctPids(), run.out());
        assertTrue(table.rows().stream().allMatch(r -> r.rssKiB() > 0), run.out());
        assertTotal(run, table, 4);
        assertTrue(run.out().contains("each worker returned 1,000 numbers, the last one 1000"), run.out());
    }

    @Test
    void memory_compare_runsBothInFreshJvms_printsRatioChartAndSvg(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("memory.svg");
        Run run = Run.of("memory", "--compare", "--size", "1000", "--sleep", "0.2", "--svg", svg.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("threads: 3 workers each map a list of 1,000 numbers"), run.out());
        assertTrue(run.out().contains("processes: 3 workers each map a list of 1,000 numbers"), run.out());
        Matcher ratio = Pattern.compile("^processes/threads: (\\d+\\.\\d)x the memory \\((\\d+\\.\\d) MiB vs (\\d+\\.\\d) MiB\\)$",
                Pattern.MULTILINE).matcher(run.out());
        assertTrue(ratio.find(), run.out());
        assertTrue(Double.parseDouble(ratio.group(2)) > 0 && Double.parseDouble(ratio.group(3)) > 0, ratio.group());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("processes |#")), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("threads   |#")), run.out());
        Document chart = BarChartTest.parseSvg(Files.readString(svg));
        assertEquals("svg", chart.getDocumentElement().getLocalName());
        assertEquals(3, chart.getElementsByTagName("rect").getLength());
    }

    @Test
    void memory_oneWorker_saysWorkerInTheSingular() {
        Run run = Run.of("memory", "--threads", "--size", "10", "--workers", "1", "--sleep", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("threads: 1 worker maps a list of 10 numbers to the list plus one"), run.out());
    }

    @Test
    void memory_processes_theLargestSizeAccepted_works() {
        String largest = Integer.toString(MemoryCommand.MAX_PROCESS_SIZE);
        Run run = Run.of("memory", "--processes", "--size", largest, "--workers", "1", "--sleep", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "each worker returned %,d numbers, the last one %d",
                MemoryCommand.MAX_PROCESS_SIZE, MemoryCommand.MAX_PROCESS_SIZE)), run.out());
    }

    private static void assertTotal(Run run, PsTable table, int processes) {
        Matcher total = TOTAL.matcher(run.out());
        assertTrue(total.find(), run.out());
        long kib = Long.parseLong(total.group(1));
        assertTrue(kib > 0, total.group());
        assertEquals(table.totalRssKiB(), kib, "the total is the sum of the rows printed");
        assertEquals(processes, Integer.parseInt(total.group(2)));
    }
}
