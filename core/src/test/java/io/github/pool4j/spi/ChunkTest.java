package io.github.pool4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.PoolException;
import io.github.pool4j.TaskFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/** A chunk's outcomes: first report wins, one "resolved" signal per chunk. */
class ChunkTest {

    /** Records what the chunk reports to its call. */
    private static final class RecordingCall extends Call {
        final List<String> events = new ArrayList<>();

        RecordingCall() {
            super(null, 7, "prepared", io.github.pool4j.PoolListener.NONE);
        }

        @Override
        void onOutcome(Chunk chunk, int offset, boolean failed, boolean chunkResolved) {
            events.add(offset + (failed ? " failed" : " ok") + (chunkResolved ? " resolved" : ""));
        }

        @Override
        void onSuccesses(Chunk chunk, int count, boolean chunkResolved) {
            events.add(count + " ok" + (chunkResolved ? " resolved" : ""));
        }

        @Override
        void abort(LongFunction<PoolException> failureForIndex) {}

        @Override
        void chunkCreated(Chunk chunk) {}

        @Override
        void register(Chunk chunk) {}
    }

    @Test
    void succeedAll_storesABatchInPlaceOrCopied_countsOnlyTheWins() {
        for (boolean randomAccess : new boolean[] {true, false}) {
            RecordingCall call = new RecordingCall();
            Chunk chunk = new Chunk(call, 0, java.util.Arrays.asList(new Object[5]), 0, 5, new Object[5]);
            assertTrue(chunk.fail(1, TaskFailedException.of(1, new RuntimeException())));
            List<Object> values = java.util.Arrays.asList("a", "b", null, "d");
            List<Object> batch = randomAccess ? values : new java.util.LinkedList<>(values);
            assertEquals(3, chunk.succeedAll(0, batch), "input 1 had its outcome already");
            assertEquals("a", Chunk.valueOf(chunk.outcome(0)));
            assertInstanceOf(Chunk.Failure.class, chunk.outcome(1));
            assertNull(Chunk.valueOf(chunk.outcome(2)));
            assertEquals("d", Chunk.valueOf(chunk.outcome(3)));
            assertFalse(chunk.isResolved());
            assertEquals(1, chunk.succeedAll(4, List.of("e")));
            assertTrue(chunk.isResolved());
            assertEquals(List.of("1 failed", "3 ok", "1 ok resolved"), call.events);
            assertThrows(IndexOutOfBoundsException.class, () -> chunk.succeedAll(3, List.of("x", "y", "z")));
        }
    }

    @Test
    void succeedAndFail_firstReportWins() {
        RecordingCall call = new RecordingCall();
        Chunk chunk = new Chunk(call, 10, java.util.Arrays.asList(new Object[] {"a", null, "c"}), 0, 3, new Object[3]);
        assertEquals(7, chunk.callId());
        assertEquals("prepared", chunk.preparedTask());
        assertEquals(10, chunk.firstIndex());
        assertEquals(3, chunk.size());
        assertNull(chunk.input(1));
        assertEquals(java.util.Arrays.asList("a", null, "c"), chunk.inputs());
        assertThrows(UnsupportedOperationException.class, () -> chunk.inputs().set(0, "x"));

        assertTrue(chunk.succeed(0, null));
        assertFalse(chunk.succeed(0, "late"));
        assertFalse(chunk.fail(0, TaskFailedException.of(10, new RuntimeException())));
        assertTrue(chunk.isDone(0));
        assertNull(Chunk.valueOf(chunk.outcome(0)), "a null result is kept as null");
        assertFalse(chunk.isResolved());

        assertTrue(chunk.fail(2, TaskFailedException.of(12, new RuntimeException("x"))));
        assertEquals(1, chunk.failUnfinished(i -> new PoolException("gone #" + i, null)));
        assertTrue(chunk.isResolved());
        assertEquals(List.of("0 ok", "2 failed", "1 failed resolved"), call.events);
        Chunk.Failure failure = assertInstanceOf(Chunk.Failure.class, chunk.outcome(1));
        assertEquals("gone #11", failure.exception().getMessage());
    }

    @Test
    void aChunkOfPartOfTheCallsInputs_seesOnlyItsOwn() {
        RecordingCall call = new RecordingCall();
        List<Object> callInputs = java.util.Arrays.asList("a", "b", "c", "d", "e");
        Object[] callOutcomes = new Object[5];
        Chunk chunk = new Chunk(call, 2, callInputs, 2, 2, callOutcomes);
        assertEquals(2, chunk.size());
        assertEquals("c", chunk.input(0));
        assertEquals("d", chunk.input(1));
        assertThrows(IndexOutOfBoundsException.class, () -> chunk.input(2));
        assertThrows(IndexOutOfBoundsException.class, () -> chunk.input(-1));
        assertEquals(List.of("c", "d"), chunk.inputs());
        assertThrows(IndexOutOfBoundsException.class, () -> chunk.succeedAll(1, List.of("x", "y")));
        assertEquals(2, chunk.succeedAll(0, List.of("C", "D")));
        assertTrue(chunk.isResolved());
        assertEquals(java.util.Arrays.asList(null, null, "C", "D", null), java.util.Arrays.asList(callOutcomes),
                "outcomes at the inputs' own positions of the call's array, no other");
        assertThrows(IndexOutOfBoundsException.class, () -> chunk.succeed(2, "past the chunk"));
        assertThrows(IndexOutOfBoundsException.class, () -> new Chunk(call, 0, callInputs, 4, 2, new Object[5]));
    }

    @Test
    void cancel_marksCancelledAndFailsOnlyUnfinishedInputs() {
        RecordingCall call = new RecordingCall();
        Chunk chunk = new Chunk(call, 0, java.util.Arrays.asList(new Object[] {1, 2}), 0, 2, new Object[2]);
        chunk.succeed(1, "two");
        chunk.cancel(Call.cancelledFailure("test"));
        assertTrue(chunk.isCancelled());
        assertEquals("two", chunk.outcome(1));
        Chunk.Failure failure = assertInstanceOf(Chunk.Failure.class, chunk.outcome(0));
        assertEquals(0, failure.exception().inputIndex());
        assertEquals(List.of("1 ok", "0 failed resolved"), call.events);
    }
}
