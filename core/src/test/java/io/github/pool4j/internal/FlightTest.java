package io.github.pool4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolBuilder;
import io.github.pool4j.PoolListener;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.SerialPool;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.WorkerStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** pool4j's flight-recorder events, recorded with jdk.jfr.Recording and read back from the file. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FlightTest {

    private static final List<String> EVENTS = List.of("io.github.pool4j.Call", "io.github.pool4j.TaskFailure",
            "io.github.pool4j.WorkerStart", "io.github.pool4j.WorkerStop");

    @TempDir
    Path dir;

    private List<RecordedEvent> record(Runnable action) throws IOException {
        Path file = dir.resolve("pool4j.jfr");
        try (Recording recording = new Recording()) {
            for (String event : EVENTS) {
                recording.enable(event);
            }
            recording.start();
            action.run();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (EVENTS.contains(event.getEventType().getName())) {
                events.add(event);
            }
        }
        return events;
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    @Test
    void calls_recordedWithPoolOperationInputsDurationAndOutcome() throws IOException {
        List<RecordedEvent> events = record(() -> {
            try (Pool<Integer, Integer> pool = SerialPool.builder().chunkSize(1).build()) {
                pool.map(x -> x + 1, List.of(1, 2, 3));
                assertThrows(TaskFailedException.class, () -> pool.map(x -> {
                    throw new IllegalArgumentException("bad input " + x);
                }, List.of(7)));
                try (ResultIterator<Integer> it = pool.imap(x -> x, List.of(1, 2))) {
                    it.forEachRemaining(x -> { });
                }
            }
        });
        List<RecordedEvent> calls = named(events, "io.github.pool4j.Call");
        assertEquals(3, calls.size(), events::toString);
        RecordedEvent map = calls.get(0);
        assertTrue(map.getString("pool").startsWith("SerialPool"), map.toString());
        assertEquals("map", map.getString("operation"));
        assertEquals(3, map.getLong("inputs"));
        assertEquals("success", map.getString("outcome"));
        assertEquals(0, map.getLong("failedInputs"));
        assertFalse(map.getDuration().isNegative());

        RecordedEvent failing = calls.get(1);
        assertEquals("failure", failing.getString("outcome"));
        assertEquals(1, failing.getLong("failedInputs"));

        RecordedEvent imap = calls.get(2);
        assertEquals("imap", imap.getString("operation"));
        assertEquals(-1, imap.getLong("inputs"));
        assertEquals(map.getLong("callId") + 2, imap.getLong("callId"));

        List<RecordedEvent> failures = named(events, "io.github.pool4j.TaskFailure");
        assertEquals(1, failures.size(), events::toString);
        RecordedEvent failure = failures.get(0);
        assertEquals(IllegalArgumentException.class.getName(), failure.getString("exceptionClass"));
        assertEquals(TaskFailedException.class.getName(), failure.getString("failure"));
        assertEquals("bad input 7", failure.getString("message"));
        assertEquals(0, failure.getLong("inputIndex"));
        assertEquals(failing.getLong("callId"), failure.getLong("callId"));
    }

    @Test
    void cancelledInputs_areNotTaskFailures() throws IOException {
        List<RecordedEvent> events = record(() -> {
            try (Pool<Integer, Integer> pool = SerialPool.builder().chunkSize(1).build()) {
                assertThrows(TaskFailedException.class, () -> pool.map(x -> {
                    throw new IllegalStateException("first");
                }, List.of(1, 2, 3, 4)));
            }
        });
        assertEquals(1, named(events, "io.github.pool4j.TaskFailure").size(), "only the input that failed, not the 3 given up on");
    }

    @Test
    void workers_startAndStopRecorded() throws IOException {
        // A process pool calls this beside its own listener, from its worker monitor.
        List<RecordedEvent> events = record(() -> {
            PoolListener listener = Flight.workerEvents();
            listener.onWorkerStarted(new WorkerStats("worker-1", 4242, 0, -1, true));
            listener.onWorkerStopped(new WorkerStats("worker-1", 4242, 5, 30_000_000, false),
                    new WorkerCrashedException("worker-1 (pid 4242) exited with status 137", 3, 4242, 137, "SIGKILL", List.of()));
            listener.onWorkerStopped(new WorkerStats("worker-2", 4243, 7, -1, false), null);
        });
        RecordedEvent start = named(events, "io.github.pool4j.WorkerStart").get(0);
        assertEquals("worker-1", start.getString("worker"));
        assertEquals(4242, start.getLong("pid"));
        List<RecordedEvent> stops = named(events, "io.github.pool4j.WorkerStop");
        assertEquals(2, stops.size());
        assertTrue(stops.get(0).getBoolean("crashed"));
        assertEquals(137, stops.get(0).getInt("exitCode"));
        assertTrue(stops.get(0).getString("reason").contains("exited with status 137"));
        assertEquals(5, stops.get(0).getLong("tasksDone"));
        assertFalse(stops.get(1).getBoolean("crashed"));
        assertEquals("stopped", stops.get(1).getString("reason"));
    }

    @Test
    void aPoolWithoutListener_keepsNone() {
        // The engine skips progress work for a pool whose listener is NONE; recording must not change that.
        assertSame(PoolListener.NONE, new ListenerOfBuild().builtListener());
    }

    @Test
    void notRecording_noEventIsBuilt() {
        assertNull(Flight.callStarted("pool", 1, "map", 3), "no recording runs, so no event object is kept");
    }

    @Test
    void withoutTheJfrModule_coreStillRuns() throws Exception {
        // A JVM whose boot layer lacks jdk.jfr, as a jlink image without it.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--limit-modules", "java.base,java.logging",
                "-cp", System.getProperty("java.class.path"), NoFlightRecorderMain.class.getName())
                .redirectErrorStream(true)
                .start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertEquals("jfr=false map=[2, 3] failure=TaskFailedException", output.strip());
    }

    /** A builder as every pool's: shows the listener its pools are built with. */
    private static final class ListenerOfBuild extends PoolBuilder<ListenerOfBuild> {
        PoolListener builtListener() {
            return io.github.pool4j.spi.PoolOptions.of(this).listener();
        }
    }

}
