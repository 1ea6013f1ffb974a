package io.github.pool4j.process.internal;

import io.github.pool4j.process.internal.protocol.Segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.PoolException;
import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.process.internal.WorkerProcess.ExitReason;
import io.github.pool4j.process.internal.protocol.ProgressNote;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a worker's death costs, decided from its progress notes, exit reason and stderr: no worker
 * process runs here (the pieces have no chunk; the real deaths are in FaultsTest and ChaosTest).
 */
class CrashPolicyTest {

    private final CrashPolicy policy = new CrashPolicy("pool", 1, Duration.ofSeconds(1), List.of("-Xmx256m"));

    private static Piece piece(long sendId, int count) {
        Piece piece = new Piece(null, 0, count, new byte[0], Segments.NONE, null);
        piece.sendId = sendId;
        return piece;
    }

    private static CrashPolicy.Death death(ExitReason reason, long note, long noteAtProtocolError) {
        return new CrashPolicy.Death("worker-1 (pid 42)", 42, 137, "SIGKILL", List.of(), reason, null, null, true,
                note, noteAtProtocolError);
    }

    private static CrashPolicy.Death exited(int exitCode, String signal, boolean helloed, List<String> tail) {
        return new CrashPolicy.Death("worker-1 (pid 42)", 42, exitCode, signal, tail, null, null, null, helloed,
                ProgressNote.NONE, ProgressNote.NONE);
    }

    @Test
    void blame_notedRunningInput_isBlamedAndEverythingBeforeItStarted() {
        Piece first = piece(7, 3);
        Piece noted = piece(8, 4);
        Piece last = piece(9, 2);
        CrashPolicy.Blame blame = CrashPolicy.Blame.of(List.of(first, noted, last),
                death(null, ProgressNote.running(8, 2), ProgressNote.NONE));

        assertSame(noted, blame.culprit());
        assertEquals(2, blame.culpritPosition());
        assertTrue(blame.blamed(noted, 2));
        assertFalse(blame.blamed(noted, 1));
        for (int i = 0; i < first.count; i++) {
            assertTrue(blame.started(first, i) && blame.completed(first, i), "first call, input " + i);
        }
        assertTrue(blame.started(noted, 0) && blame.completed(noted, 1));
        assertTrue(blame.started(noted, 2), "the noted input started");
        assertFalse(blame.completed(noted, 2), "the noted input did not finish");
        assertFalse(blame.started(noted, 3));
        assertFalse(blame.started(last, 0) || blame.started(last, 1), "a later call never started");
    }

    @Test
    void blame_notedInputFinished_countsAsCompleted() {
        Piece noted = piece(3, 2);
        CrashPolicy.Blame blame = CrashPolicy.Blame.of(List.of(noted),
                death(null, ProgressNote.finished(3, 0), ProgressNote.NONE));

        assertTrue(blame.completed(noted, 0), "its result was lost, it was not cut short");
        assertTrue(blame.blamed(noted, 0));
    }

    @Test
    void blame_notedInputAlreadyAnswered_blamesTheFirstInputWithoutAnOutcome() {
        Piece head = piece(5, 3);
        head.settled.set(0);
        head.cursor = 1;
        CrashPolicy.Blame blame = CrashPolicy.Blame.of(List.of(head),
                death(null, ProgressNote.finished(5, 0), ProgressNote.NONE));

        assertSame(head, blame.culprit());
        assertEquals(1, blame.culpritPosition());
        assertFalse(blame.started(head, 1), "the worker died between inputs");
    }

    @Test
    void blame_noNote_nothingStartedAndTheHeadIsBlamed() {
        Piece head = piece(5, 2);
        head.skip.set(0);
        CrashPolicy.Blame blame = CrashPolicy.Blame.of(List.of(head, piece(6, 1)),
                death(null, ProgressNote.NONE, ProgressNote.NONE));

        assertNull(blame.noted());
        assertFalse(blame.started(head, 0) || blame.started(head, 1));
        assertEquals(1, blame.culpritPosition(), "a skipped position is never blamed");
        assertTrue(blame.blamed(head, 1));
    }

