package io.github.pool4j.process.internal;

import io.github.pool4j.process.internal.protocol.Segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's windows, with fake worker slots and a fake clock: no worker process runs here.
 */
class SchedulerTest {

    private static final long SHORT_CALL = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long LONG_CALL = TimeUnit.MILLISECONDS.toNanos(10);

    private long now = 1_000_000;
    /** Pieces whose inputs are all done or cancelled: the send refuses them. */
    private final Set<Piece> nothingLeft = new HashSet<>();

    /** A worker as the scheduler sees it; send adds to its calls in flight. */
    private static final class FakeSlot implements Scheduler.Slot {
        boolean ready = true;
        boolean starting;
        final ArrayDeque<Piece> inFlight = new ArrayDeque<>();
        long assigned;
        final Scheduler.Window window = new Scheduler.Window();

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public boolean starting() {
            return starting;
        }

        @Override
        public Collection<Piece> inFlight() {
            return inFlight;
        }

        @Override
        public long assigned() {
            return assigned;
        }

        @Override
        public Scheduler.Window window() {
            return window;
        }

        long bytesInFlight() {
            return inFlight.stream().mapToLong(p -> p.body.length).sum();
        }
    }

    private Scheduler scheduler(int maxTasksPerWorker) {
        return new Scheduler(maxTasksPerWorker, () -> now);
    }

    private static Piece piece(int count, int bytes) {
        return new Piece(null, 0, count, new byte[bytes], Segments.NONE, null);
    }

