package io.github.pool4j.process.internal;

import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.process.internal.protocol.Limits;
import io.github.pool4j.process.internal.protocol.ProgressNote;
import io.github.pool4j.process.internal.protocol.ProtocolException;
import io.github.pool4j.process.internal.protocol.Segments;
import io.github.pool4j.process.internal.protocol.Wire;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The parent's side of one worker process: the process, its pipe threads and its scheduling state
 * (guarded by the group's lock).
 *
 * <p>Threads: {@code -in} writes frames to the worker's stdin, {@code -out} reads frames from its
 * stdout (both private to the protocol, see {@link WorkerIo}), {@code -stdout} and {@code -err}
 * forward what reaches the worker's fd 1 and fd 2 ({@link OutputPump}).
 *
 * <p>Lifecycle: STARTING (launched, no hello yet) → READY (takes work) → RETIRING (takes no more
 * work, will exit) → dead. The {@code -out} thread reads frames and hands them to the group; when
 * the pipe ends it waits for the process, lets the output pumps read everything the worker wrote
 * (not what a process it left running writes later), and reports the death, so every frame and
 * output line of the worker is handled before its death is.
 */
final class WorkerProcess implements Scheduler.Slot {

    /**
     * Where a worker is in its life: STARTING (launched, no hello yet) → READY (takes work) →
     * RETIRING (takes no more work, will exit) → DEAD (its death handled). A worker told to stop
     * while starting goes from STARTING to RETIRING; any state may end in DEAD. {@link #moveTo}
     * holds the transitions.
     */
    enum State { STARTING, READY, RETIRING, DEAD }

    /**
     * Why a worker exits, decided before it does; none means it crashed. The first fault recorded
     * stays (it explains the death best); a planned exit is recorded only while there is no reason
     * yet ({@link #exitBecause}).
     */
    enum ExitReason {
        /** The pool stopped it: close, shutdown, kill, or this JVM exiting. */
        STOPPED(false, false),
        /** It ran maxTasksPerWorker inputs and was told to exit; a replacement is already starting. */
        RETIRED(false, false),
        /** It reported an input past the task timeout (that input failed already) and is killed. */
        TIMED_OUT(true, false),
        /** Its task ran far past the timeout without a report: killed; the running input timed out. */
        UNRESPONSIVE(true, true),
        /** It broke the protocol and is killed; the input running when that was seen is blamed. */
        PROTOCOL_ERROR(true, true),
        /** Its initializer failed; it exits before saying hello. */
        INIT_FAILED(true, false);

        /** Whether the death is a fault to warn of, rather than one the pool asked for. */
        final boolean fault;
        /** Whether an input it was running is blamed (counts an attempt), as for a crash. */
        final boolean blamesInput;

        ExitReason(boolean fault, boolean blamesInput) {
            this.fault = fault;
            this.blamesInput = blamesInput;
        }

        /**
         * The reason after {@code next} is recorded over {@code current} (null for none): the first
         * fault stays, and a planned exit only fills an empty reason.
         */
        static ExitReason after(ExitReason current, ExitReason next) {
            return current == null || (next.fault && !current.fault) ? next : current;
        }
    }

    /**
     * What the {@code -out} thread tells the worker's owner: each frame, a broken protocol, and the
     * death, once, after every frame and output line of the worker was handled.
     */
    interface Events {
        /**
         * Decodes and applies one frame (the bytes after the sentinel, without the newline), whose
         * binary values may refer to {@code segments}, the raw segments read before it.
         */
        void onFrame(WorkerProcess w, byte[] buf, int off, int len, Segments.In segments);

        /** The bound on the raw segments of one frame. */
        long maxPayloadBytes();

        /** The worker broke the protocol: it is to be killed. */
        void protocolError(WorkerProcess w, String message);

        /** The worker is gone and its output read to the end. */
        void onExit(WorkerProcess w);
    }

    static final int STDERR_TAIL = 20;
    /** The most of one unfinished line of task output held before it is shown anyway. */
    static final int MAX_PARTIAL = 8 * 1024;
    /**
     * How long the output pumps get, after the worker exited, to forward what it wrote (they are
     * done at once unless this JVM's own stdout or stderr is slow to take it).
     */
    private static final long OUTPUT_DRAIN_MILLIS = 2000;
    private static final byte[][] CLOSE = new byte[0][];
    private static final byte[][] KILL = new byte[0][];
    /** The most descendants recorded per worker: a fork bomb must not fill this JVM's heap. */
    private static final int MAX_DESCENDANTS = 10_000;

    final int number;
    final String name;
    final Process process;
    final long pid;
    /** When it was launched, on the pool's clock. */
    final long startNanos;

    // ---- guarded by the group's lock ----
    State state = State.STARTING;
    boolean helloed;
    final ArrayDeque<Piece> inFlight = new ArrayDeque<>();
    long tasksDone;
    long assigned;
    /** Its window of calls and how long they take, kept by the group's {@link Scheduler}. */
    final Scheduler.Window window = new Scheduler.Window();
    /** Why it exits, or null while no exit is planned or explained (a death now is a crash). */
    ExitReason exitReason;
    /** With {@link ExitReason#PROTOCOL_ERROR}: what was wrong. */
    String protocolError;
    /**
     * With {@link ExitReason#PROTOCOL_ERROR}: the progress note when the error was seen (the worker
     * may run on until killed).
     */
    long progressAtProtocolError;
    /** With {@link ExitReason#INIT_FAILED}: what the initializer threw. */
    RemoteError fatal;
    /** The highest send id of a call it answered in full (or had skipped, refused): it has read that call. */
    long answeredThrough;
    /**
     * The highest send id issued when a cancel was last sent to it (it has read the cancel once it
     * answered a later call), or 0 until then: before it answered a first call, the frame it starts
     * with may still be in the pipe.
     */
    long cancelFence;
    /** Whether this worker writes its JVM's AppCDS archive at exit: never killed to save time. */
    boolean keepsArchive;
    long helloMillis = -1;
    private final Map<Long, Boolean> knownTasks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > Limits.PARENT_KNOWN_TASKS;
        }
    };

    // ---- thread-safe ----
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    /** Frames to write, each as one or more byte arrays written back to back. */
    private final LinkedBlockingQueue<byte[][]> outbox = new LinkedBlockingQueue<>();
    /**
     * Frames added to {@link #outbox} and not yet written out of it: a frame is written by its
     * sender ({@link #sendNow}) only at zero, so frames reach the pipe in the order they were sent.
     */
    private final AtomicInteger unwritten = new AtomicInteger();
    /** Held while bytes go into {@link #stdin}: by the {@code -in} thread, or by a sender writing itself. */
    private final ReentrantLock writing = new ReentrantLock();
    /** The worker's protocol input; guarded by {@link #writing}. */
    private final OutputStream stdin;
    /** Whether {@link #stdin} was closed; guarded by {@link #writing}. */
    private boolean stdinClosed;
    private volatile List<ProcessHandle> descendants = List.of();
    /** When the process was seen to exit, on the pool's clock, or 0 while it runs. */
    volatile long exitedAt;
    private final Thread stdoutThread;
    private final Thread stdinThread;
    /** The worker's plain output ends (FIFOs), or none. */
    private final WorkerIo io;
    /** Forwards the worker's fd 1, or null when it goes to its fd 2. */
    private final OutputPump rawOut;
    /** Forwards the worker's fd 2 and keeps its tail. */
    private final OutputPump rawErr;
    /** Whether the frames travel on a channel of their own (no other bytes may appear there). */
    private final boolean privateChannel;
    private volatile boolean threadsStarted;
    /** Unfinished lines of task output, stdout and stderr ({@code -out} thread only). */
    private final StringBuilder[] partialLines = {new StringBuilder(), new StringBuilder()};
    /** Whether a line of task output was begun and not ended, per stream. */
    private final boolean[] lineOpen = new boolean[2];
    private boolean unlinked;
    private final Events group;
    private final long maxFrameBytes;
    /** Where the worker notes which input runs ({@link WorkerMain.Progress}), or null. */
    final java.nio.file.Path progressFile;
    /** This side's view of the progress file, which stays readable after the file is deleted. */
    private final java.nio.MappedByteBuffer progressMap;

    /** Runs once the process has exited, at the latest before its death is reported (see {@link Launcher#released}). */
    private final Runnable exited;

    /**
     * Creates the parent's side of a launched worker; {@link #startThreads} starts talking to it.
     *
     * @param exited what to run once the process has exited (it may run twice: it must be idempotent)
     * @param nanoTime the pool's clock, for its start and exit times (bounded waits measure real time)
     */
    WorkerProcess(Events group, String threadPrefix, long maxFrameBytes, int number, Process process, WorkerIo io,
            byte[] firstFrame,
            java.nio.file.Path progressFile, java.nio.MappedByteBuffer progressMap, Runnable exited,
            LongSupplier nanoTime) {
        this.io = io;
        this.privateChannel = Launcher.wrapped();
        this.group = group;
        this.maxFrameBytes = maxFrameBytes;
        this.exited = exited;
        this.progressFile = progressFile;
        this.progressMap = progressMap;
        this.number = number;
        this.name = "worker-" + number;
        this.process = process;
        this.pid = process.pid();
        this.startNanos = nanoTime.getAsLong();
        String prefix = threadPrefix + "-w" + number;
        this.stdin = new java.io.BufferedOutputStream(process.getOutputStream(), 64 * 1024);
        if (firstFrame != null) {
            queue(new byte[][] {firstFrame});
        }
        stdinThread = new Thread(this::writeLoop, prefix + "-in");
        stdoutThread = new Thread(this::readLoop, prefix + "-out");
        rawOut = io.out == null ? null : new OutputPump(io.out, io.endMark, false, null, prefix + "-stdout");
        rawErr = io.err == null ? new OutputPump(process.getErrorStream(), true, this::addTail, prefix + "-err")
                : new OutputPump(io.err, io.endMark, true, this::addTail, prefix + "-err");
        for (Thread t : List.of(stdinThread, stdoutThread)) {
            t.setDaemon(true);
        }
        process.onExit().thenRun(() -> {
            exitedAt = nanoTime.getAsLong();
            killDescendants();
            if (!threadsStarted) {
                // Nobody will read its output: give the FIFOs up.
                io.close();
            }
            // Also here for a worker whose pipe threads never start (the pool stopped meanwhile).
            exited.run();
        });
    }

    void startThreads() {
        threadsStarted = true;
        stdinThread.start();
        rawErr.start();
        if (rawOut != null) {
            rawOut.start();
        }
        stdoutThread.start();
    }

    // ---- called under the group's lock ----

    /**
     * Moves to {@code next} if that is a transition of {@link State}; a dead worker stays dead, and
     * a retiring one never takes work again. Returns whether the state is now {@code next}.
     */
    @Override
    public boolean ready() {
        return state == State.READY;
    }

    @Override
    public boolean starting() {
        return state == State.STARTING;
    }

    @Override
    public java.util.Collection<Piece> inFlight() {
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

    boolean moveTo(State next) {
        boolean allowed = switch (state) {
            case STARTING -> true;
            case READY -> next != State.STARTING;
            case RETIRING -> next == State.RETIRING || next == State.DEAD;
            case DEAD -> next == State.DEAD;
        };
        if (allowed) {
            state = next;
        }
        return allowed;
    }

    boolean dead() {
        return state == State.DEAD;
    }

    /**
     * Records why this worker will exit, unless a reason that explains it better is already there.
     * Returns whether {@code reason} is now the reason.
     */
    boolean exitBecause(ExitReason reason) {
        exitReason = ExitReason.after(exitReason, reason);
        return exitReason == reason;
    }

    /** Whether its death is one the pool asked for (no fault, no crash). */
    boolean exitExpected() {
        return exitReason != null && !exitReason.fault;
    }

    boolean knows(long task) {
        return knownTasks.get(task) != null;
    }

    void learned(long task) {
        knownTasks.put(task, Boolean.TRUE);
    }

    /**
     * Maps a worker's progress file, before the worker starts: the worker deletes the file once it
     * mapped it too, so no file is left whichever side dies first.
     */
    static java.nio.MappedByteBuffer map(java.nio.file.Path file) {
        if (file == null) {
            return null;
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            return channel.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, ProgressNote.BYTES);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    // ---- any thread ----

    /**
     * Reads the worker's progress note ({@link ProgressNote}): {@link ProgressNote#NONE} if there is
     * none, else which input ran last and whether it finished.
     */
    long progress() {
        return progressMap == null ? ProgressNote.NONE : progressMap.getLong(0);
    }

    void send(byte[] frame) {
        queue(new byte[][] {frame});
    }

    /**
     * Sends a call's raw segments, then its head and encoded inputs, without joining them: a
     * segment's bytes go to the pipe from the array that holds them. With {@code now}, the
     * caller has made sure the pipe has room for them (see {@link #sendNow}).
     */
    void send(byte[][] segments, byte[] head, byte[] body, boolean now) {
        byte[][] parts = java.util.Arrays.copyOf(segments, segments.length + 2);
        parts[segments.length] = head;
        parts[segments.length + 1] = body;
        if (!now || !sendNow(parts)) {
            queue(parts);
        }
    }

    /**
     * Sends a frame's parts followed by {@code next}'s, as {@link #send(byte[][], byte[], byte[], boolean)}
     * does: for a task's definition and the first call that needs it.
     */
    void send(byte[] first, byte[][] segments, byte[] head, byte[] body, boolean now) {
        byte[][] parts = new byte[segments.length + 3][];
        parts[0] = first;
        System.arraycopy(segments, 0, parts, 1, segments.length);
        parts[segments.length + 1] = head;
        parts[segments.length + 2] = body;
        if (!now || !sendNow(parts)) {
            queue(parts);
        }
    }

    /**
     * Writes a frame in the sender's thread if nothing is waiting to be written before it and the
     * {@code -in} thread is not writing; returns false (nothing written) otherwise. A lone call so
     * reaches the worker without waking the {@code -in} thread. The write blocks while the pipe is
     * full, so the caller must know the frame fits: the group sends this way only a small frame
     * to a worker that has answered everything it was sent (see {@link WorkerGroup}).
     */
    private boolean sendNow(byte[][] parts) {
        if (unwritten.get() != 0 || !writing.tryLock()) {
            return false;
        }
        try {
            if (unwritten.get() != 0 || stdinClosed) {
                return false;
            }
            for (byte[] part : parts) {
                stdin.write(part);
            }
            stdin.flush();
        } catch (IOException e) {
            // The worker is gone; the stdout thread reports it, and its calls with it.
        } finally {
            writing.unlock();
        }
        return true;
    }

    private void queue(byte[][] parts) {
        unwritten.incrementAndGet();
        outbox.add(parts);
    }

    /** Sends the shutdown frame and closes stdin after it. */
    void shutdown(byte[] shutdownFrame) {
        queue(new byte[][] {shutdownFrame});
        outbox.add(CLOSE);
    }

    /** Ends the stdin thread once nothing more will be sent. */
    void closeOutbox() {
        outbox.add(KILL);
    }

    /** Kills a worker that never said hello: it ran no task, so it started no process to find. */
    void killBooting() {
        process.destroyForcibly();
        outbox.add(KILL);
    }

    /** Kills the worker and the processes it started. */
    void kill() {
        snapshotDescendants(childrenByParent());
        killDescendants();
        process.destroyForcibly();
        outbox.add(KILL);
    }

    /**
     * Returns the processes this JVM started, directly or not, by the pid of their parent: one pass
     * over the machine's process table for all workers, instead of one per worker, with one more
     * read per descendant found (a pool's workers and what they started, seldom the whole machine).
     */
    static Map<Long, List<ProcessHandle>> childrenByParent() {
        Map<Long, List<ProcessHandle>> children = new HashMap<>();
        ProcessHandle.current().descendants().forEach(p -> p.parent().ifPresent(
                parent -> children.computeIfAbsent(parent.pid(), k -> new ArrayList<>()).add(p)));
        return children;
    }

    /**
     * Records the processes this worker started, directly or not, from {@code children} (see
     * {@link #childrenByParent}), so that they can be killed with it even once it is gone. One
     * recorded before stays recorded while it lives, even out of the tree: a worker killed from
     * outside leaves its children to init before this side sees it dead, and a scan in between
     * must not forget them.
     */
    void snapshotDescendants(Map<Long, List<ProcessHandle>> children) {
        if (!process.isAlive()) {
            return;
        }
        Set<ProcessHandle> found = new LinkedHashSet<>();
        ArrayDeque<Long> parents = new ArrayDeque<>(List.of(pid));
        while (!parents.isEmpty()) {
            for (ProcessHandle p : children.getOrDefault(parents.poll(), List.of())) {
                if (found.size() < MAX_DESCENDANTS && found.add(p)) {
                    parents.add(p.pid());
                }
            }
        }
        for (ProcessHandle p : descendants) {
            // ProcessHandle.isAlive compares the start time too: a reused pid is not this process.
            if (found.size() < MAX_DESCENDANTS && p.isAlive()) {
                found.add(p);
            }
        }
        descendants = List.copyOf(found);
    }

    /** Kills the processes recorded as this worker's (they may have left its tree); harmless if they are gone. */
    void killDescendants() {
        for (ProcessHandle p : descendants) {
            p.destroyForcibly();
        }
    }

    List<String> stderrTail() {
        synchronized (stderrTail) {
            return List.copyOf(stderrTail);
        }
    }

    private void addTail(String line) {
        synchronized (stderrTail) {
            stderrTail.addLast(line);
            while (stderrTail.size() > STDERR_TAIL) {
                stderrTail.removeFirst();
            }
        }
    }

    WorkerStats stats(long tasksDone, boolean alive) {
        return new WorkerStats(name, pid, tasksDone, alive ? rssBytes(pid) : -1, alive);
    }

    static long rssBytes(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process is gone.
        }
        return -1;
    }

    /** Waits for the pipe threads to end, for at most {@code millis}. */
    void joinThreads(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread t : List.of(stdoutThread, stdinThread)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                t.join(left);
            }
        }
        for (OutputPump pump : rawOut == null ? List.of(rawErr) : List.of(rawErr, rawOut)) {
            pump.join(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        }
        outbox.add(KILL);
    }

    // ---- pipe threads ----

    private void writeLoop() {
        try {
            while (true) {
                byte[][] frame = outbox.take();
                if (frame == CLOSE || frame == KILL) {
                    return;
                }
                writing.lock();
                try {
                    for (byte[] part : frame) {
                        stdin.write(part);
                    }
                    unwritten.decrementAndGet();
                    if (outbox.isEmpty()) {
                        stdin.flush();
                    }
                } finally {
                    writing.unlock();
                }
            }
        } catch (IOException e) {
            // The worker is gone; the stdout thread reports it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            writing.lock();
            try {
                stdinClosed = true;
                stdin.close();
            } catch (IOException e) {
                // gone already
            } finally {
                writing.unlock();
            }
        }
    }

    private void readLoop() {
        LineReader reader = new LineReader(process.getInputStream(), Limits.lineLimit(maxFrameBytes));
        // A worker sends raw segments only on a private channel, where no other bytes can come between.
        Segments.In segments = privateChannel ? new Segments.In(group.maxPayloadBytes()) : null;
        try {
            int length;
            while ((length = reader.next()) >= 0) {
                byte[] buf = reader.buffer();
                if (segments != null && !reader.overflowed() && Segments.isHeader(buf, length)) {
                    try {
                        long[] header = segments.accept(buf, length);
                        segments.add(header[0], reader.readExactly((int) header[1]));
                    } catch (ProtocolException e) {
                        group.protocolError(this, e.getMessage());
                        drain(reader);
                        break;
                    } catch (java.io.EOFException e) {
                        group.protocolError(this, e.getMessage());
                        break;
                    }
                    continue;
                }
                int at = Wire.findSentinel(buf, 0, privateChannel ? Math.min(length, Wire.SENTINEL.length) : length);
                if (privateChannel && at != 0) {
                    // Only frames travel here: anything else is a broken worker, not output.
                    group.protocolError(this, reader.overflowed()
                            ? "a frame exceeds maxFrameBytes (" + maxFrameBytes + " bytes)"
                            : "a line on the protocol channel is not a frame");
                    drain(reader);
                    break;
                }
                if (at < 0) {
                    emitRaw(buf, 0, length, !reader.overflowed());
                    continue;
                }
                if (at > 0) {
                    emitRaw(buf, 0, at, true);
                }
                if (reader.overflowed()) {
                    group.protocolError(this, "a frame exceeds maxFrameBytes (" + maxFrameBytes + " bytes)");
                    drain(reader);
                    break;
                }
                int start = at + Wire.SENTINEL.length;
                try {
                    group.onFrame(this, buf, start, length - start, segments);
                } catch (ProtocolException e) {
                    group.protocolError(this, e.getMessage());
                    drain(reader);
                    break;
                } catch (RuntimeException e) {
                    // A frame this side could not handle must still retire the worker: if this thread
                    // died here, the worker's death would never be reported and its inputs would hang.
                    group.protocolError(this, "a frame could not be handled: " + e);
                    drain(reader);
                    break;
                }
                if (segments != null) {
                    segments.clear();
                }
                reader.shrink();
                if (!unlinked) {
                    // It said hello: the wrapper opened the FIFOs long ago; their names can go.
                    unlinked = true;
                    io.unlink();
                }
            }
        } catch (IOException e) {
            // The pipe broke: the process is going away.
        }
        endOfInput();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                // It closed stdout but lives on: it cannot talk to us any more.
                group.protocolError(this, "the worker closed its standard output");
                process.waitFor(5, TimeUnit.SECONDS);
            }
            finishOutput();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            io.close();
        }
        if (!process.isAlive()) {
            // Before the death is reported, so that close(), which waits for this thread, returns only
            // after a keeper's archive is published: a JVM exiting right after close() would lose it.
            exited.run();
        }
        group.onExit(this);
    }

    private static void drain(LineReader reader) throws IOException {
        while (reader.next() >= 0) {
            // discard: the worker is being killed
        }
    }

    /**
     * Once the worker has exited: lets the output pumps forward everything it wrote, then stops
     * them. A process the worker's task left running may still hold its fd 1 or fd 2: what it writes
     * from now on is not forwarded, and it cannot delay the pool.
     */
    private void finishOutput() throws InterruptedException {
        if (!process.isAlive()) {
            io.finish();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OUTPUT_DRAIN_MILLIS);
        for (OutputPump pump : rawOut == null ? List.of(rawErr) : List.of(rawErr, rawOut)) {
            pump.join(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        }
        // Wakes a pump still blocked in a read (the worker outlived the wait, or this JVM's own
        // stdout is slow) and frees the FIFOs.
        io.close();
        if (io.err == null) {
            // Its stderr pipe cannot be closed under a blocked read: wait a little for its end.
            rawErr.join(OUTPUT_DRAIN_MILLIS);
        }
    }

    /** Output that reached the worker's fd 1 without the protocol (no private channel): forwarded as it is. */
    private void emitRaw(byte[] buf, int off, int len, boolean newline) {
        String text = new String(buf, off, len, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        synchronized (out) {
            if (newline) {
                out.println(text);
            } else {
                out.print(text);
            }
            out.flush();
        }
    }

    /**
     * Re-emits task output on this JVM's stdout or stderr, whole lines at once, so lines of
     * different workers stay apart. The worker sends whole lines, a long line in pieces, and what
     * is left of a line when an input ends; of an unfinished line this side holds at most
     * {@value #MAX_PARTIAL} characters (a longer one is passed on in pieces), until
     * {@link #endOfInput}. Linear time: only the new text is searched. Called by the {@code -out}
     * thread only.
     */
    void output(int stream, String text) {
        if (stream == 2) {
            for (String line : text.split("\n", -1)) {
                if (!line.isEmpty()) {
                    addTail(line);
                }
            }
        }
        if (text.isEmpty()) {
            return;
        }
        int s = stream == 2 ? 1 : 0;
        StringBuilder partial = partialLines[s];
        int newline = text.lastIndexOf('\n');
        String now;
        if (newline < 0) {
            if (partial.length() + text.length() <= MAX_PARTIAL) {
                partial.append(text);
                lineOpen[s] = true;
                return;
            }
            now = partial.append(text).toString();
            partial.setLength(0);
        } else {
            now = partial.append(text, 0, newline + 1).toString();
            partial.setLength(0);
            if (text.length() - newline - 1 > MAX_PARTIAL) {
                now = now + text.substring(newline + 1);
            } else {
                partial.append(text, newline + 1, text.length());
            }
        }
        lineOpen[s] = partial.length() > 0 || now.charAt(now.length() - 1) != '\n';
        print(stream, now);
    }

    /**
     * Ends a line the task left unfinished, showing what is held of it: called before the outcome
     * of an input (or anything else that is not output) is handled, and when the worker is gone.
     */
    void endOfInput() {
        for (int s = 0; s < 2; s++) {
            if (lineOpen[s]) {
                lineOpen[s] = false;
                StringBuilder partial = partialLines[s];
                String rest = partial.toString();
                partial.setLength(0);
                print(s + 1, rest + System.lineSeparator());
            }
        }
    }

    private static void print(int stream, String text) {
        PrintStream target = stream == 2 ? System.err : System.out;
        synchronized (target) {
            target.print(text);
            target.flush();
        }
    }

}
