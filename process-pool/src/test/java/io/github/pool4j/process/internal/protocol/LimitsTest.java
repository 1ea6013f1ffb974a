package io.github.pool4j.process.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void parentsKnownTasks_neverExceedTheWorkers() {
        // The parent skips a definition the worker is thought to know: the worker must still hold it.
        assertTrue(Limits.PARENT_KNOWN_TASKS <= Limits.WORKER_KNOWN_TASKS,
                "PARENT_KNOWN_TASKS " + Limits.PARENT_KNOWN_TASKS + " > WORKER_KNOWN_TASKS "
                        + Limits.WORKER_KNOWN_TASKS);
    }

    @Test
    void frameSlack_holdsTheHeadsOfFramesWithPayloads() {
        long big = Long.MAX_VALUE / 4;
        byte[] results = Wire.resultsHead(big, Integer.MAX_VALUE, big);
        assertTrue(results.length + Wire.RESULTS_TAIL.length <= Limits.FRAME_SLACK,
                new String(results, StandardCharsets.US_ASCII));
        byte[] call = new Wire(new io.github.pool4j.codec.Json(1 << 20)).callHead(big, big, new BitSet());
        assertTrue(call.length <= Limits.FRAME_SLACK, new String(call, StandardCharsets.US_ASCII));
        assertEquals(1024 - Limits.FRAME_SLACK, Limits.payloadLimit(1024));
        assertEquals(1024 + Limits.FRAME_SLACK, Limits.lineLimit(1024));
    }
}
