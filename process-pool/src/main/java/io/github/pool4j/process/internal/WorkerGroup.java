package io.github.pool4j.process.internal;

import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.codec.TaskDefinition;
import io.github.pool4j.PoolException;
import io.github.pool4j.Task;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.TaskSerializationException.Subject;
import io.github.pool4j.TaskTimeoutException;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.process.internal.protocol.Decoded;
import io.github.pool4j.process.internal.protocol.Limits;
import io.github.pool4j.process.internal.protocol.Message;
import io.github.pool4j.process.internal.protocol.PerInput;
import io.github.pool4j.process.internal.protocol.ProtocolException;
import io.github.pool4j.process.internal.protocol.Segments;
import io.github.pool4j.process.internal.protocol.Verdict;
import io.github.pool4j.process.internal.protocol.Wire;
import io.github.pool4j.process.internal.protocol.WorkerArgs;
import io.github.pool4j.codec.TaskDefinition.Role;
import io.github.pool4j.spi.Chunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import tools.jackson.databind.JavaType;

/**
 * The work of one process pool: ships tasks, encodes chunks into {@link Piece}s and queues them,
 * hands them to workers as its {@link Scheduler} decides (a small window per worker), cancels, and
 * turns the workers' frames into outcomes. The workers' lives (start, replace, stop, kill, the
 * monitor) are its {@link Supervisor}'s, and what a worker's death costs its {@link CrashPolicy}'s:
 * when a worker dies, the input it was running fails with a {@link WorkerCrashedException} (or runs
 * again on another worker, up to {@code retries} times), and so does each input that ran before it
 * on that worker but whose result died with it; inputs it held but had not started go back to the
 * front of this group's queue. A worker that breaks the protocol is killed, as if it crashed.
 *
 * <p>For the pool's statistics and listeners, the input each worker runs next (the first one
 * without an outcome of the piece at the head of its window) is reported
 * {@linkplain Chunk#started started}, inputs sent back to the queue after a death
 * {@linkplain Chunk#requeued requeued} (a retry where they had started), and the task time a
 * worker sends with its result, results and error frames is {@linkplain Chunk#ran reported} for
 * their inputs, before their outcomes.
 *
 * <p>Thread-safety: thread-safe. One lock, {@link #lock}, as {@code ThreadPoolExecutor}'s
 * {@code mainLock}: it guards the fields marked below (the queue and every worker's window, in the
 * {@link Scheduler}), the {@link Supervisor}'s list of workers and lifecycle fields, the
 * {@link CrashPolicy}'s start-failure count, the fields of each {@link WorkerProcess} marked
 * "guarded by the group's lock" (its state, exit reason, calls in flight and window) and each
 * {@link Piece}'s current send. Outcomes decided under it are collected in a local list and
 * {@linkplain #report reported} after it is released: that is the one way outcomes leave. Methods
 * run on the caller's threads ({@link #prepare}, {@link #dispatch}, {@link #cancel}, {@link #stop},
 * ...) and on each worker's {@code -out} thread ({@link #onFrame}); the supervisor's methods run on
 * those and on its {@code -monitor} thread. See the package description for the whole picture.
 */
public final class WorkerGroup {

    private static final AtomicInteger poolIds = new AtomicInteger();
    /** Task classes without fields {@link #prepare} remembers, to ship each once. */
    static final int SHIPPED_TASKS = 128;
    /**
     * The most bytes of a call (with its task's definition, if sent along) the thread that assigns
     * it writes to an idle worker's empty pipe itself, rather than through the worker's {@code -in}
     * thread: a pipe holds at least one page (4 KiB on Linux, even past the per-user pipe limit), so
     * such a write never blocks.
     */
    static final int DIRECT_SEND_BYTES = 4096;

