package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeftovers.class)
class MainTest {

    private static final List<String> COMMANDS =
            List.of("single-process", "say-hello", "process-vs-thread", "memory", "race-condition");

    @ParameterizedTest
    @ValueSource(strings = {"", "--help", "-h"})
    void noCommandOrHelp_listsEveryCommandOnOneLine_exit0(String arg) {
        Run run = arg.isEmpty() ? Run.of() : Run.of(arg);

        assertEquals(0, run.exitCode());
        for (String command : COMMANDS) {
            long lines = run.outLines().stream().filter(l -> l.strip().startsWith(command + " ")).count();
            assertEquals(1, lines, command + " listed once with its description in:\n" + run.out());
        }
        assertEquals("", run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "say-hello",                             // neither --processes nor --threads
        "say-hello --processes --threads",       // both
        "say-hello --threads --sleep abc",
        "say-hello --threads --sleep -1",
        "say-hello --threads --workers 0",
        "memory --threads --svg chart.svg",      // --svg needs --compare
        "memory --threads --size -5",
        "process-vs-thread --repeat 0",
        "race-condition --workers x",
        "no-such-command",
        "--no-such-option"
    })
    void badArguments_printUsageOnStderr_exit2_noStackTrace(String args) {
        Run run = Run.of(args.split(" "));

        assertAll(
                () -> assertEquals(2, run.exitCode()),
                () -> assertTrue(run.err().contains("Usage:"), "usage in:\n" + run.err()),
                () -> assertFalse(run.err().contains("Exception"), "no exception in:\n" + run.err()),
                () -> assertFalse(run.err().contains("\tat "), "no stack trace in:\n" + run.err()),
                () -> assertFalse(run.out().contains("Hi "), "nothing ran"));
    }

    @Test
    void commandHelp_describesItsOptions_exit0() {
        Run run = Run.of("say-hello", "--help");

        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("--processes"), run.out());
        assertTrue(run.out().contains("--threads"), run.out());
        assertTrue(run.out().contains("--sleep=SECONDS"), run.out());
    }
}
