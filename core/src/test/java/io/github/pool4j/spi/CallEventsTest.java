package io.github.pool4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.PoolListener;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.SerialPool;
import io.github.pool4j.TaskFailedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The call lifecycle events every engine-built pool sends: onCallStarted, onProgress, onCallEnded. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallEventsTest {

    /** Records events as strings, in the order they arrive. */
    static final class Recorder implements PoolListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onCallStarted(long callId, String operation, long total) {
            events.add("start " + callId + " " + operation + " " + total);
        }

        @Override
        public void onProgress(long callId, long done, long total) {
            events.add("progress " + callId + " " + done + "/" + total);
        }

        @Override
        public void onCallEnded(long callId, long failed) {
            events.add("end " + callId + " failed=" + failed);
        }
    }

    @Test
    void map_startsReportsAndEndsBeforeItReturns() {
        Recorder recorder = new Recorder();
        try (Pool<Integer, Integer> pool = SerialPool.builder().listener(recorder).chunkSize(1).build()) {
            pool.map(x -> x, List.of(1, 2));
            assertEquals(List.of("start 1 map 2", "progress 1 1/2", "progress 1 2/2", "end 1 failed=0"), recorder.events);
        }
    }

    @Test
    void perCallListener_hearsItsCallStartAndEnd_poolListenerToo() {
        Recorder pool = new Recorder();
        Recorder call = new Recorder();
        try (Pool<Integer, Integer> serial = SerialPool.builder().listener(pool).chunkSize(1).build()) {
            serial.map(x -> x, List.of(1), CallOptions.listener(call));
            serial.map(x -> x, List.of(1));
        }
        assertEquals(List.of("start 1 map 1", "progress 1 1/1", "end 1 failed=0"), call.events);
        assertEquals(6, pool.events.size(), pool.events::toString);
    }

    @Test
    void map_emptyInputs_startsAndEnds() {
        Recorder recorder = new Recorder();
        try (Pool<Integer, Integer> pool = SerialPool.builder().listener(recorder).build()) {
            pool.map(x -> x, List.of());
            assertEquals(List.of("start 1 map 0", "end 1 failed=0"), recorder.events);
        }
    }

    @Test
    void mapResults_countsFailedInputsAtTheEnd() {
        Recorder recorder = new Recorder();
        try (Pool<Integer, Integer> pool = SerialPool.builder().listener(recorder).chunkSize(1).build()) {
            pool.mapResults(x -> {
                if (x % 2 == 0) {
                    throw new IllegalStateException("even");
                }
                return x;
            }, List.of(1, 2, 3, 4));
            assertEquals("start 1 mapResults 4", recorder.events.get(0));
            assertEquals("end 1 failed=2", recorder.events.get(recorder.events.size() - 1));
        }
    }

    @Test
    void map_failingFast_endsOnceWithTheFailure() {
        Recorder recorder = new Recorder();
        try (Pool<Integer, Integer> pool = SerialPool.builder().listener(recorder).chunkSize(1).build()) {
            assertThrows(TaskFailedException.class, () -> pool.map(x -> {
                throw new IllegalStateException("no");
            }, List.of(1, 2, 3)));
            List<String> ends = recorder.events.stream().filter(e -> e.startsWith("end")).toList();
            assertEquals(1, ends.size(), recorder.events::toString);
            // At least the failure itself; inputs given up on after the end are not counted in it.
            long failed = Long.parseLong(ends.get(0).substring("end 1 failed=".length()));
            assertEquals(true, failed >= 1 && failed <= 3, ends::toString);
        }
    }

    @Test
    void submitAndImap_nameTheirOperation_imapTotalUnknownAtStart() throws Exception {
        Recorder recorder = new Recorder();
        try (Pool<Integer, Integer> pool = SerialPool.builder().listener(recorder).chunkSize(1).build()) {
            pool.submit(x -> x, 7).get(10, TimeUnit.SECONDS);
            try (ResultIterator<Integer> it = pool.imap(x -> x, List.of(1, 2))) {
                while (it.hasNext()) {
                    it.next();
                }
            }
            pool.imapUnordered(x -> x, List.of(1)).close();
            List<String> lifecycle = recorder.events.stream().filter(e -> !e.startsWith("progress")).toList();
            assertEquals(List.of("start 1 submit 1", "end 1 failed=0", "start 2 imap -1", "end 2 failed=0",
                    "start 3 imapUnordered -1", "end 3 failed=0"), lifecycle);
        }
    }
}
