package io.github.pool4j.process.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProgressNoteTest {

    @Test
    void runningAndFinished_nameTheCallAndPosition() {
        long running = ProgressNote.running(7, 0);
        assertNotEquals(ProgressNote.NONE, running, "the first input of a call is a note, not none");
        assertTrue(ProgressNote.names(running, 7));
        assertFalse(ProgressNote.names(running, 8));
        assertEquals(0, ProgressNote.position(running));
        assertFalse(ProgressNote.isFinished(running));
        long finished = ProgressNote.finished(7, 41);
        assertTrue(ProgressNote.names(finished, 7));
        assertEquals(41, ProgressNote.position(finished));
        assertTrue(ProgressNote.isFinished(finished));
    }

    @Test
    void callIds_areComparedOnTheir31LowBits() {
        long id = (1L << 31) + 5;
        assertTrue(ProgressNote.names(ProgressNote.running(id, 2), 5));
        assertTrue(ProgressNote.names(ProgressNote.running(id, 2), id));
        assertFalse(ProgressNote.names(ProgressNote.NONE, 0));
        assertEquals(-1, ProgressNote.position(ProgressNote.NONE));
    }
}
