package io.github.pool4j.process.internal;

import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.codec.TaskDefinition;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.Task;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.TaskSerializationException.Subject;
import io.github.pool4j.TaskTimeoutException;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.internal.Flight;
import io.github.pool4j.process.ProcessPool;
import io.github.pool4j.process.internal.protocol.Decoded;
import io.github.pool4j.process.internal.protocol.Limits;
import io.github.pool4j.process.internal.protocol.Message;
import io.github.pool4j.process.internal.protocol.PerInput;
import io.github.pool4j.process.internal.protocol.ProgressNote;
import io.github.pool4j.process.internal.protocol.ProtocolException;
import io.github.pool4j.process.internal.protocol.Verdict;
import io.github.pool4j.process.internal.protocol.Wire;
import io.github.pool4j.process.internal.protocol.WorkerArgs;
import io.github.pool4j.codec.TaskDefinition.Role;
import io.github.pool4j.spi.Chunk;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JavaType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one process pool and the queue of work between them: starts and replaces
 * worker processes, hands them pieces of chunks (a small window per worker), turns their frames
 * into outcomes, and decides what a worker's death costs.
 *
 * <p>When a worker dies, the input it was running fails with a {@link WorkerCrashedException}
 * (or runs again on another worker, up to {@code retries} times), and so does each input that ran
 * before it on that worker but whose result died with it (see {@link #blameAndRequeue}): no input
 * runs more than {@code retries + 1} times. Inputs it held but had not started go back to the
 * front of the queue. A worker that breaks the protocol is killed, as if it crashed.
 * After {@value #MAX_START_FAILURES} workers in a row died before saying hello, no more are
 * started; when none is left, queued and later work fails at once with the reason.
 *
 * <p>For the pool's statistics and listeners, the input each worker runs next (the first one
 * without an outcome of the piece at the head of its window) is reported
 * {@linkplain Chunk#started started}, inputs sent back to the queue after a death
 * {@linkplain Chunk#requeued requeued} (a retry where they had started), and the task time a
 * worker sends with its result, results and error frames is {@linkplain Chunk#ran reported} for
 * their inputs, before their outcomes.
 *
 * <p>Thread-safety: thread-safe. One lock, {@link #lock}, guards the fields marked below, the
 * fields of each {@link WorkerProcess} marked "guarded by the group's lock" (its state, exit reason,
 * calls in flight and window) and each {@link Piece}'s current send. Outcomes decided under it are
 * collected in a local list and {@linkplain #report reported} after it is released. Methods run on
 * the caller's threads ({@link #dispatch}, {@link #cancel}, {@link #stop}, ...), on each worker's
 * {@code -out} thread ({@link #onFrame}, {@link #onExit}) and on the {@code -monitor} thread; see
 * the package description for the whole picture.
 */
public final class WorkerGroup {

    private static final Logger log = LoggerFactory.getLogger(WorkerGroup.class);
    private static final PoolListener WORKER_EVENTS = Flight.workerEvents();

    static final int MAX_START_FAILURES = 3;
    static final long HELLO_TIMEOUT_MILLIS = 60_000;
    /** The heap option an out-of-memory message suggests for a heap below 1 GiB. */
    private static final String RAISED_HEAP = "-Xmx1g";
    private static final long MONITOR_MILLIS = 200;
    /**
     * How often the monitor lists every process on the machine to record what each worker started
     * (so a crashed worker's children can be killed). Listing reads all of /proc, so it runs on every
     * few monitor passes only; killing a worker takes a fresh list anyway.
     */
    private static final long DESCENDANT_SCAN_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicInteger poolIds = new AtomicInteger();

    private final WorkerConfig config;
    private final String poolName;
    private final String threadPrefix;
    private final Wire wire;
    private final WorkerLauncher launcher;
    private final byte[] initFrame;
    private final WorkerArgs workerArgs;
    private final AtomicLong taskIds = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // ---- guarded by lock ----
    private final Scheduler scheduler;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private int nextWorker = 1;
    private int startFailures;
    private String lastStartFailure;
    private RemoteError lastFatal;
    private PoolException broken;
    private boolean stopping;
    private boolean terminated;
    private long nextSendId;
    private long retiredTasks;
    // ---- end of the fields guarded by lock ----
    private final Thread monitor;

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
        this.scheduler = new Scheduler(config.maxTasksPerWorker(), System::nanoTime);
        this.threadPrefix = "pool4j-process-" + poolIds.incrementAndGet();
        this.wire = new Wire(new Json(config.maxFrameBytes()));
        config.valueTypes().forEach(wire.json()::allowValueType);
        this.launcher = launcher;
        this.initFrame = config.initializer() == null ? null
                : wire.encode(new Message.Init(
                        TaskDefinition.ship(config.initializer(), Role.INITIALIZER, null, null, wire.json()).node()));
        Duration timeout = config.options().taskTimeout();
        this.workerArgs = new WorkerArgs(config.maxFrameBytes(),
                timeout == null ? 0 : Math.max(1, timeout.toMillis()), initFrame != null, null);
        this.monitor = new Thread(this::monitorLoop, threadPrefix + "-monitor");
        this.monitor.setDaemon(true);
    }

    /** What the workers' pipe threads tell this group. */
    private final WorkerProcess.Events events = new WorkerProcess.Events() {
        @Override
        public void onFrame(WorkerProcess w, byte[] buf, int off, int len) {
            WorkerGroup.this.onFrame(w, buf, off, len);
        }

        @Override
        public void protocolError(WorkerProcess w, String message) {
            WorkerGroup.this.protocolError(w, message);
        }

        @Override
        public void onExit(WorkerProcess w) {
            WorkerGroup.this.onExit(w);
        }
    };

    // ---- lifecycle ------------------------------------------------------------------------------

    /**
     * Starts every worker at once and waits until one says hello.
     *
     * @throws PoolException if no worker could start (the reason is in the message and cause)
     */
    public void start() {
        Shutdown.register(this);
        monitor.start();
        for (int i = 0; i < config.options().size(); i++) {
            spawn();
        }
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HELLO_TIMEOUT_MILLIS);
            while (broken == null && workers.stream().noneMatch(w -> w.state == WorkerProcess.State.READY)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    broken = new PoolException(poolName + ": no worker said hello within "
                            + HELLO_TIMEOUT_MILLIS + " ms", null);
                    break;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broken = new PoolException(poolName + ": interrupted while starting workers", e);
        } finally {
            lock.unlock();
        }
        PoolException failure = brokenFailure();
        if (failure != null) {
            kill();
            throw failure;
        }
    }

    private PoolException brokenFailure() {
        lock.lock();
        try {
            return broken;
        } finally {
            lock.unlock();
        }
    }

    /** Launches one worker; a launch failure counts as a start failure. */
    private void spawn() {
        int number;
        lock.lock();
        try {
            if (terminated || stopping) {
                return;
            }
            number = nextWorker++;
        } finally {
            lock.unlock();
        }
        java.nio.file.Path progress = createProgressFile();
        java.nio.MappedByteBuffer progressMap = WorkerProcess.map(progress);
        if (progressMap == null) {
            // Without our mapping the file would be of no use: the worker flushes before each input instead.
            deleteQuietly(progress);
            progress = null;
        }
        List<String> args = workerArgs.withProgressFile(progress).toList();
        WorkerIo io = WorkerIo.create();
        Launcher.Launch launch = launcher.command(args, io);
        Process process;
        try {
            log.debug("{}: starting worker-{}: {}", poolName, number, launch.command());
            ProcessBuilder builder = new ProcessBuilder(launch.command());
            if (io.errPath() != null) {
                // Opening it does not block: this side holds it open for reading.
                builder.redirectError(ProcessBuilder.Redirect.to(io.errPath().toFile()));
            }
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            launcher.released(launch);
            io.close();
            deleteQuietly(progress);
            log.warn("{}: cannot start worker-{}: {}", poolName, number, e.toString());
            startFailed("the worker JVM could not be launched: " + e, null);
            return;
        }
        WorkerProcess worker = new WorkerProcess(events, threadPrefix, config.maxFrameBytes(), number, process, io,
                initFrame, progress, progressMap,
                () -> launcher.released(launch));
        worker.keepsArchive = launch.archiveKeeper();
        lock.lock();
        try {
            if (terminated || stopping) {
                // The pool began stopping while this worker was launched: it never joins.
                worker.kill();
                worker.closeOutbox();
                deleteQuietly(progress);
                return;
            }
            workers.add(worker);
        } finally {
            lock.unlock();
        }
        Shutdown.track(process);
        worker.startThreads();
    }

    /**
     * Creates the file in which a worker notes which input runs (see {@link WorkerMain.Progress}),
     * or returns null if it cannot: that worker then writes each outcome before its next input.
     */
    private static java.nio.file.Path createProgressFile() {
        try {
            return java.nio.file.Files.createTempFile("pool4j-worker-", ".progress");
        } catch (IOException | RuntimeException e) {
            log.debug("cannot create a worker progress file: {}", e.toString());
            return null;
        }
    }

    static void deleteQuietly(java.nio.file.Path file) {
        if (file == null) {
            return;
        }
        try {
            java.nio.file.Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot delete {}: {}", file, e.toString());
        }
    }

    private void startFailed(String reason, RemoteError fatal) {
        boolean respawn;
        List<Outcome> outcomes = new ArrayList<>();
        lock.lock();
        try {
            respawn = recordStartFailure(reason, fatal, outcomes);
        } finally {
            lock.unlock();
        }
        report(outcomes);
        if (respawn) {
            spawn();
        }
    }

    /** Returns whether a replacement should be started. Called under the lock. */
    private boolean recordStartFailure(String reason, RemoteError fatal, List<Outcome> outcomes) {
        startFailures++;
        lastStartFailure = reason;
        if (fatal != null) {
            lastFatal = fatal;
        }
        if (startFailures < MAX_START_FAILURES) {
            return !terminated && !stopping;
        }
        if (workers.stream().noneMatch(w -> !w.dead()) && broken == null) {
            broken = new PoolException(poolName + ": " + MAX_START_FAILURES + " worker processes in a row failed to "
                    + "start, giving up: " + reason, lastFatal == null ? null : lastFatal.rebuild());
            log.error("{}", broken.getMessage());
            failQueued(outcomes);
        }
        changed.signalAll();
        return false;
    }

    /**
     * Fails every queued piece with the broken-pool failure, adding the outcomes to {@code outcomes}.
     * Called under the lock; the caller reports them once it released the lock.
     */
    private void failQueued(List<Outcome> outcomes) {
        PoolException reason = broken;
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
    private static void report(List<Outcome> outcomes) {
        for (Outcome outcome : outcomes) {
            outcome.report();
        }
    }

    private static PoolException notRun(long index, PoolException reason) {
        return new WorkerCrashedException("Input #" + index + " was not run: " + reason.getMessage(), index, -1, -1,
                null, List.of());
    }

    /** Stops the workers after their work: shutdown frames, then waits (then kills stragglers). */
    public void stop() throws InterruptedException {
        List<WorkerProcess> current;
        List<WorkerProcess> booting = new ArrayList<>();
        lock.lock();
        try {
            stopping = true;
            current = List.copyOf(workers);
            for (WorkerProcess w : current) {
                w.exitBecause(WorkerProcess.ExitReason.STOPPED);
                w.moveTo(WorkerProcess.State.RETIRING);
                // Still starting, with nothing to run: waiting for its JVM to boot only to tell it to
                // exit is most of a close() right after build(). Not the archive keeper (it writes
                // the archive at exit), and not while an initializer may be half done.
                if (!w.helloed && w.inFlight.isEmpty() && !w.keepsArchive && initFrame == null) {
                    booting.add(w);
                }
            }
        } finally {
            lock.unlock();
        }
        byte[] bye = wire.encode(new Message.Shutdown());
        for (WorkerProcess w : current) {
            if (booting.contains(w)) {
                w.killBooting();
            } else {
                w.shutdown(bye);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try {
            for (WorkerProcess w : current) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !w.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    log.warn("{}: {} (pid {}) did not exit after shutdown; killing it", poolName, w.name, w.pid);
                    w.kill();
                }
            }
        } finally {
            finish(current);
        }
    }

    /** Kills every worker now. */
    public void kill() {
        List<WorkerProcess> current;
        lock.lock();
        try {
            terminated = true;
            current = List.copyOf(workers);
            for (WorkerProcess w : current) {
                w.exitBecause(WorkerProcess.ExitReason.STOPPED);
            }
            scheduler.drain();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (WorkerProcess w : current) {
            w.kill();
        }
        try {
            for (WorkerProcess w : current) {
                w.process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finish(current);
    }

    private void finish(List<WorkerProcess> stopped) {
        lock.lock();
        try {
            terminated = true;
        } finally {
            lock.unlock();
        }
        monitor.interrupt();
        try {
            for (WorkerProcess w : stopped) {
                w.joinThreads(5000);
            }
            monitor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Shutdown.unregister(this);
    }

    /** Kills workers without waiting: the JVM is exiting. */
    void killForShutdown() {
        List<WorkerProcess> current;
        lock.lock();
        try {
            terminated = true;
            current = List.copyOf(workers);
            for (WorkerProcess w : current) {
                // The pool's own kill, as the JVM exits (SIGTERM, System.exit): not a fault to warn of.
                w.exitBecause(WorkerProcess.ExitReason.STOPPED);
            }
        } finally {
            lock.unlock();
        }
        for (WorkerProcess w : current) {
            w.kill();
        }
    }

    // ---- work in ----------------------------------------------------------------------------------

    /**
     * Ships a task for one call.
     *
     * @param task the caller's task
     * @return the prepared form, for {@link #dispatch}
     * @throws TaskSerializationException if it cannot be shipped
     */
    public Object prepare(Task<?, ?> task) {
        TaskDefinition definition =
                TaskDefinition.ship(task, Role.TASK, config.inputType(), config.resultType(), wire.json());
        long id = taskIds.incrementAndGet();
        return new PreparedTask(id, definition, wire.encode(new Message.Define(id, definition.node())));
    }

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
            failure = broken;
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
        Wire.Body body = wire.callBody(new Slice(chunk, from, to), prepared.definition().inputType(), limit);
        if (body == null) {
            if (to - from > 1) {
                int middle = (from + to) >>> 1;
                encode(chunk, prepared, from, middle, pieces);
                encode(chunk, prepared, middle, to, pieces);
                return;
            }
            Object input = chunk.input(from);
            chunk.fail(from, new TaskSerializationException(Subject.INPUT, chunk.firstIndex() + from,
                    input.getClass().getName(), "its JSON is more than the " + limit
                            + " bytes a frame of maxFrameBytes (" + config.maxFrameBytes() + ") can carry", null));
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
        pieces.add(new Piece(chunk, from, to - from, body.bytes(), prepared));
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
            for (WorkerProcess w : workers) {
                for (Piece p : w.inFlight) {
                    if (p.chunk == chunk) {
                        w.send(wire.encode(new Message.Cancel(p.sendId)));
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Hands queued pieces to ready workers, as {@link Scheduler#pump} decides. Called under the lock. */
    private void pump() {
        if (!terminated) {
            scheduler.pump(workers, this::assign);
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
        if (!w.knows(prepared.id())) {
            w.send(prepared.defineFrame());
            w.learned(prepared.id());
        }
        w.send(wire.callHead(piece.sendId, prepared.id(), skip), piece.body);
        return true;
    }

    // ---- frames from workers ----------------------------------------------------------------------

    private record Outcome(Chunk chunk, int offset, Object value, PoolException failure) {
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
            for (int j = 0; j < n; j++) {
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
    void onFrame(WorkerProcess w, byte[] buf, int off, int len) {
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
        });
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
                    if (w.helloed) {
                        throw new ProtocolException("a second hello", null);
                    }
                    w.helloed = true;
                    if (w.state == WorkerProcess.State.STARTING) {
                        // A worker told to stop before it was ready stays RETIRING.
                        w.moveTo(stopping || terminated ? WorkerProcess.State.RETIRING : WorkerProcess.State.READY);
                    }
                    w.helloMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - w.startNanos);
                    // Both sides have mapped the progress file by now: its name is no longer needed,
                    // and no file is left behind if this JVM dies.
                    deleteQuietly(w.progressFile);
                    startFailures = 0;
                    started = true;
                    changed.signalAll();
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
                    retireNow = retireIfDone(w);
                    pump();
            } else if (frame instanceof PerInput one) {
                    nanos = frame instanceof Message.Result r ? r.nanos()
                            : frame instanceof Message.Failed f ? f.nanos() : -1;
                    timedChunk = timedChunk(w, one.id(), nanos);
                    kill = outcome(w, frame, outcomes);
                    markRunning(w);
                    retireNow = retireIfDone(w);
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
            log.info("{}: {} (pid {}, JDK {}) ready in {} ms", poolName, w.name, w.pid, jdk, w.helloMillis);
            listen(l -> l.onWorkerStarted(w.stats(0, true)));
        }
        if (kill) {
            w.kill();
        }
        if (retireNow) {
            log.info("{}: {} (pid {}) ran {} inputs (maxTasksPerWorker); replacing it", poolName, w.name, w.pid,
                    w.tasksDone);
            w.shutdown(wire.encode(new Message.Shutdown()));
            spawn();
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
    }

    private boolean retireIfDone(WorkerProcess w) {
        int max = config.maxTasksPerWorker();
        if (max > 0 && w.state == WorkerProcess.State.READY && w.assigned >= max && w.inFlight.isEmpty()
                && !stopping && !terminated) {
            w.moveTo(WorkerProcess.State.RETIRING);
            w.exitBecause(WorkerProcess.ExitReason.RETIRED);
            return true;
        }
        return false;
    }

    void protocolError(WorkerProcess w, String message) {
        lock.lock();
        try {
            if (w.protocolError == null && w.exitBecause(WorkerProcess.ExitReason.PROTOCOL_ERROR)) {
                w.protocolError = message;
                w.progressAtProtocolError = w.progress();
            }
            if (w.state == WorkerProcess.State.READY) {
                w.moveTo(WorkerProcess.State.RETIRING);
            }
        } finally {
            lock.unlock();
        }
        log.warn("{}: {} (pid {}) broke the protocol: {}; killing it", poolName, w.name, w.pid, message);
        w.kill();
    }

    // ---- deaths -------------------------------------------------------------------------------------

    /** Handles a worker's death, once, after its stdout has been read to the end. */
    void onExit(WorkerProcess w) {
        int exitCode = w.process.isAlive() ? -1 : w.process.exitValue();
        String signal = Signals.name(exitCode);
        List<String> tail = w.stderrTail();
        List<Outcome> outcomes = new ArrayList<>();
        boolean replace = false;
        boolean respawnAfterStartFailure = false;
        boolean expected;
        String why;
        lock.lock();
        try {
            if (w.dead()) {
                return;
            }
            w.moveTo(WorkerProcess.State.DEAD);
            workers.remove(w);
            retiredTasks += w.tasksDone;
            expected = w.exitExpected();
            why = describeDeath(w, exitCode, signal, tail);
            boolean helloSeen = w.helloed;
            if (!helloSeen && !stopping && !terminated) {
                respawnAfterStartFailure = recordStartFailure(withStderr(why, tail), w.fatal, outcomes);
            } else if (!terminated && !stopping) {
                // A retired worker's replacement started when it was retired.
                replace = w.exitReason != WorkerProcess.ExitReason.RETIRED;
            }
            if (!terminated) {
                blameAndRequeue(w, exitCode, signal, tail, why, outcomes);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        w.closeOutbox();
        deleteQuietly(w.progressFile);
        report(outcomes);
        if (expected) {
            log.debug("{}: {} (pid {}) exited with status {}", poolName, w.name, w.pid, exitCode);
            listen(l -> l.onWorkerStopped(w.stats(w.tasksDone, false), null));
        } else {
            log.warn("{}: {} (pid {}) {}", poolName, w.name, w.pid, why);
            WorkerCrashedException cause = new WorkerCrashedException(w.name + " (pid " + w.pid + ") " + why,
                    PoolException.NO_INPUT, w.name + " (pid " + w.pid + ")", w.pid, exitCode, signal, tail);
            listen(l -> l.onWorkerStopped(w.stats(w.tasksDone, false), cause));
        }
        if (replace || respawnAfterStartFailure) {
            if (replace) {
                log.info("{}: replacing {} (pid {})", poolName, w.name, w.pid);
            }
            spawn();
        }
        lock.lock();
        try {
            pump();
        } finally {
            lock.unlock();
        }
    }

    /** Lines of a worker's stderr put in a start failure's message: the JVM's own reason is there. */
    private static final int START_FAILURE_LINES = 5;
    private static final int START_FAILURE_LINE_CHARS = 300;

    /** Adds the end of a worker's stderr to why it failed to start (an unknown JVM option, a heap too small). */
    static String withStderr(String why, List<String> tail) {
        List<String> lines = tail.stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return why;
        }
        StringBuilder text = new StringBuilder(why).append("; its stderr ends with: ");
        List<String> last = lines.subList(Math.max(0, lines.size() - START_FAILURE_LINES), lines.size());
        for (int i = 0; i < last.size(); i++) {
            String line = last.get(i).strip();
            text.append(i == 0 ? "" : " | ").append(line.length() > START_FAILURE_LINE_CHARS
                    ? line.substring(0, START_FAILURE_LINE_CHARS) + "..." : line);
        }
        return text.toString();
    }

    private String describeDeath(WorkerProcess w, int exitCode, String signal, List<String> tail) {
        StringBuilder why = new StringBuilder();
        WorkerProcess.ExitReason reason = w.exitReason;
        if (reason == WorkerProcess.ExitReason.TIMED_OUT) {
            why.append("was killed: its task ran past the timeout");
        } else if (reason == WorkerProcess.ExitReason.PROTOCOL_ERROR) {
            why.append("was killed after a protocol error (").append(w.protocolError).append(")");
        } else if (reason == WorkerProcess.ExitReason.UNRESPONSIVE) {
            why.append("was killed: its task ran past the timeout and did not answer");
        } else if (reason == WorkerProcess.ExitReason.INIT_FAILED) {
            why.append("failed in its initializer: ").append(w.fatal.className())
                    .append(w.fatal.message() == null ? "" : ": " + w.fatal.message());
        } else if (signal != null) {
            why.append("was killed by ").append(signal).append(" (exit status ").append(exitCode).append(")");
        } else {
            why.append("exited with status ").append(exitCode);
            if (exitCode == WorkerMain.EXIT_TASK_THREAD_FAILED) {
                why.append(": its task thread failed outside any task, so it could not run tasks any more");
                tail.stream().filter(l -> l.startsWith(WorkerMain.TASK_THREAD_FAILED)).reduce((a, b) -> b)
                        .ifPresent(l -> why.append(" (").append(l.substring(WorkerMain.TASK_THREAD_FAILED.length()))
                                .append(')'));
            }
        }
        tail.stream().filter(l -> l.contains("OutOfMemoryError")).reduce((a, b) -> b)
                .ifPresent(l -> why.append(", out of memory (").append(outOfMemoryHint(l)).append(')'));
        if (!w.helloed && w.exitReason != WorkerProcess.ExitReason.INIT_FAILED) {
            why.append(", before it said hello").append(WorkerClassPath.explain(tail));
        }
        return why.toString();
    }

    /**
     * Says which memory ran out (from the JVM's line on stderr) and, for the heap, the worker's heap
     * size and how to raise it.
     */
    private String outOfMemoryHint(String line) {
        int at = line.indexOf("OutOfMemoryError");
        String what = line.substring(at + "OutOfMemoryError".length()).replaceFirst("^:\\s*", "").trim();
        boolean heap = what.isEmpty() || what.contains("Java heap space") || what.contains("GC overhead")
                || what.contains("array size");
        if (!heap) {
            return what;
        }
        String xmx = heapOption(config.jvmOptions());
        boolean byDefault = xmx != null && xmx.equals(heapOption(ProcessPool.Builder.DEFAULT_JVM_OPTIONS))
                && config.jvmOptions().containsAll(ProcessPool.Builder.DEFAULT_JVM_OPTIONS);
        String size = xmx == null ? "worker heap: the JVM's default maximum"
                : "worker heap " + xmx + (byDefault ? ", the default" : "");
        return (what.isEmpty() ? "" : what + "; ") + size + "; raise it with ProcessPool.builder().addJvmOptions(\""
                + raisedHeap(xmx) + "\")";
    }

    /** The heap option to suggest: {@code -Xmx1g}, or twice the current heap if that is already 1 GiB or more. */
    static String raisedHeap(String xmx) {
        long bytes = xmx == null ? -1 : heapBytes(xmx.startsWith("-Xmx") ? xmx.substring(4)
                : xmx.substring("-XX:MaxHeapSize=".length()));
        long gib = 1L << 30;
        return bytes < gib ? RAISED_HEAP : "-Xmx" + (2 * bytes + gib - 1) / gib + "g";
    }

    /** Reads a JVM memory size such as {@code 512m} or {@code 2G}; -1 if it is not one. */
    private static long heapBytes(String size) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([kKmMgGtT]?)").matcher(size);
        if (!m.matches()) {
            return -1;
        }
        try {
            int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                default -> 0;
            };
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
    }

    /** The heap option a worker runs with: the last {@code -Xmx} or {@code -XX:MaxHeapSize=} (the JVM takes the last). */
    static String heapOption(List<String> jvmOptions) {
        String found = null;
        for (String option : jvmOptions) {
            if (option.startsWith("-Xmx") || option.startsWith("-XX:MaxHeapSize=")) {
                found = option;
            }
        }
        return found;
    }

    /**
     * Fails or retries the inputs a dead worker ran without their outcome reaching this side; queues
     * the rest again. Under the lock.
     *
     * <p>An input runs at most {@code retries + 1} times. The worker's progress note names the input
     * it ran last: that one and every input it held before it have started, so each of them whose
     * outcome never arrived (the worker gathers results before it writes them) counts an attempt,
     * and fails with a {@link WorkerCrashedException} once its attempts exceed {@code retries}.
     * Inputs after it never started and are queued again freely.
     */
    private void blameAndRequeue(WorkerProcess w, int exitCode, String signal, List<String> tail, String why,
            List<Outcome> outcomes) {
        // What ran: the worker runs its calls in order, so every input of the calls before the noted
        // one, and of the noted call up to the noted input, has started.
        long note = w.progress();
        Piece notedPiece = notedPiece(w, note);
        int noted = notedPiece == null ? -1 : ProgressNote.position(note);
        boolean notedFinished = notedPiece != null && ProgressNote.isFinished(note);
        // The input to blame: the one the note names, unless its outcome arrived (a death between
        // inputs); else the first one without an outcome. Blaming one input on every unexpected
        // death keeps a worker that always dies from being replaced forever. After a protocol error,
        // the input running when it was seen, not the one running when the kill landed: the bad
        // frame came from the first (as near as the parent can tell).
        long blameNote = w.exitReason == WorkerProcess.ExitReason.PROTOCOL_ERROR
                && w.progressAtProtocolError != ProgressNote.NONE
                ? w.progressAtProtocolError : note;
        Piece culpritPiece = notedPiece(w, blameNote);
        int culprit = -1;
        if (culpritPiece != null) {
            int position = ProgressNote.position(blameNote);
            if (position >= 0 && position < culpritPiece.count && !culpritPiece.settled.get(position)) {
                culprit = position;
            } else {
                culpritPiece = null;
            }
        }
        if (culpritPiece == null && !w.inFlight.isEmpty()) {
            culpritPiece = w.inFlight.peek();
            culprit = culpritPiece.nextExpected();
        }
        boolean blame = w.exitReason == null || w.exitReason.blamesInput;
        boolean beforeNoted = notedPiece != null;
        List<Piece> requeue = new ArrayList<>();
        for (Piece piece : w.inFlight) {
            piece.worker = null;
            int startedTo = piece == notedPiece ? noted + 1 : beforeNoted ? piece.count : 0;
            if (piece == notedPiece) {
                beforeNoted = false;
            }
            requeue.add(piece);
            if (piece.chunk.isCancelled()) {
                continue;
            }
            for (int i = 0; i < piece.count; i++) {
                boolean blamed = blame && piece == culpritPiece && i == culprit;
                boolean started = i < startedTo && !piece.skip.get(i);
                if (!(blamed || started) || piece.settled.get(i) || piece.chunk.isDone(piece.base + i)) {
                    if (!piece.settled.get(i)) {
                        piece.chunk.requeued(piece.base + i, false); // no longer running, if it was reported so
                    }
                    continue;
                }
                long index = piece.index(i);
                if (blamed && w.exitReason == WorkerProcess.ExitReason.UNRESPONSIVE) {
                    piece.settled.set(i);
                    outcomes.add(new Outcome(piece.chunk, piece.base + i, null,
                            new TaskTimeoutException(index, config.options().taskTimeout(), List.of())));
                    continue;
                }
                // It ran to the end if the worker went on to a later input, or noted it finished.
                boolean completed = started && !(piece == notedPiece && i == noted && !notedFinished);
                if (piece.attempts == null) {
                    piece.attempts = new HashMap<>();
                }
                int attempts = piece.attempts.merge(i, 1, Integer::sum);
                if (attempts <= config.retries()) {
                    log.info("{}: re-running input #{} on another worker (retry {} of {}){}", poolName, index,
                            attempts, config.retries(), completed ? ": its result was lost" : "");
                    piece.chunk.requeued(piece.base + i, true);
                    continue;
                }
                piece.settled.set(i);
                String what = completed
                        ? "Input #" + index + " ran, but its result was lost when " + w.name + " (pid " + w.pid
                                + ") " + why
                        : "Input #" + index + " was lost: " + w.name + " (pid " + w.pid + ") " + why;
                outcomes.add(new Outcome(piece.chunk, piece.base + i, null, new WorkerCrashedException(
                        what + (attempts > 1 ? " (attempt " + attempts + ")" : ""), index,
                        w.name + " (pid " + w.pid + ")", w.pid, exitCode, signal, tail)));
            }
        }
        w.inFlight.clear();
        for (int i = requeue.size() - 1; i >= 0; i--) {
            // An outcome reported below marks its input done, so the next send skips it.
            scheduler.addFirst(requeue.get(i));
        }
        if (broken != null) {
            failQueued(outcomes);
        }
    }

    /** The piece in flight on {@code w} that a progress note names, or null. Under the lock. */
    private static Piece notedPiece(WorkerProcess w, long note) {
        if (note == ProgressNote.NONE) {
            return null;
        }
        for (Piece piece : w.inFlight) {
            if (ProgressNote.names(note, piece.sendId)) {
                return piece;
            }
        }
        return null;
    }

    // ---- monitor --------------------------------------------------------------------------------------

    private void monitorLoop() {
        Duration timeout = config.options().taskTimeout();
        long grace = timeout == null ? 0 : timeout.toNanos() + TimeUnit.SECONDS.toNanos(3);
        long lastScan = System.nanoTime() - DESCENDANT_SCAN_NANOS;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(MONITOR_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            List<WorkerProcess> current;
            List<WorkerProcess> overdue = new ArrayList<>();
            long now = System.nanoTime();
            lock.lock();
            try {
                current = List.copyOf(workers);
                for (WorkerProcess w : current) {
                    boolean stuck = timeout != null && !w.inFlight.isEmpty() && now - w.window.runningSince > grace;
                    boolean silent = !w.helloed
                            && now - w.startNanos > TimeUnit.MILLISECONDS.toNanos(HELLO_TIMEOUT_MILLIS);
                    if ((stuck || silent) && !w.dead() && w.exitReason != WorkerProcess.ExitReason.UNRESPONSIVE) {
                        if (stuck) {
                            w.exitBecause(WorkerProcess.ExitReason.UNRESPONSIVE);
                        }
                        overdue.add(w);
                    }
                }
            } finally {
                lock.unlock();
            }
            for (WorkerProcess w : overdue) {
                log.warn("{}: {} (pid {}) is unresponsive; killing it", poolName, w.name, w.pid);
                w.kill();
            }
            for (WorkerProcess w : current) {
                long exited = w.exitedAt;
                if (exited != 0 && now - exited > TimeUnit.SECONDS.toNanos(5)) {
                    // Its stdout never ended: a process it started still holds the pipe. Do not
                    // wait for that process; handle the death now (later frames are ignored).
                    log.warn("{}: {} (pid {}) exited but its output pipe is held open by another process",
                            poolName, w.name, w.pid);
                    onExit(w);
                }
            }
            if (!current.isEmpty() && now - lastScan >= DESCENDANT_SCAN_NANOS) {
                lastScan = now;
                List<ProcessHandle> all = ProcessHandle.allProcesses().toList();
                for (WorkerProcess w : current) {
                    w.snapshotDescendants(all);
                }
            }
        }
    }

    // ---- observation -------------------------------------------------------------------------------

    /**
     * Returns a snapshot of each live worker.
     *
     * @return one entry per worker
     */
    public List<WorkerStats> stats() {
        List<WorkerProcess> current;
        List<Long> done = new ArrayList<>();
        lock.lock();
        try {
            current = List.copyOf(workers);
            for (WorkerProcess w : current) {
                done.add(w.tasksDone);
            }
        } finally {
            lock.unlock();
        }
        List<WorkerStats> stats = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) {
            stats.add(current.get(i).stats(done.get(i), current.get(i).process.isAlive()));
        }
        return stats;
    }

    /**
     * Returns the pids of the live workers, oldest first.
     *
     * @return the pids
     */
    public List<Long> pids() {
        lock.lock();
        try {
            return workers.stream().filter(w -> !w.dead()).map(w -> w.pid).toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the processes the worker {@code pid} was last seen to have started (for tests).
     *
     * @param pid a worker's pid
     * @return the pids of its descendants, as of the monitor's last scan (at most about a second old)
     */
    public List<Long> knownDescendants(long pid) {
        lock.lock();
        try {
            return workers.stream().filter(w -> w.pid == pid).findFirst()
                    .map(w -> w.knownDescendants().stream().map(ProcessHandle::pid).toList())
                    .orElse(List.of());
        } finally {
            lock.unlock();
        }
    }

    private void listen(java.util.function.Consumer<PoolListener> event) {
        event.accept(WORKER_EVENTS); // the flight recorder's worker start/stop events; cheap when off
        PoolListener listener = config.options().listener();
        if (listener == PoolListener.NONE) {
            return;
        }
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            log.warn("{}: PoolListener threw; ignoring it", poolName, e);
        }
    }

    /** Kills the workers of every live group when this JVM exits. */
    static final class Shutdown {
        private static final Set<WorkerGroup> groups = ConcurrentHashMap.newKeySet();
        private static final Set<Process> processes = ConcurrentHashMap.newKeySet();
        private static final AtomicInteger registered = new AtomicInteger();

        static void register(WorkerGroup group) {
            if (registered.compareAndSet(0, 1)) {
                Runtime.getRuntime().addShutdownHook(new Thread(Shutdown::killAll, "pool4j-process-shutdown"));
            }
            groups.add(group);
        }

        static void track(Process process) {
            processes.add(process);
            process.onExit().thenRun(() -> processes.remove(process));
        }

        static void unregister(WorkerGroup group) {
            groups.remove(group);
        }

        private static void killAll() {
            for (WorkerGroup group : groups) {
                group.killForShutdown();
            }
            for (Process process : processes) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

}
