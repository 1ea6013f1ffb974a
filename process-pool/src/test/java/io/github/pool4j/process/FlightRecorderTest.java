package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.WorkerCrashedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A ProcessPool's flight-recorder events with real worker JVMs: starts, a crash, orderly stops. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FlightRecorderTest {

    @TempDir
    Path dir;

    @AfterEach
    void nothingLeft() {
        Leftovers.assertNone();
    }

    @Test
    void workerCrash_recordedAsCrashedStopWithExitCode_andAsTaskFailure() throws IOException {
        Path file = dir.resolve("pool.jfr");
        try (Recording recording = new Recording()) {
            for (String event : List.of("Call", "TaskFailure", "WorkerStart", "WorkerStop")) {
                recording.enable("io.github.pool4j." + event);
            }
            recording.start();
            try (Pool<Integer, Integer> pool = ProcessPool.builder().size(1).build()) {
                assertThrows(WorkerCrashedException.class, () -> pool.map(x -> {
                    Runtime.getRuntime().halt(3);
                    return x;
                }, List.of(1)));
                assertEquals(List.of(2), pool.map(x -> x + 1, List.of(1)));
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("io.github.pool4j."))
                .toList();
        List<RecordedEvent> starts = named(events, "WorkerStart").stream()
                .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime))
                .toList();
        List<RecordedEvent> stops = named(events, "WorkerStop");
        assertEquals(2, starts.size(), "the first worker and its replacement: " + events);
        assertEquals(2, stops.size(), events::toString);
        RecordedEvent crashed = stops.stream().filter(e -> e.getBoolean("crashed")).findFirst().orElseThrow();
        assertEquals(3, crashed.getInt("exitCode"));
        assertEquals(starts.get(0).getLong("pid"), crashed.getLong("pid"));
        RecordedEvent closed = stops.stream().filter(e -> !e.getBoolean("crashed")).findFirst().orElseThrow();
        assertEquals(starts.get(1).getLong("pid"), closed.getLong("pid"));
        assertEquals("stopped", closed.getString("reason"));

        RecordedEvent failure = named(events, "TaskFailure").get(0);
        assertEquals(WorkerCrashedException.class.getName(), failure.getString("failure"));
        // Events of different threads reach the file in buffer order, not in the order they happened.
        List<RecordedEvent> calls = named(events, "Call").stream()
                .sorted(java.util.Comparator.comparingLong(e -> e.getLong("callId")))
                .toList();
        assertEquals(2, calls.size());
        assertEquals("failure", calls.get(0).getString("outcome"));
        assertEquals("success", calls.get(1).getString("outcome"));
        assertFalse(calls.get(0).getString("pool").isEmpty());
        assertTrue(calls.get(1).getDuration().toNanos() >= 0);
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals("io.github.pool4j." + name)).toList();
    }
}
