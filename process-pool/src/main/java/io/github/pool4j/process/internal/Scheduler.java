package io.github.pool4j.process.internal;

import io.github.pool4j.spi.Chunk;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;

/**
 * The queue of pieces waiting for a worker, and the rule that hands them to workers: each worker
 * holds a window of calls in flight, shallow by default and deep while its calls are short. It knows
 * workers only as {@link Slot}s and time only through the clock it is given, so it runs without
 * processes (see {@code SchedulerTest}); the worker group sends what it decides.
 *
 * <p>Thread-safety: not thread-safe. The worker group calls every method under its lock, and the
 * {@link Window} of each slot is guarded by that lock too.
 */
final class Scheduler {

    /** Calls a worker always gets: one running, one waiting in its pipe. */
    static final int SHALLOW_WINDOW = 2;
    /** The most calls in flight per worker, while its calls are short. */
    static final int DEEP_WINDOW = 64;
    /** The most bytes of call frames in flight per worker beyond the shallow window. */
    static final long DEEP_WINDOW_BYTES = 1024 * 1024;
    /**
     * How much estimated work may wait on one worker beyond the shallow window. About a pipe round
     * trip on a loaded machine: deeper queues only save wake-ups while calls are that short, and
     * longer ones would keep a slow input waiting behind others while another worker idles.
     */
    static final long DEEP_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A worker as the scheduler sees it. */
    interface Slot {
        /** Whether it takes calls now. */
        boolean ready();

        /** Whether it is still starting, so will take calls soon. */
        boolean starting();

        /** Its calls sent and not fully answered yet, oldest first. */
        Collection<Piece> inFlight();

        /** How many inputs it was given over its life, for {@code maxTasksPerWorker}. */
        long assigned();

        /** The scheduler's state for it. */
        Window window();
    }

    /** The scheduler's state for one slot: its window and how long its calls take. */
    static final class Window {
        /** When its oldest unanswered input started running (or its last outcome came), on the clock. */
        long runningSince;
        /** Moving average of the time between two of its outcomes, or 0 before the first: sizes its window. */
        long perInputNanos;
        /** How many calls it held after its last top-up; it is topped up again at half of that. */
        int filledTo;
        // Scratch state of one pump pass.
        private boolean open;
        private long queued;
        private long bytes;
    }

    private final ArrayDeque<Piece> queue = new ArrayDeque<>();
    private final int maxTasksPerWorker;
    private final LongSupplier nanoTime;

    /**
     * @param maxTasksPerWorker the most inputs one worker runs over its life, or 0 for no limit
     * @param nanoTime the clock call times are measured on, in nanoseconds
     */
    Scheduler(int maxTasksPerWorker, LongSupplier nanoTime) {
        this.maxTasksPerWorker = maxTasksPerWorker;
        this.nanoTime = nanoTime;
    }

    /** Queues pieces behind the others. */
    void add(Collection<Piece> pieces) {
        queue.addAll(pieces);
    }

    /** Queues a piece in front of the others: it was sent before and must run first. */
    void addFirst(Piece piece) {
        queue.addFirst(piece);
    }

    /** Drops the queued pieces of {@code chunk}. */
    void drop(Chunk chunk) {
        queue.removeIf(p -> p.chunk == chunk);
    }

    /** Removes and returns every queued piece, oldest first. */
    List<Piece> drain() {
        List<Piece> all = new ArrayList<>(queue);
        queue.clear();
        return all;
    }

    /** How many pieces wait. */
    int queued() {
        return queue.size();
    }

    /**
     * Records {@code n} outcomes from {@code slot}, which update how long its calls take.
     */
    void answered(Slot slot, int n) {
        Window window = slot.window();
        long now = nanoTime.getAsLong();
        long took = (now - window.runningSince) / n;
        window.perInputNanos = window.perInputNanos <= 0 ? Math.max(1, took) : (7 * window.perInputNanos + took) / 8;
        window.runningSince = now;
    }

    /**
     * Hands queued pieces to ready slots, least busy first. Every slot holds up to
     * {@value #SHALLOW_WINDOW} calls; one whose calls are short gets up to {@value #DEEP_WINDOW}
     * (bounded by bytes and estimated run time), topped up only once half of them are done so that
     * its writer thread sends frames in bursts. A busy slot never takes the pieces that slots still
     * starting will need. A piece {@code send} refuses (nothing of it is left to run) is dropped.
     *
     * @param slots the workers, in the order ties go to
     * @param send sends a piece to a slot, adding it to the slot's calls in flight; returns false,
     *     sending nothing, if nothing of the piece is left to run
     */
    <S extends Slot> void pump(List<S> slots, BiPredicate<S, Piece> send) {
        if (queue.isEmpty()) {
            return;
        }
        int starting = 0;
        for (S s : slots) {
            if (s.starting()) {
                starting++;
            }
            Window w = s.window();
            Collection<Piece> inFlight = s.inFlight();
            int held = inFlight.size();
            w.open = s.ready() && (held < SHALLOW_WINDOW || held <= w.filledTo / 2);
            w.queued = 0;
            w.bytes = 0;
            if (w.open && held >= SHALLOW_WINDOW) {
                for (Piece p : inFlight) {
                    w.queued += p.count - p.cursor;
                    w.bytes += p.body.length;
                }
            }
        }
        while (!queue.isEmpty()) {
            S best = null;
            for (S s : slots) {
                if (s.window().open && (best == null || s.inFlight().size() < best.inFlight().size())) {
                    best = s;
                }
            }
            if (best == null) {
                break;
            }
            if (!best.inFlight().isEmpty() && queue.size() <= starting) {
                // Keep one piece for each slot still starting: handing it to a busy one now would
                // queue it behind that slot's task while a fresh worker sits idle.
                break;
            }
            Piece next = queue.peek();
            Window w = best.window();
            if (isFull(best, next)) {
                w.open = false;
                w.filledTo = best.inFlight().size();
                continue;
            }
            queue.poll();
            boolean idle = best.inFlight().isEmpty();
            long now = idle ? nanoTime.getAsLong() : 0;
            if (send.test(best, next)) {
                if (idle) {
                    w.runningSince = now;
                }
                w.queued += next.count;
                w.bytes += next.body.length;
                w.filledTo = best.inFlight().size();
            }
        }
    }

    /** Tells whether {@code s} should not get {@code next} now. */
    private boolean isFull(Slot s, Piece next) {
        if (maxTasksPerWorker > 0 && s.assigned() >= maxTasksPerWorker) {
            return true;
        }
        int held = s.inFlight().size();
        if (held < SHALLOW_WINDOW) {
            return false;
        }
        Window w = s.window();
        return w.perInputNanos <= 0 || held >= DEEP_WINDOW
                || w.bytes + next.body.length > DEEP_WINDOW_BYTES
                || (w.queued + next.count) * w.perInputNanos > DEEP_WINDOW_NANOS;
    }
}