    private final WorkerConfig config;
    private final String poolName;
    private final Wire wire;
    private final AtomicLong taskIds = new AtomicLong();
    /** Tasks without fields, by class: shipped once per pool (bounded by {@link #SHIPPED_TASKS}). */
    private final Map<Class<?>, PreparedTask> shippedStateless = new ConcurrentHashMap<>();
    /** The workers' lives: start, replace, stop, kill, the monitor. */
    private final Supervisor supervisor;

    /**
     * The pool's one lock, shared with the {@link Supervisor} (which guards its own fields with it).
     * Held by callers of {@link #dispatch} and {@link #cancel}, by each worker's {@code -out}
     * thread while a frame is applied, by the supervisor and by its {@code -monitor} thread.
     */
    private final ReentrantLock lock = new ReentrantLock();
    // ---- guarded by lock ----
    private final Scheduler scheduler;
    private long nextSendId;
    // ---- end of the fields guarded by lock ----

    /** Inputs {@code from..to} of a chunk, read in place (no copy, no wrapper checks per element). */
    private static final class Slice extends java.util.AbstractList<Object> implements java.util.RandomAccess {
        private final Chunk chunk;
        private final int from;
        private final int size;

        Slice(Chunk chunk, int from, int to) {
            this.chunk = chunk;
            this.from = from;
            this.size = to - from;
        }

        @Override
        public Object get(int index) {
            java.util.Objects.checkIndex(index, size);
            return chunk.input(from + index);
        }

        @Override
        public int size() {
            return size;
        }
    }

    /**
     * Creates the group; no worker starts before {@link #start}.
     *
     * @param poolName the pool's name, for messages
     * @param config the pool's configuration
     * @throws TaskSerializationException if the initializer cannot be shipped
     */
    public WorkerGroup(String poolName, WorkerConfig config) {
        this(poolName, config, new Launcher(config));
    }

    /** Creates the group with workers started from {@code launcher}'s command lines; see {@link #WorkerGroup(String, WorkerConfig)}. */
    WorkerGroup(String poolName, WorkerConfig config, WorkerLauncher launcher) {
        this.poolName = poolName;
        this.config = config;
        // The pool's one clock: the scheduler's windows, the workers' start and exit times, hang detection.
        LongSupplier nanoTime = System::nanoTime;
        this.scheduler = new Scheduler(config.maxTasksPerWorker(), nanoTime);
        String threadPrefix = "pool4j-process-" + poolIds.incrementAndGet();
        this.wire = new Wire(new Json(config.maxFrameBytes()));
        config.valueTypes().forEach(wire.json()::allowValueType);
        byte[] initFrame = config.initializer() == null ? null
                : Wire.initFrame(wire.definitionBytes(
                        TaskDefinition.ship(config.initializer(), Role.INITIALIZER, null, null, wire.json()).node()));
        Duration timeout = config.options().taskTimeout();
        WorkerArgs workerArgs = new WorkerArgs(config.maxFrameBytes(),
                timeout == null ? 0 : Math.max(1, timeout.toMillis()), initFrame != null, config.maxPayloadBytes(),
                null);
        CrashPolicy crashes =
                new CrashPolicy(poolName, config.retries(), config.options().taskTimeout(), config.jvmOptions());
        this.supervisor = new Supervisor(this, lock, poolName, config, threadPrefix, launcher, initFrame, workerArgs,
                crashes, nanoTime);
    }

    // ---- lifecycle: the supervisor's --------------------------------------------------------------

    /**
     * Starts every worker at once and waits until one says hello.
     *
     * @throws PoolException if no worker could start (the reason is in the message and cause)
     */
    public void start() {
        supervisor.start();
    }

    /**
     * Stops the workers after their work: shutdown frames, then waits (then kills stragglers).
     *
     * @throws InterruptedException if interrupted while waiting for the workers to exit
     */
    public void stop() throws InterruptedException {
        supervisor.stop(wire.encode(new Message.Shutdown()));
    }

    /** Kills every worker now. */
    public void kill() {
        supervisor.kill();
    }

