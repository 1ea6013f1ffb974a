package io.github.pool4j.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.process.internal.WorkerProcess.ExitReason;
import org.junit.jupiter.api.Test;

class ExitReasonTest {

    @Test
    void firstFaultStays_andOverridesAPlannedExit() {
        assertEquals(ExitReason.STOPPED, ExitReason.after(null, ExitReason.STOPPED));
        assertEquals(ExitReason.PROTOCOL_ERROR, ExitReason.after(ExitReason.STOPPED, ExitReason.PROTOCOL_ERROR),
                "a worker that breaks the protocol while it drains is a fault, not a planned exit");
        assertEquals(ExitReason.TIMED_OUT, ExitReason.after(ExitReason.TIMED_OUT, ExitReason.UNRESPONSIVE),
                "the timeout it reported explains its death better than the kill that followed");
        assertEquals(ExitReason.UNRESPONSIVE, ExitReason.after(ExitReason.UNRESPONSIVE, ExitReason.STOPPED));
        assertEquals(ExitReason.RETIRED, ExitReason.after(ExitReason.RETIRED, ExitReason.STOPPED),
                "a planned exit is not replaced by another");
    }

    @Test
    void onlyCrashLikeDeathsBlameTheRunningInput() {
        for (ExitReason reason : ExitReason.values()) {
            boolean crashLike = reason == ExitReason.UNRESPONSIVE || reason == ExitReason.PROTOCOL_ERROR;
            assertEquals(crashLike, reason.blamesInput, reason.name());
        }
        assertFalse(ExitReason.STOPPED.fault);
        assertFalse(ExitReason.RETIRED.fault);
        assertTrue(ExitReason.INIT_FAILED.fault);
    }
}
