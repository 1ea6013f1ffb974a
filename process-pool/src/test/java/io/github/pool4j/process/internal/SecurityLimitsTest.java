package io.github.pool4j.process.internal;

import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.RemoteError;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.process.ProcessPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md's table of resource limits says what the code does: each row's default, built here
 * from the constant the row names, must be the text of the table, and every row must be checked.
 * A changed constant or a new row without a check fails this test, so the table cannot drift.
 */
class SecurityLimitsTest {

    private static final String SECTION = "## Resource limits and defaults";

    /** The default column each row must have, by the row's "where" column. */
    private static Map<String, String> expectedDefaults() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("`ProcessPool.Builder.maxFrameBytes`",
                mib(ProcessPool.Builder.DEFAULT_MAX_FRAME_BYTES) + " (1 KiB to just under 2 GiB)");
        rows.put("`ProcessPool.Builder.maxPayloadBytes`",
                mib(ProcessPool.Builder.DEFAULT_MAX_PAYLOAD_BYTES) + " (1 KiB to just under 2 GiB)");
        rows.put("`Json.MAX_NESTING_DEPTH`", Integer.toString(Json.MAX_NESTING_DEPTH));
        rows.put("`Json.MAX_NUMBER_LENGTH`", String.format(Locale.ROOT, "%,d characters", Json.MAX_NUMBER_LENGTH));
        rows.put("`Json`", "`maxFrameBytes`");
        rows.put("`RemoteError.MAX_CAUSES`, `MAX_SUPPRESSED`", RemoteError.MAX_CAUSES + " causes, cycles cut; "
                + RemoteError.MAX_SUPPRESSED + " suppressed per exception");
        rows.put("`RemoteError.MAX_MESSAGE_CHARS`, `MAX_PRINTED_CHARS`", kib(RemoteError.MAX_MESSAGE_CHARS) + " Ki / "
                + mib(RemoteError.MAX_PRINTED_CHARS).replace(" MiB", " Mi") + " characters");
        rows.put("`WorkerProcess.STDERR_TAIL`", Integer.toString(WorkerProcess.STDERR_TAIL));
        rows.put("`OutputPump.MAX_LINE`", kib(OutputPump.MAX_LINE) + " KiB");
        rows.put("`WorkerProcess.MAX_PARTIAL`", kib(WorkerProcess.MAX_PARTIAL) + " Ki chars");
        rows.put("`Scheduler.SHALLOW_WINDOW`, `Scheduler.DEEP_WINDOW`", Scheduler.SHALLOW_WINDOW + "; up to "
                + Scheduler.DEEP_WINDOW + " while calls are short (at most " + mib(Scheduler.DEEP_WINDOW_BYTES)
                + " of call frames and about " + TimeUnit.NANOSECONDS.toMillis(Scheduler.DEEP_WINDOW_NANOS)
                + " ms of estimated work queued beyond the first " + Scheduler.SHALLOW_WINDOW + ")");
        rows.put("`WorkerMain.FLUSH_MILLIS`", "about " + WorkerMain.FLUSH_MILLIS + " ms");
        rows.put("`ProcessPool.Builder.DEFAULT_JVM_OPTIONS`", "`" + String.join(" ",
                ProcessPool.Builder.DEFAULT_JVM_OPTIONS) + "`, always `-XX:+ExitOnOutOfMemoryError`, and `"
                + String.join(" ", Launcher.HEAP_RATIO_OPTIONS) + "` unless the options set either ratio");
        rows.put("`Supervisor.HELLO_TIMEOUT_MILLIS`, `CrashPolicy.MAX_START_FAILURES`",
                TimeUnit.MILLISECONDS.toSeconds(Supervisor.HELLO_TIMEOUT_MILLIS) + " s to say hello; "
                        + CrashPolicy.MAX_START_FAILURES + " failed starts in a row stop respawning");
        rows.put("`PoolBuilder.taskTimeout`", "none");
        return rows;
    }

    private static String mib(long bytes) {
        assertEquals(0, bytes % (1024 * 1024), bytes + " is not whole MiB");
        return bytes / (1024 * 1024) + " MiB";
    }

    private static long kib(long bytes) {
        assertEquals(0, bytes % 1024, bytes + " is not whole KiB");
        return bytes / 1024;
    }

    /** The table's rows as cells, header and separator left out. */
    private static List<List<String>> table() throws IOException {
        Path file = Path.of("").toAbsolutePath();
        while (file != null && !Files.exists(file.resolve("SECURITY.md"))) {
            file = file.getParent();
        }
        assertTrue(file != null, "SECURITY.md not found above " + Path.of("").toAbsolutePath());
        List<String> lines = Files.readAllLines(file.resolve("SECURITY.md"));
        int start = lines.indexOf(SECTION);
        assertTrue(start >= 0, "SECURITY.md has no section " + SECTION);
        List<String> section = lines.subList(start + 1, lines.size());
        List<String> rows = section.stream()
                .takeWhile(l -> !l.startsWith("## "))
                .filter(l -> l.startsWith("|"))
                .skip(2)
                .toList();
        return rows.stream().map(r -> List.of(r.substring(1, r.length() - 1).split("\\|")).stream()
                .map(String::trim).toList()).toList();
    }

    @Test
    void limitsTable_everyRowMatchesTheConstantItNames() throws IOException {
        Map<String, String> expected = expectedDefaults();
        Map<String, String> documented = new LinkedHashMap<>();
        for (List<String> cells : table()) {
            assertEquals(4, cells.size(), "a limits row needs 4 cells: " + cells);
            String where = cells.get(2);
            assertTrue(expected.containsKey(where),
                    "SECURITY.md has a limits row SecurityLimitsTest does not check; add it there: " + cells);
            documented.put(where, cells.get(1));
        }
        assertEquals(expected, documented, "SECURITY.md's limits table (default column, by where)");
    }

    @Test
    void maxFrameBytes_boundsAreTheDocumentedOnes() {
        ProcessPool.Builder builder = ProcessPool.builder();
        assertDoesNotThrow(() -> builder.maxFrameBytes(1024));
        assertThrows(IllegalArgumentException.class, () -> builder.maxFrameBytes(1023));
        long justUnder2GiB = Integer.MAX_VALUE - 1024L;
        assertDoesNotThrow(() -> builder.maxFrameBytes(justUnder2GiB));
        assertThrows(IllegalArgumentException.class, () -> builder.maxFrameBytes(justUnder2GiB + 1));
    }

    @Test
    void maxPayloadBytes_boundsAreTheDocumentedOnes() {
        ProcessPool.Builder builder = ProcessPool.builder();
        assertDoesNotThrow(() -> builder.maxPayloadBytes(1024));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.maxPayloadBytes(1023));
        assertTrue(e.getMessage().contains("maxPayloadBytes") && e.getMessage().contains("1023"), e.getMessage());
        long justUnder2GiB = Integer.MAX_VALUE - 1024L;
        assertDoesNotThrow(() -> builder.maxPayloadBytes(justUnder2GiB));
        assertThrows(IllegalArgumentException.class, () -> builder.maxPayloadBytes(justUnder2GiB + 1));
        assertEquals(64, io.github.pool4j.process.internal.protocol.Limits.SEGMENT_OVERHEAD, "SECURITY.md says 64 bytes");
    }
}
