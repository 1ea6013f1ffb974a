package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftovers.class)
class RaceConditionCommandTest {

    private static final Pattern LINE = Pattern.compile(
            "^(threads|processes),\\s+(.+?):\\s+expected (\\d+), actual (\\d+)(?:\\.\\.(\\d+))?"
                    + " -> lost updates in (\\d+) of (\\d+) trials$",
            Pattern.MULTILINE);

    @Test
    void raceCondition_unsafeCounterLosesUpdates_atomicAndProcessesLoseNone() {
        // The defaults: 4 threads x 10,000 increments, yielding between read and write, 10 trials.
        // No trial losing an update would take 4 runnable threads that never interleave once.
        Run run = Run.of("race-condition");

        assertEquals(0, run.exitCode(), run.err());
        Matcher m = LINE.matcher(run.out());
        assertTrue(m.find(), run.out());
        assertEquals("threads", m.group(1));
        assertTrue(m.group(2).contains("unsynchronised"), m.group(2));
        assertEquals("40000", m.group(3));
        assertTrue(Long.parseLong(m.group(4)) < 40_000, "some trial lost updates: " + m.group());
        assertTrue(Integer.parseInt(m.group(6)) > 0, m.group());
        assertEquals("10", m.group(7));

        assertTrue(m.find(), run.out());
        assertTrue(m.group(2).contains("AtomicLong"), m.group(2));
        assertNoLoss(m);

        assertTrue(m.find(), run.out());
        assertEquals("processes", m.group(1));
        assertNoLoss(m);

        assertTrue(run.out().contains("the parent's own counter after the processes ran: 0"), run.out());
    }

    @Test
    void raceCondition_noYieldSmallRun_printsExpectedPerTrialForEachCounter() {
        Run run = Run.of("race-condition", "--workers", "2", "--increments", "1000", "--trials", "2", "--no-yield");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("2 workers add 1000 each to one counter: expected 2000 per trial, 2 trials"
                + System.lineSeparator()), run.out());
        Matcher m = LINE.matcher(run.out());
        int lines = 0;
        while (m.find()) {
            assertEquals("2000", m.group(3));
            lines++;
        }
        assertEquals(3, lines, run.out());
    }

    private static void assertNoLoss(Matcher m) {
        assertEquals(m.group(3), m.group(4), m.group());
        assertEquals(null, m.group(5), m.group());
        assertEquals("0", m.group(6), m.group());
    }
}