    // ---- the queue, for the supervisor ------------------------------------------------------------

    /** Queues pieces a dead worker held again, in front, oldest first. Under the lock. */
    void requeueFirst(List<Piece> pieces) {
        for (int i = pieces.size() - 1; i >= 0; i--) {
            scheduler.addFirst(pieces.get(i));
        }
    }

    /** Drops the queued pieces: the pool was killed, and the engine fails what is unfinished. Under the lock. */
    void dropQueued() {
        scheduler.drain();
    }

    /**
     * Fails every queued piece with the broken-pool failure, adding the outcomes to {@code outcomes}.
     * Called under the lock; the caller reports them once it released the lock.
     */
    void failQueued(PoolException reason, List<Outcome> outcomes) {
        for (Piece piece : scheduler.drain()) {
            for (int i = 0; i < piece.count; i++) {
                piece.settled.set(i);
                outcomes.add(new Outcome(piece.chunk, piece.base + i, null, notRun(piece.index(i), reason)));
            }
        }
    }

    /**
     * Reports outcomes decided under the lock: the one way outcomes leave this group. Called without
     * the lock, because reporting completes the caller's results and runs their callbacks.
     */
    static void report(List<Outcome> outcomes) {
        for (Outcome outcome : outcomes) {
            outcome.report();
        }
    }

    private static PoolException notRun(long index, PoolException reason) {
        return new WorkerCrashedException("Input #" + index + " was not run: " + reason.getMessage(), index, -1, -1,
                null, List.of());
    }

    // ---- work in ----------------------------------------------------------------------------------

    /**
     * Ships a task for one call. A task without fields (a method reference, a lambda that captures
     * nothing) has no state that one call could leave to the next, so it is shipped once per pool:
     * a repeated {@code submit} neither writes, sends nor loads it again where a worker holds it.
     * Any other task is shipped, and loaded by the worker, afresh for each call, as Python unpickles
     * a fresh copy: a task that changes its own fields never sees another call's changes.
     *
     * @param task the caller's task
     * @return the prepared form, for {@link #dispatch}
     * @throws TaskSerializationException if it cannot be shipped
     */
    public Object prepare(Task<?, ?> task) {
        Class<?> type = task.getClass();
        boolean stateless = STATELESS.get(type);
        if (stateless) {
            PreparedTask known = shippedStateless.get(type);
            if (known != null) {
                return known;
            }
        }
        TaskDefinition definition =
                TaskDefinition.ship(task, Role.TASK, config.inputType(), config.resultType(), wire.json());
        long id = taskIds.incrementAndGet();
        PreparedTask prepared = new PreparedTask(id, definition, Wire.defineFrame(id, wire.definitionBytes(definition.node())));
        if (!stateless) {
            return prepared;
        }
        if (shippedStateless.size() >= SHIPPED_TASKS) {
            shippedStateless.clear(); // ever new task classes: stay bounded
        }
        PreparedTask raced = shippedStateless.putIfAbsent(type, prepared);
        return raced == null ? prepared : raced;
    }

