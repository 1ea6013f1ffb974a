package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
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
        "process-vs-thread --svg /nonexistent/dir/x.svg",
        "memory --compare --svg /nonexistent/dir/x.svg",
        "memory --processes --size 20000000",    // more than a worker's frame and heap take
        "memory --compare --size 20000000",
        "memory --threads --size 50000001",
        "memory --threads --workers 65",
        "say-hello --processes --all-threads",   // lists one JVM's threads: --threads only
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

    @ParameterizedTest
    @ValueSource(strings = {
        "memory --processes --size 20000000|--size must be between 0 and 3,000,000 with --processes (each worker"
                + " JVM holds the list and its result in its 256 MiB heap), was 20,000,000",
        "memory --threads --size 50000001|--size must be between 0 and 50,000,000, was 50,000,001",
        "say-hello --processes --all-threads|--all-threads lists the threads of one JVM: use it with --threads, not --processes",
        "memory --compare --svg /nonexistent/dir/x.svg|--svg /nonexistent/dir/x.svg cannot be written: directory"
                + " /nonexistent/dir does not exist"
    })
    void badArguments_messageSaysWhy(String argsAndMessage) {
        String[] parts = argsAndMessage.split("\\|");
        Run run = Run.of(parts[0].split(" "));

        assertEquals(2, run.exitCode());
        assertEquals(parts[1], run.err().lines().findFirst().orElse(""), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"say-hello", "memory", "process-vs-thread", "race-condition"})
    void commandHelp_showsTheValidRanges(String command) {
        Run run = Run.of(command, "--help");

        assertEquals(0, run.exitCode());
        String help = run.out().replaceAll("\\s+", " ");
        Map<String, List<String>> ranges = Map.of(
                "say-hello", List.of("Pool size, 1 to 64", "0 to 86400"),
                "memory", List.of("0 to 50000000 with --threads, to 3000000 with --processes or --compare", "1 to 64",
                        "0 to 86400"),
                "process-vs-thread", List.of("1 to 1000"),
                "race-condition", List.of("2 to 64", "1 to 100000000", "1 to 10000"));
        for (String range : ranges.get(command)) {
            assertTrue(help.contains(range), range + " in:\n" + run.out());
        }
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