    @Test
    void blame_afterProtocolError_blamesTheInputRunningWhenItWasSeen() {
        Piece piece = piece(11, 5);
        CrashPolicy.Blame blame = CrashPolicy.Blame.of(List.of(piece),
                death(ExitReason.PROTOCOL_ERROR, ProgressNote.running(11, 4), ProgressNote.running(11, 1)));

        assertTrue(blame.blamed(piece, 1));
        assertFalse(blame.blamed(piece, 4));
        assertTrue(blame.started(piece, 4), "what ran still comes from the last note");
    }

    @Test
    void blame_skippedInputsBeforeTheNote_neverStarted() {
        Piece piece = piece(2, 3);
        piece.skip.set(1);
        CrashPolicy.Blame blame = CrashPolicy.Blame.of(List.of(piece),
                death(null, ProgressNote.running(2, 2), ProgressNote.NONE));

        assertTrue(blame.started(piece, 0));
        assertFalse(blame.started(piece, 1));
    }

    @Test
    void startFailures_giveUpAfterTheLimitInARow() {
        RemoteError fatal = RemoteError.of(new IllegalStateException("no config"));
        for (int i = 1; i < CrashPolicy.MAX_START_FAILURES; i++) {
            assertFalse(policy.startFailed(null), "failure " + i);
        }
        policy.started();
        for (int i = 1; i < CrashPolicy.MAX_START_FAILURES; i++) {
            assertFalse(policy.startFailed(i == 1 ? fatal : null), "after a hello, failure " + i);
        }
        assertTrue(policy.startFailed(null));

        PoolException gaveUp = policy.gaveUp("exited with status 1");
        assertEquals("pool: " + CrashPolicy.MAX_START_FAILURES + " worker processes in a row failed to start, "
                + "giving up: exited with status 1", gaveUp.getMessage());
        assertTrue(gaveUp.getCause().getMessage().contains("no config"), "the last initializer failure is the cause");
    }

    @Test
    void describe_namesTheSignalOrStatus() {
        assertEquals("was killed by SIGKILL (exit status 137)", policy.describe(exited(137, "SIGKILL", true, List.of())));
        assertEquals("exited with status 3", policy.describe(exited(3, null, true, List.of())));
        assertEquals("exited with status 1, before it said hello", policy.describe(exited(1, null, false, List.of())));
        assertEquals("was killed: its task ran past the timeout and did not answer",
                policy.describe(death(ExitReason.UNRESPONSIVE, ProgressNote.NONE, ProgressNote.NONE)));
    }

    @Test
    void describe_outOfMemory_namesTheHeapAndHowToRaiseIt() {
        String why = policy.describe(exited(3, null, true,
                List.of("x", "java.lang.OutOfMemoryError: Java heap space", "Terminating due to java.lang.OutOfMemoryError: Java heap space")));

        assertEquals("exited with status 3, out of memory (Java heap space; worker heap -Xmx256m; raise it with "
                + "ProcessPool.builder().addJvmOptions(\"-Xmx1g\"))", why);
    }

    @Test
    void describe_initializerFailure_quotesIt() {
        CrashPolicy.Death death = new CrashPolicy.Death("worker-1 (pid 42)", 42, 1, null, List.of(),
                ExitReason.INIT_FAILED, null, RemoteError.of(new IllegalStateException("no config")), false,
                ProgressNote.NONE, ProgressNote.NONE);

        assertEquals("failed in its initializer: java.lang.IllegalStateException: no config", policy.describe(death));
    }

    @Test
    void withStderr_quotesTheLastNonBlankLines() {
        assertEquals("exited", CrashPolicy.withStderr("exited", List.of(" ", "")));
        assertEquals("exited; its stderr ends with: b | c | d | e | f",
                CrashPolicy.withStderr("exited", List.of("a", "b", "", "c", "d", "e", " f ")));
    }
}
