package io.github.pool4j.process.internal;

import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.internal.Flight;
import io.github.pool4j.process.internal.protocol.ProtocolException;
import io.github.pool4j.process.internal.protocol.Segments;
import io.github.pool4j.process.internal.protocol.WorkerArgs;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lives of one pool's worker processes: starts them (launch, then wait for a first hello),
 * replaces the dead and the retired, stops and kills them, and runs the {@code -monitor} thread
 * that kills workers that hang or never say hello and records the processes each worker started
 * (so a crashed worker's children can be killed). A JVM-wide {@link Shutdown} hook kills every
 * pool's workers when this JVM exits. What a death costs is the {@link CrashPolicy}'s to decide;
 * applying it to the queue is the {@link WorkerGroup}'s.
 *
 * <p>Lifecycle of the pool's workers: running → stopping (by {@link #stop}: no worker starts, each
 * is told to exit after its work) → terminated (by {@link #kill}, or once {@code stop} waited; no
 * worker starts, a death costs nothing more). A pool becomes broken (work fails at once) when its
 * first worker does not say hello in time, or when {@value CrashPolicy#MAX_START_FAILURES} workers
 * in a row fail to start and none is left.
 *
 * <p>Thread-safety: thread-safe. It shares the group's lock ({@link WorkerGroup}, passed in): that
 * lock guards the fields marked below, the fields of each {@link WorkerProcess} marked "guarded by
 * the group's lock" and the {@link CrashPolicy}'s count. Outcomes decided under it (inputs a death
 * costs) are reported after it is released, through {@link WorkerGroup#report}. Methods run on the
 * caller's threads ({@link #start}, {@link #stop}, {@link #kill}), on each worker's {@code -out}
 * thread ({@link #onExit}, {@link #protocolError}, and {@link #helloed}/{@link #retire} for the
 * group), on the {@code -monitor} thread, and on the shutdown hook's thread
 * ({@link #killForShutdown}). It logs as {@link WorkerGroup}: one logger for a pool's worker events.
 */
final class Supervisor {

    private static final Logger log = LoggerFactory.getLogger(WorkerGroup.class);
    private static final PoolListener WORKER_EVENTS = Flight.workerEvents();

    /** How long a worker may take to say hello: past it, the monitor kills it (the first one: the pool fails). */
    static final long HELLO_TIMEOUT_MILLIS = 60_000;
    /** How long {@link #stop} waits for the workers to exit after the shutdown frame before it kills them. */
    static final long STOP_WAIT_MILLIS = 20_000;
    /** How long {@link #kill} waits for each killed worker to exit. */
    static final long KILL_WAIT_MILLIS = 5_000;
    /** How long stopping waits for each worker's pipe threads, and for the monitor, to end. */
    private static final long JOIN_MILLIS = 5_000;
    /** How often the monitor looks for workers that hang. */
    private static final long MONITOR_MILLIS = 200;
    /**
     * How long past the task timeout a worker whose own watchdog did not report may run an input
     * before the monitor kills it.
     */
    private static final long HANG_GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);
    /**
     * How long after a worker exited its output may stay open (held by a process it started) before
     * its death is handled anyway.
     */
    private static final long HELD_PIPE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * How often the monitor lists every process on the machine to record what each worker started
     * (so a crashed worker's children can be killed). Listing reads all of /proc, so it runs on every
     * few monitor passes only; killing a worker takes a fresh list anyway.
     */
    private static final long DESCENDANT_SCAN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final WorkerGroup group;
    private final WorkerConfig config;
    private final String poolName;
    private final String threadPrefix;
    private final WorkerLauncher launcher;
    private final byte[] initFrame;
    private final WorkerArgs workerArgs;
    private final CrashPolicy crashes;
    /**
     * The pool's clock (the group's, also its scheduler's): workers' start and exit times, hello
     * and hang detection. Bounded waits on threads and processes measure real time instead.
     */
    private final LongSupplier nanoTime;
    private final Thread monitor;

    private final ReentrantLock lock;
    private final Condition changed;
    // ---- guarded by lock ----
    private final List<WorkerProcess> workers = new ArrayList<>();
    private int nextWorker = 1;
    private PoolException broken;
    private boolean stopping;
    private boolean terminated;
    // ---- end of the fields guarded by lock ----

    /** What the workers' pipe threads tell: frames go to the group, the rest is a worker's life. */
    private final WorkerProcess.Events events = new WorkerProcess.Events() {
        @Override
        public void onFrame(WorkerProcess w, byte[] buf, int off, int len, Segments.In segments) {
            group.onFrame(w, buf, off, len, segments);
        }

        @Override
        public long maxPayloadBytes() {
            return config.maxPayloadBytes();
        }

        @Override
        public void protocolError(WorkerProcess w, String message) {
            Supervisor.this.protocolError(w, message);
        }

        @Override
        public void onExit(WorkerProcess w) {
            Supervisor.this.onExit(w);
        }
    };

    /**
     * Creates the supervisor of {@code group}'s workers; none starts before {@link #start}.
     *
     * @param group the group whose queue the workers serve
     * @param lock the group's lock
     * @param threadPrefix the prefix of the pool's thread names
     * @param initFrame the initializer's frame, sent first to every worker, or null
     * @param workerArgs the workers' arguments (without their progress file)
     * @param nanoTime the pool's clock
     */
    Supervisor(WorkerGroup group, ReentrantLock lock, String poolName, WorkerConfig config, String threadPrefix,
            WorkerLauncher launcher, byte[] initFrame, WorkerArgs workerArgs, CrashPolicy crashes, LongSupplier nanoTime) {
        this.group = group;
        this.lock = lock;
        this.changed = lock.newCondition();
        this.poolName = poolName;
        this.config = config;
        this.threadPrefix = threadPrefix;
        this.launcher = launcher;
        this.initFrame = initFrame;
        this.workerArgs = workerArgs;
        this.crashes = crashes;
        this.nanoTime = nanoTime;
        this.monitor = new Thread(this::monitorLoop, threadPrefix + "-monitor");
        this.monitor.setDaemon(true);
    }

    // ---- read by the group, under the lock ----

    /** The workers, oldest first, alive or about to be handled as dead. Under the lock. */
    List<WorkerProcess> workers() {
        return workers;
    }

    /** Why the pool cannot run work, or null. Under the lock. */
    PoolException broken() {
        return broken;
    }

    /** Whether the pool stopped or is stopping: no worker starts. Under the lock. */
    boolean stopping() {
        return stopping || terminated;
    }

    /** Whether the workers were killed or stopped: nothing is sent any more. Under the lock. */
    boolean terminated() {
        return terminated;
    }

    // ---- start ----------------------------------------------------------------------------------

    /**
     * Starts every worker at once and waits until one says hello.
     *
     * @throws PoolException if no worker could start (the reason is in the message and cause)
     */
    void start() {
        Shutdown.register(this);
        monitor.start();
        for (int i = 0; i < config.options().size(); i++) {
            spawn();
        }
        lock.lock();
        try {
            // A real wait, so real time, whatever the pool's clock.
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
    void spawn() {
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
        Path progress = createProgressFile();
        MappedByteBuffer progressMap = WorkerProcess.map(progress);
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
                () -> launcher.released(launch), nanoTime);
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
    private static Path createProgressFile() {
        try {
            return Files.createTempFile("pool4j-worker-", ".progress");
        } catch (IOException | RuntimeException e) {
            log.debug("cannot create a worker progress file: {}", e.toString());
            return null;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot delete {}: {}", file, e.toString());
        }
    }

    private void startFailed(String reason, RemoteError fatal) {
        boolean respawn;
        List<WorkerGroup.Outcome> outcomes = new ArrayList<>();
        lock.lock();
        try {
            respawn = recordStartFailure(reason, fatal, outcomes);
        } finally {
            lock.unlock();
        }
        WorkerGroup.report(outcomes);
        if (respawn) {
            spawn();
        }
    }

    /** Returns whether a replacement should be started. Called under the lock. */
    private boolean recordStartFailure(String reason, RemoteError fatal, List<WorkerGroup.Outcome> outcomes) {
        if (!crashes.startFailed(fatal)) {
            return !terminated && !stopping;
        }
        if (workers.stream().noneMatch(w -> !w.dead()) && broken == null) {
            broken = crashes.gaveUp(reason);
            log.error("{}", broken.getMessage());
            group.failQueued(broken, outcomes);
        }
        changed.signalAll();
        return false;
    }

    /**
     * Records {@code w}'s hello: it takes work now, unless the pool is stopping. Under the lock; the
     * group tops its window up after.
     *
     * @throws ProtocolException if it said hello before
     */
    void helloed(WorkerProcess w) {
        if (w.helloed) {
            throw new ProtocolException("a second hello", null);
        }
        w.helloed = true;
        if (w.state == WorkerProcess.State.STARTING) {
            // A worker told to stop before it was ready stays RETIRING.
            w.moveTo(stopping || terminated ? WorkerProcess.State.RETIRING : WorkerProcess.State.READY);
        }
        w.helloMillis = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - w.startNanos);
        // Both sides have mapped the progress file by now: its name is no longer needed,
        // and no file is left behind if this JVM dies.
        deleteQuietly(w.progressFile);
        crashes.started();
        changed.signalAll();
    }

    /** Tells the listeners {@code w} is ready, once {@link #helloed} returned and the lock is released. */
    void announceStarted(WorkerProcess w, String jdk) {
        log.info("{}: {} (pid {}, JDK {}) ready in {} ms", poolName, w.name, w.pid, jdk, w.helloMillis);
        listen(l -> l.onWorkerStarted(w.stats(0, true)));
    }

    // ---- replace ----------------------------------------------------------------------------------

    /**
     * Retires {@code w} if it was given {@code maxTasksPerWorker} inputs and answered them all;
     * returns whether it did, so the caller {@linkplain #retire replaces} it once unlocked. Under the lock.
     */
    boolean retireIfDone(WorkerProcess w) {
        int max = config.maxTasksPerWorker();
        if (max > 0 && w.state == WorkerProcess.State.READY && w.assigned >= max && w.inFlight.isEmpty()
                && !stopping && !terminated) {
            w.moveTo(WorkerProcess.State.RETIRING);
            w.exitBecause(WorkerProcess.ExitReason.RETIRED);
            return true;
        }
        return false;
    }

    /** Tells a retired worker to exit and starts its replacement. Without the lock. */
    void retire(WorkerProcess w, byte[] shutdownFrame) {
        log.info("{}: {} (pid {}) ran {} inputs (maxTasksPerWorker); replacing it", poolName, w.name, w.pid,
                w.tasksDone);
        w.shutdown(shutdownFrame);
        spawn();
    }

    /** Kills a worker that broke the protocol; its death is handled when its output ends. */
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

    /** Handles a worker's death, once, after its stdout has been read to the end. */
    void onExit(WorkerProcess w) {
        int exitCode = w.process.isAlive() ? -1 : w.process.exitValue();
        String signal = Signals.name(exitCode);
        List<String> tail = w.stderrTail();
        List<WorkerGroup.Outcome> outcomes = new ArrayList<>();
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
            expected = w.exitExpected();
            CrashPolicy.Death death = CrashPolicy.Death.of(w, exitCode, signal, tail);
            why = crashes.describe(death);
            boolean helloSeen = w.helloed;
            if (!helloSeen && !stopping && !terminated) {
                respawnAfterStartFailure = recordStartFailure(CrashPolicy.withStderr(why, tail), w.fatal, outcomes);
            } else if (!terminated && !stopping) {
                // A retired worker's replacement started when it was retired.
                replace = w.exitReason != WorkerProcess.ExitReason.RETIRED;
            }
            if (!terminated) {
                group.requeueFirst(crashes.blameAndRequeue(w.inFlight, death, why, outcomes));
                w.inFlight.clear();
                if (broken != null) {
                    group.failQueued(broken, outcomes);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        w.closeOutbox();
        deleteQuietly(w.progressFile);
        WorkerGroup.report(outcomes);
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
            group.pump();
        } finally {
            lock.unlock();
        }
    }

    // ---- stop and kill -------------------------------------------------------------------------

    /**
     * Stops the workers after their work: shutdown frames, then waits (then kills stragglers).
     *
     * @param shutdownFrame the shutdown frame
     * @throws InterruptedException if interrupted while waiting for the workers to exit
     */
    void stop(byte[] shutdownFrame) throws InterruptedException {
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
        for (WorkerProcess w : current) {
            if (booting.contains(w)) {
                w.killBooting();
            } else {
                w.shutdown(shutdownFrame);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
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

    /** Kills every worker now; queued work is dropped (the engine fails what is unfinished). */
    void kill() {
        List<WorkerProcess> current = terminate(true);
        for (WorkerProcess w : current) {
            w.kill();
        }
        try {
            for (WorkerProcess w : current) {
                w.process.waitFor(KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finish(current);
    }

    /**
     * Marks the pool terminated and each worker as stopped by the pool (its death is then no fault
     * to report or warn of), dropping the queued work if asked; returns the workers.
     */
    private List<WorkerProcess> terminate(boolean dropQueued) {
        lock.lock();
        try {
            terminated = true;
            List<WorkerProcess> current = List.copyOf(workers);
            for (WorkerProcess w : current) {
                w.exitBecause(WorkerProcess.ExitReason.STOPPED);
            }
            if (dropQueued) {
                group.dropQueued();
                changed.signalAll();
            }
            return current;
        } finally {
            lock.unlock();
        }
    }

    private void finish(List<WorkerProcess> stopped) {
        lock.lock();
        try {
            terminated = true;
        } finally {
            lock.unlock();
        }
        monitor.interrupt();
        for (WorkerProcess w : stopped) {
            // Also done when a worker's exit is handled, but asynchronously: close() must not
            // return while a process its tasks started still runs.
            w.killDescendants();
        }
        try {
            for (WorkerProcess w : stopped) {
                w.joinThreads(JOIN_MILLIS);
            }
            monitor.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Shutdown.unregister(this);
    }

    /** Kills workers without waiting: the JVM is exiting (SIGTERM, System.exit). */
    void killForShutdown() {
        List<WorkerProcess> current = terminate(false);
        for (WorkerProcess w : current) {
            w.kill();
        }
    }

    // ---- monitor --------------------------------------------------------------------------------------

    private void monitorLoop() {
        Duration timeout = config.options().taskTimeout();
        long grace = timeout == null ? 0 : timeout.toNanos() + HANG_GRACE_NANOS;
        long lastScan = nanoTime.getAsLong() - DESCENDANT_SCAN_NANOS;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(MONITOR_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            List<WorkerProcess> current;
            List<WorkerProcess> overdue = new ArrayList<>();
            long now = nanoTime.getAsLong();
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
                if (exited != 0 && now - exited > HELD_PIPE_NANOS) {
                    // Its stdout never ended: a process it started still holds the pipe. Do not
                    // wait for that process; handle the death now (later frames are ignored).
                    log.warn("{}: {} (pid {}) exited but its output pipe is held open by another process",
                            poolName, w.name, w.pid);
                    onExit(w);
                }
            }
            if (!current.isEmpty() && now - lastScan >= DESCENDANT_SCAN_NANOS) {
                lastScan = now;
                Map<Long, List<ProcessHandle>> children = WorkerProcess.childrenByParent();
                for (WorkerProcess w : current) {
                    w.snapshotDescendants(children);
                }
            }
        }
    }

    // ---- observation -------------------------------------------------------------------------------

    /** Returns a snapshot of each live worker. */
    List<WorkerStats> stats() {
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

    /** Returns the pids of the live workers, oldest first. */
    List<Long> pids() {
        lock.lock();
        try {
            return workers.stream().filter(w -> !w.dead()).map(w -> w.pid).toList();
        } finally {
            lock.unlock();
        }
    }

    private void listen(Consumer<PoolListener> event) {
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

    /** Kills the workers of every live pool when this JVM exits. */
    static final class Shutdown {
        private static final Set<Supervisor> supervisors = ConcurrentHashMap.newKeySet();
        private static final Set<Process> processes = ConcurrentHashMap.newKeySet();
        private static final AtomicInteger registered = new AtomicInteger();

        private Shutdown() {}

        static void register(Supervisor supervisor) {
            if (registered.compareAndSet(0, 1)) {
                Runtime.getRuntime().addShutdownHook(new Thread(Shutdown::killAll, "pool4j-process-shutdown"));
            }
            supervisors.add(supervisor);
        }

        static void track(Process process) {
            processes.add(process);
            process.onExit().thenRun(() -> processes.remove(process));
        }

        static void unregister(Supervisor supervisor) {
            supervisors.remove(supervisor);
        }

        private static void killAll() {
            for (Supervisor supervisor : supervisors) {
                supervisor.killForShutdown();
            }
            for (Process process : processes) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }
}