    /** Whether a class has no instance fields, its superclasses' included. */
    private static final ClassValue<Boolean> STATELESS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (java.lang.reflect.Field field : c.getDeclaredFields()) {
                    if (!java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                        return false;
                    }
                }
            }
            return true;
        }
    };

    /**
     * Encodes a chunk's inputs in the caller's thread and queues them.
     *
     * @param chunk the chunk
     */
    public void dispatch(Chunk chunk) {
        PreparedTask prepared = (PreparedTask) chunk.preparedTask();
        List<Piece> pieces = new ArrayList<>();
        encode(chunk, prepared, 0, chunk.size(), pieces);
        PoolException failure;
        lock.lock();
        try {
            failure = supervisor.broken();
            if (failure == null) {
                scheduler.add(pieces);
                pump();
            }
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            chunk.failUnfinished(index -> notRun(index, failure));
        }
    }

    private void encode(Chunk chunk, PreparedTask prepared, int from, int to, List<Piece> pieces) {
        long limit = Limits.payloadLimit(config.maxFrameBytes());
        Wire.Body body = wire.callBody(new Slice(chunk, from, to), prepared.definition().inputType(), limit,
                new Segments.Out(config.maxPayloadBytes(), true));
        if (body == null || body.bytes() == null) {
            if (to - from > 1) {
                int middle = (from + to) >>> 1;
                encode(chunk, prepared, from, middle, pieces);
                encode(chunk, prepared, middle, to, pieces);
                return;
            }
            Object input = chunk.input(from);
            chunk.fail(from, new TaskSerializationException(Subject.INPUT, chunk.firstIndex() + from,
                    input.getClass().getName(), body == null ? "its JSON is more than the " + limit
                            + " bytes a frame of maxFrameBytes (" + config.maxFrameBytes() + ") can carry"
                            : "its raw values (large byte[] and strings) take more than maxPayloadBytes (" + config.maxPayloadBytes()
                                    + " bytes)", null));
            return;
        }
        for (int k = 0; k < body.failedOffsets().length; k++) {
            int offset = from + body.failedOffsets()[k];
            Object input = chunk.input(offset);
            RuntimeException cause = body.failures()[k];
            String reason = cause instanceof tools.jackson.core.JacksonException je ? Json.describe(je)
                    : cause.getMessage();
            chunk.fail(offset, new TaskSerializationException(Subject.INPUT, chunk.firstIndex() + offset,
                    input == null ? "null" : input.getClass().getName(), reason, cause));
        }
        pieces.add(new Piece(chunk, from, to - from, body.bytes(), body.segments(), prepared));
    }

    /**
     * Drops a cancelled chunk's queued pieces and asks workers to skip its sent ones.
     *
     * @param chunk the chunk
     */
    public void cancel(Chunk chunk) {
        lock.lock();
        try {
            scheduler.drop(chunk);
            for (WorkerProcess w : supervisor.workers()) {
                for (Piece p : w.inFlight) {
                    if (p.chunk == chunk) {
                        w.send(wire.encode(new Message.Cancel(p.sendId)));
                        w.cancelFence = nextSendId;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Hands queued pieces to ready workers, as {@link Scheduler#pump} decides. Called under the lock. */
    void pump() {
        if (!supervisor.terminated()) {
            scheduler.pump(supervisor.workers(), this::assign);
        }
    }

    /** Sends {@code piece} to {@code w}; returns false if nothing of it is left to run. */
    private boolean assign(WorkerProcess w, Piece piece) {
        BitSet skip = new BitSet();
        for (int i = 0; i < piece.count; i++) {
            if (piece.settled.get(i) || piece.chunk.isDone(piece.base + i)) {
                skip.set(i);
            }
        }
        if (piece.chunk.isCancelled() || skip.cardinality() == piece.count) {
            return false;
        }
        piece.sendId = ++nextSendId;
        piece.skip = skip;
        piece.cursor = 0;
        piece.worker = w;
        w.inFlight.add(piece);
        if (w.inFlight.size() == 1) {
            markRunning(w);
        }
        w.assigned += piece.count - skip.cardinality();
        PreparedTask prepared = piece.prepared;
        byte[] head = wire.callHead(piece.sendId, prepared.id(), skip, piece.chunk.timesTasks());
        byte[] define = null;
        if (!w.knows(prepared.id())) {
            define = prepared.defineFrame();
            w.learned(prepared.id());
        }
        // A worker that answered every call it was sent has read everything written to it (a
        // cancel it may not have read yet bars this until a later call is answered): its pipe is
        // empty, and a frame that fits even the smallest pipe is written at once, in this thread.
        boolean now = w.inFlight.size() == 1 && w.answeredThrough > w.cancelFence
                && bytes(define, piece.segments, head, piece.body) <= DIRECT_SEND_BYTES;
        if (define == null) {
            w.send(piece.segments, head, piece.body, now);
        } else {
            w.send(define, piece.segments, head, piece.body, now);
        }
        return true;
    }

    private static long bytes(byte[] define, byte[][] segments, byte[] head, byte[] body) {
        long total = (define == null ? 0 : define.length) + head.length + body.length;
        for (byte[] segment : segments) {
            total += segment.length;
        }
        return total;
    }

    // ---- frames from workers ----------------------------------------------------------------------

    /** An input's outcome, decided under the lock and {@linkplain #report reported} after it. */
    record Outcome(Chunk chunk, int offset, Object value, PoolException failure) {
        void report() {
            if (value instanceof Run run) {
                chunk.succeedAll(offset, run.values());
            } else if (failure == null) {
                chunk.succeed(offset, value);
            } else {
                chunk.fail(offset, failure);
            }
        }
    }

    /** Results of consecutive positions of one piece, reported as one {@link Outcome}. */
    private record Run(List<Object> values) {}

    /**
     * Applies a results frame: each run of readable values for consecutive positions becomes
     * one outcome; an unreadable value, or a skipped position, goes through {@link #outcome}.
     */
    private void results(WorkerProcess w, Message.Results frame, List<Outcome> outcomes) {
        List<Object> values = frame.values();
        // Values from a typed segment are numbers, never an Unreadable: no need to look at each.
        boolean numbers = Segments.areFrameNumbers(values);
        int k = 0;
        while (k < values.size()) {
            Piece piece = w.inFlight.peek();
            int position = piece == null || piece.sendId != frame.id() ? -1 : piece.nextExpected();
            // The first value must be for the position the frame names; the others follow it.
            int index = k == 0 ? frame.first() : position;
            Object value = values.get(k);
            if (position < 0 || index != position || value instanceof Message.Results.Unreadable
                    || piece.cursor != position) {
                Decoded one = value instanceof Message.Results.Unreadable bad
                        ? new Verdict.UnreadableResult(frame.id(), index, bad.typeName(), bad.message())
                        : new Message.Result(frame.id(), index, value, -1);
                outcome(w, one, outcomes); // throws the protocol error, or handles a skipped position
                k++;
                continue;
            }
            // Positions from cursor on with no skip, as many as there are readable values.
            int end = Math.min(piece.count, position + values.size() - k);
            int skipped = piece.skip.nextSetBit(position);
            if (skipped >= 0 && skipped < end) {
                end = skipped;
            }
            int n = end - position;
            for (int j = 0; j < n && !numbers; j++) {
                if (values.get(k + j) instanceof Message.Results.Unreadable) {
                    n = j;
                    break;
                }
            }
            if (n == 0) {
                // Cannot happen (position is not skipped and the value is readable), but never loop.
                throw new IllegalStateException("empty run at position " + position);
            }
            piece.settled.set(position, position + n);
            outcomes.add(new Outcome(piece.chunk, piece.base + position, new Run(values.subList(k, k + n)), null));
            w.tasksDone += n;
            scheduler.answered(w, n);
            piece.cursor = position + n;
            if (piece.nextExpected() >= piece.count) {
                finishPiece(w);
            }
            k += n;
        }
    }

    /** Decodes and applies one frame from {@code w}; outcomes are reported after the lock is released. */
    void onFrame(WorkerProcess w, byte[] buf, int off, int len, Segments.In segments) {
        Decoded frame = wire.read(buf, off, len, new Wire.Types() {
            @Override
            public JavaType resultType(long id) {
                lock.lock();
                try {
                    Piece head = w.inFlight.peek();
                    return head != null && head.sendId == id ? head.prepared.definition().resultType() : null;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public JavaType inputType(long task) {
                return null;
            }
        }, segments);
        if (frame instanceof Message.Output output) {
            if (output.text() == null) {
                throw new ProtocolException("an output frame without text", null);
            }
            w.output(output.stream(), output.text());
            return;
        }
        // An input's outcome (or another frame) follows its output: a line it left unfinished shows now.
        w.endOfInput();
        List<Outcome> outcomes = new ArrayList<>(1);
        boolean kill = false;
        boolean started = false;
        boolean retireNow = false;
        Chunk timedChunk = null; // the chunk whose task time this frame carries, if any
        long nanos = -1;
        int timedInputs = 1;
        String jdk = null;
        lock.lock();
        try {
            if (w.dead()) {
                return;
            }
            if (frame instanceof Message.Hello hello) {
                    supervisor.helloed(w);
                    started = true;
                    pump();
                    jdk = hello.jdk();
            } else if (frame instanceof Message.Fatal fatal) {
                    if (w.helloed) {
                        throw new ProtocolException("a fatal frame after hello: only an initializer fails that way", null);
                    }
                    if (w.exitBecause(WorkerProcess.ExitReason.INIT_FAILED)) {
                        w.fatal = fatal.error();
                    }
            } else if (frame instanceof Message.Results results) {
                    if (results.values() == null) {
                        throw new ProtocolException("a results frame without values", null);
                    }
                    nanos = results.nanos();
                    timedInputs = results.values().size();
                    timedChunk = timedChunk(w, results.id(), nanos);
                    results(w, results, outcomes);
                    markRunning(w);
                    retireNow = supervisor.retireIfDone(w);
                    pump();
            } else if (frame instanceof PerInput one) {
                    nanos = frame instanceof Message.Result r ? r.nanos()
                            : frame instanceof Message.Failed f ? f.nanos() : -1;
                    timedChunk = timedChunk(w, one.id(), nanos);
                    kill = outcome(w, frame, outcomes);
                    markRunning(w);
                    retireNow = supervisor.retireIfDone(w);
                    pump();
            } else {
                throw new ProtocolException("a parent does not accept " + typeOf(frame) + " frames", null);
            }
        } finally {
            lock.unlock();
        }
        if (timedChunk != null) {
            timedChunk.ran(timedInputs, nanos);
        }
        report(outcomes);
        if (started) {
            supervisor.announceStarted(w, jdk);
        }
        if (kill) {
            w.kill();
        }
        if (retireNow) {
            supervisor.retire(w, wire.encode(new Message.Shutdown()));
        }
    }

    /** The chunk of call {@code id} if a frame answering it carries a task time, or null. Under the lock. */
    private static Chunk timedChunk(WorkerProcess w, long id, long nanos) {
        Piece head = w.inFlight.peek();
        return nanos >= 0 && head != null && head.sendId == id ? head.chunk : null;
    }

    private static String typeOf(Decoded frame) {
        return frame instanceof Message message ? message.type().name() : frame.getClass().getSimpleName();
    }

    /**
     * Applies a per-input frame (a worker's outcome, or this side's verdict on one) to the head
     * piece; returns whether to kill the worker.
     */
    private boolean outcome(WorkerProcess w, Decoded frame, List<Outcome> outcomes) {
        PerInput one = (PerInput) frame;
        String kind = typeOf(frame);
        Piece piece = w.inFlight.peek();
        if (piece == null || piece.sendId != one.id()) {
            throw new ProtocolException("a " + kind + " frame for call " + one.id()
                    + ", which is not the call running", null);
        }
        int expected = piece.nextExpected();
        boolean kill = false;
        if (frame instanceof Message.Refusal refusal && refusal.what() == Message.Refused.TASK) {
            for (int i = expected; i < piece.count; i++) {
                if (!piece.skip.get(i)) {
                    outcomes.add(new Outcome(piece.chunk, piece.base + i, null, new TaskSerializationException(
                            Subject.TASK, piece.index(i), refusal.typeName() == null ? "task" : refusal.typeName(),
                            "the worker could not load it: " + refusal.message(), null)));
                }
            }
            finishPiece(w);
            return false;
        }
        if (one.index() != expected) {
            throw new ProtocolException("a " + kind + " frame for position " + one.index()
                    + " of call " + one.id() + ", expected " + expected, null);
        }
        // Checked before anything changes: frames a worker only sends when asked, or never without a field.
        if (frame instanceof Message.Skipped && !piece.chunk.isCancelled()) {
            throw new ProtocolException("a skip frame for call " + one.id() + ", which was not cancelled", null);
        }
        if (frame instanceof Message.Timeout && config.options().taskTimeout() == null) {
            throw new ProtocolException("a timeout frame, but this pool has no task timeout", null);
        }
        if (frame instanceof Message.Failed failed && failed.error() == null) {
            throw new ProtocolException("an error frame without an error", null);
        }
        long index = piece.index(expected);
        int offset = piece.base + expected;
        if (frame instanceof Message.Skipped) {
            piece.settled.set(expected);
            finishPiece(w);
            return false;
        }
        piece.settled.set(expected);
        boolean refusedInput = false;
        boolean timedOut = false;
        if (frame instanceof Message.Result result) {
            outcomes.add(new Outcome(piece.chunk, offset, result.value(), null));
        } else if (frame instanceof Message.Failed failed) {
            RemoteError error = failed.error();
            outcomes.add(new Outcome(piece.chunk, offset, null, new TaskFailedException(index,
                    error.className(), error.message(), error.printed(), error.rebuild())));
        } else if (frame instanceof Verdict.UnreadableResult bad) {
            outcomes.add(new Outcome(piece.chunk, offset, null, new TaskSerializationException(
                    Subject.RESULT, index, String.valueOf(bad.typeName()), bad.message(), null)));
        } else if (frame instanceof Message.Refusal refusal) {
            refusedInput = refusal.what() == Message.Refused.INPUT;
            outcomes.add(new Outcome(piece.chunk, offset, null, new TaskSerializationException(
                    refusedInput ? Subject.INPUT : Subject.RESULT, index, String.valueOf(refusal.typeName()),
                    refusal.message(), null)));
        } else if (frame instanceof Message.Timeout timeout) {
            List<StackTraceElement> stack = timeout.stack() == null ? List.of() : timeout.stack();
            outcomes.add(new Outcome(piece.chunk, offset, null,
                    new TaskTimeoutException(index, config.options().taskTimeout(), stack)));
            w.exitBecause(WorkerProcess.ExitReason.TIMED_OUT);
            w.moveTo(WorkerProcess.State.RETIRING);
            kill = true;
            timedOut = true;
        } else {
            throw new IllegalStateException(kind);
        }
        w.tasksDone++;
        scheduler.answered(w, 1);
        piece.cursor = expected + 1;
        if (refusedInput) {
            // The worker stopped reading that frame at the bad input: send the rest again.
            finishPiece(w);
            scheduler.addFirst(piece);
        } else if (piece.nextExpected() >= piece.count && !timedOut) {
            finishPiece(w);
        }
        return kill;
    }

    /** Reports the input {@code w} runs next as started, for the pool's running count. Under the lock. */
    private static void markRunning(WorkerProcess w) {
        Piece head = w.inFlight.peek();
        if (head != null) {
            int next = head.nextExpected();
            if (next < head.count) {
                head.chunk.started(head.base + next);
            }
        }
    }

    private static void finishPiece(WorkerProcess w) {
        Piece done = w.inFlight.poll();
        done.worker = null;
        w.answeredThrough = Math.max(w.answeredThrough, done.sendId);
    }

    // ---- observation -------------------------------------------------------------------------------

    /**
     * Returns a snapshot of each live worker.
     *
     * @return one entry per worker
     */
    public List<WorkerStats> stats() {
        return supervisor.stats();
    }

    /**
     * Returns the pids of the live workers, oldest first.
     *
     * @return the pids
     */
    public List<Long> pids() {
        return supervisor.pids();
    }
}