    private static List<Piece> pieces(int n) {
        List<Piece> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(piece(1, 10));
        }
        return all;
    }

    private boolean send(FakeSlot slot, Piece piece) {
        if (nothingLeft.contains(piece)) {
            return false;
        }
        slot.inFlight.add(piece);
        slot.assigned += piece.count;
        return true;
    }

    private void pump(Scheduler scheduler, FakeSlot... slots) {
        scheduler.pump(List.of(slots), this::send);
    }

    /** The oldest call of {@code slot} is answered {@code took} after the previous outcome. */
    private void answer(Scheduler scheduler, FakeSlot slot, long took) {
        now += took;
        Piece done = slot.inFlight.poll();
        done.cursor = done.count;
        scheduler.answered(slot, done.count);
    }

    /** Gives {@code slot} one call answered after {@code took}, so its calls are known to take that long. */
    private void warmUp(Scheduler scheduler, FakeSlot slot, long took) {
        scheduler.add(List.of(piece(1, 10)));
        pump(scheduler, slot);
        answer(scheduler, slot, took);
        assertTrue(slot.inFlight.isEmpty());
    }

    @Test
    void aFreshWorkerGetsTheShallowWindow() {
        Scheduler scheduler = scheduler(0);
        FakeSlot slot = new FakeSlot();
        scheduler.add(pieces(10));
        pump(scheduler, slot);
        assertEquals(Scheduler.SHALLOW_WINDOW, slot.inFlight.size());
        assertEquals(10 - Scheduler.SHALLOW_WINDOW, scheduler.queued());
    }

    @Test
    void shortCallsOpenTheDeepWindow() {
        Scheduler scheduler = scheduler(0);
        FakeSlot slot = new FakeSlot();
        warmUp(scheduler, slot, SHORT_CALL);
        scheduler.add(pieces(100));
        pump(scheduler, slot);
        assertEquals(Scheduler.DEEP_WINDOW, slot.inFlight.size());
    }

    @Test
    void longCallsKeepTheShallowWindow() {
        Scheduler scheduler = scheduler(0);
        FakeSlot slot = new FakeSlot();
        warmUp(scheduler, slot, LONG_CALL);
        scheduler.add(pieces(100));
        pump(scheduler, slot);
        assertEquals(Scheduler.SHALLOW_WINDOW, slot.inFlight.size());
    }

    @Test
    void estimatedWorkBoundsTheDeepWindow() {
        Scheduler scheduler = scheduler(0);
        FakeSlot slot = new FakeSlot();
        warmUp(scheduler, slot, SHORT_CALL);
        // Each piece is a quarter of the estimated work the window may hold, plus one input.
        int inputs = (int) (Scheduler.DEEP_WINDOW_NANOS / SHORT_CALL / 4) + 1;
        for (int i = 0; i < 10; i++) {
            scheduler.add(List.of(piece(inputs, 10)));
        }
        pump(scheduler, slot);
        assertEquals(3, slot.inFlight.size());
    }

    @Test
    void bytesBoundTheDeepWindow() {
        Scheduler scheduler = scheduler(0);
        FakeSlot slot = new FakeSlot();
        warmUp(scheduler, slot, SHORT_CALL);
        int quarter = (int) (Scheduler.DEEP_WINDOW_BYTES / 4) + 1;
        for (int i = 0; i < 10; i++) {
            scheduler.add(List.of(piece(1, quarter)));
        }
        pump(scheduler, slot);
        assertEquals(3, slot.inFlight.size());
        assertTrue(slot.bytesInFlight() <= Scheduler.DEEP_WINDOW_BYTES);
    }

    @Test
    void aDeepWindowIsToppedUpOnlyOnceHalfOfItIsDone() {
        Scheduler scheduler = scheduler(0);
        FakeSlot slot = new FakeSlot();
        warmUp(scheduler, slot, SHORT_CALL);
        scheduler.add(pieces(200));
        pump(scheduler, slot);
        assertEquals(Scheduler.DEEP_WINDOW, slot.inFlight.size());
        answer(scheduler, slot, SHORT_CALL);
        pump(scheduler, slot);
        assertEquals(Scheduler.DEEP_WINDOW - 1, slot.inFlight.size(), "topped up before half was done");
        while (slot.inFlight.size() > Scheduler.DEEP_WINDOW / 2) {
            answer(scheduler, slot, SHORT_CALL);
        }
        pump(scheduler, slot);
        assertEquals(Scheduler.DEEP_WINDOW, slot.inFlight.size());
    }

    @Test
    void piecesWithNothingLeftToRunAreDroppedWithoutTakingRoom() {
        Scheduler scheduler = scheduler(0);
        FakeSlot slot = new FakeSlot();
        Piece cancelled = piece(1, 10);
        nothingLeft.add(cancelled);
        List<Piece> rest = pieces(2);
        scheduler.add(List.of(cancelled));
        scheduler.add(rest);
        pump(scheduler, slot);
        assertEquals(rest, List.copyOf(slot.inFlight));
        assertEquals(0, scheduler.queued());
    }

    @Test
    void aWorkerAtItsTaskLimitGetsNoMore() {
        Scheduler scheduler = scheduler(1);
        FakeSlot first = new FakeSlot();
        FakeSlot second = new FakeSlot();
        scheduler.add(pieces(3));
        pump(scheduler, first, second);
        assertEquals(1, first.inFlight.size());
        assertEquals(1, second.inFlight.size());
        answer(scheduler, first, SHORT_CALL);
        answer(scheduler, second, SHORT_CALL);
        pump(scheduler, first, second);
        assertTrue(first.inFlight.isEmpty() && second.inFlight.isEmpty(), "a retiring worker got more work");
        assertEquals(1, scheduler.queued());
    }

    @Test
    void piecesGoToTheLeastBusyReadyWorker() {
        Scheduler scheduler = scheduler(0);
        FakeSlot a = new FakeSlot();
        FakeSlot b = new FakeSlot();
        FakeSlot c = new FakeSlot();
        FakeSlot notReady = new FakeSlot();
        notReady.ready = false;
        scheduler.add(pieces(6));
        pump(scheduler, a, b, c, notReady);
        assertEquals(List.of(2, 2, 2, 0), List.of(a.inFlight.size(), b.inFlight.size(), c.inFlight.size(),
                notReady.inFlight.size()));
        answer(scheduler, b, LONG_CALL);
        Piece next = piece(1, 10);
        scheduler.add(List.of(next));
        pump(scheduler, a, b, c, notReady);
        assertSame(next, b.inFlight.peekLast());
    }

    @Test
    void aBusyWorkerLeavesOnePieceForEachWorkerStillStarting() {
        Scheduler scheduler = scheduler(0);
        FakeSlot busy = new FakeSlot();
        FakeSlot starting = new FakeSlot();
        starting.ready = false;
        starting.starting = true;
        scheduler.add(pieces(1));
        pump(scheduler, busy, starting);
        assertEquals(1, busy.inFlight.size(), "an idle ready worker takes work at once");
        scheduler.add(pieces(1));
        pump(scheduler, busy, starting);
        assertEquals(1, busy.inFlight.size(), "the piece a starting worker needs went to a busy one");
        scheduler.add(pieces(1));
        pump(scheduler, busy, starting);
        assertEquals(2, busy.inFlight.size());
        assertEquals(1, scheduler.queued());
    }
}
