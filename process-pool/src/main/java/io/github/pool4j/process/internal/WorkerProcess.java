package io.github.pool4j.process.internal;

import io.github.pool4j.WorkerStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The parent's side of one worker process: the process, its three pipe threads and its
 * scheduling state (guarded by the group's lock).
 *
 * <p>Lifecycle: STARTING (launched, no hello yet) → READY (takes work) → RETIRING (takes no more
 * work, will exit) → dead. The stdout thread reads frames and hands them to the group; when the
 * pipe ends it waits for the process and reports the death, so every frame the worker wrote is
 * handled before its death is.
 */
final class WorkerProcess {

    enum State { STARTING, READY, RETIRING }

    private static final int STDERR_TAIL = 20;
    private static final int KNOWN_TASKS = 32;
    private static final byte[][] CLOSE = new byte[0][];
    private static final byte[][] KILL = new byte[0][];

    final int number;
    final String name;
    final Process process;
    final long pid;
    final long startNanos;

    // ---- guarded by the group's lock ----
    State state = State.STARTING;
    boolean helloed;
    final ArrayDeque<WorkerGroup.Piece> inFlight = new ArrayDeque<>();
    long tasksDone;
    long assigned;
    long runningSince;
    /** Moving average of the time between two of its outcomes, or 0 before the first: sizes its window. */
    long perInputNanos;
    /** How many calls it held after its last top-up; it is topped up again at half of that. */
    int filledTo;
    /** Scratch state of one {@code pump} pass. */
    boolean pumpOpen;
    long pumpQueued;
    long pumpBytes;
    boolean dead;
    /** The exit was asked for or already explained (shutdown, retirement, reported timeout). */
    boolean expectedExit;
    /** It reported a task past the timeout and is being killed. */
    boolean timedOut;
    /** The parent killed it because its task ran far past the timeout without a report. */
    boolean killedForTimeout;
    String protocolError;
    /** Whether this worker writes its JVM's AppCDS archive at exit: never killed to save time. */
    boolean keepsArchive;
    /** The progress note when the protocol error was seen: the worker may run on until killed. */
    long progressAtProtocolError;
    RemoteError fatal;
    long helloMillis = -1;
    private final Map<Long, Boolean> knownTasks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > KNOWN_TASKS;
        }
    };

    // ---- thread-safe ----
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    /** Frames to write, each as one or more byte arrays written back to back. */
    private final LinkedBlockingQueue<byte[][]> outbox = new LinkedBlockingQueue<>();
    private final StringBuilder[] partialLines = {new StringBuilder(), new StringBuilder()};
    private volatile List<ProcessHandle> descendants = List.of();
    /** When the process was seen to exit, or 0 while it runs. */
    volatile long exitedAt;
    private final Thread stdoutThread;
    private final Thread stderrThread;
    private final Thread stdinThread;
    private final WorkerGroup group;
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
     */
    WorkerProcess(WorkerGroup group, int number, Process process, byte[] firstFrame, java.nio.file.Path progressFile,
            java.nio.MappedByteBuffer progressMap, Runnable exited) {
        this.group = group;
        this.exited = exited;
        this.progressFile = progressFile;
        this.progressMap = progressMap;
        this.number = number;
        this.name = "worker-" + number;
        this.process = process;
        this.pid = process.pid();
        this.startNanos = System.nanoTime();
        String prefix = group.threadPrefix() + "-w" + number;
        if (firstFrame != null) {
            outbox.add(new byte[][] {firstFrame});
        }
        stdinThread = new Thread(this::writeLoop, prefix + "-in");
        stdoutThread = new Thread(this::readLoop, prefix + "-out");
        stderrThread = new Thread(this::stderrLoop, prefix + "-err");
        for (Thread t : List.of(stdinThread, stdoutThread, stderrThread)) {
            t.setDaemon(true);
        }
        process.onExit().thenRun(() -> {
            exitedAt = System.nanoTime();
            killDescendants();
            // Also here for a worker whose pipe threads never start (the pool stopped meanwhile).
            exited.run();
        });
    }

    void startThreads() {
        stdinThread.start();
        stderrThread.start();
        stdoutThread.start();
    }

    // ---- called under the group's lock ----

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
            return channel.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, 8);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    // ---- any thread ----

    /**
     * Reads the worker's progress note (see {@link WorkerMain.Progress}): {@code 0} if there is none,
     * else which input ran last and whether it finished.
     */
    long progress() {
        return progressMap == null ? 0 : progressMap.getLong(0);
    }

    void send(byte[] frame) {
        outbox.add(new byte[][] {frame});
    }

    /** Sends one frame made of parts, without joining them (a call's head and its encoded inputs). */
    void send(byte[] head, byte[] body) {
        outbox.add(new byte[][] {head, body});
    }

    /** Sends the shutdown frame and closes stdin after it. */
    void shutdown(byte[] shutdownFrame) {
        outbox.add(new byte[][] {shutdownFrame});
        outbox.add(CLOSE);
    }

    /** Ends the stdin thread once nothing more will be sent. */
    void closeOutbox() {
        outbox.add(KILL);
    }

    /** Kills the worker and the processes it started. */
    /** Kills a worker that never said hello: it ran no task, so it started no process to find. */
    void killBooting() {
        process.destroyForcibly();
        outbox.add(KILL);
    }

    void kill() {
        snapshotDescendants(ProcessHandle.allProcesses().toList());
        killDescendants();
        process.destroyForcibly();
        outbox.add(KILL);
    }

    void snapshotDescendants(List<ProcessHandle> all) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> found = new ArrayList<>();
        ArrayDeque<Long> parents = new ArrayDeque<>(List.of(pid));
        while (!parents.isEmpty()) {
            long parent = parents.poll();
            for (ProcessHandle p : all) {
                if (p.parent().map(ProcessHandle::pid).orElse(-1L) == parent && found.size() < 10_000) {
                    found.add(p);
                    parents.add(p.pid());
                }
            }
        }
        descendants = List.copyOf(found);
    }

    /** Processes this worker was last seen to have started, for tests. */
    List<ProcessHandle> knownDescendants() {
        return descendants;
    }

    private void killDescendants() {
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
        for (Thread t : List.of(stdoutThread, stderrThread, stdinThread)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                t.join(left);
            }
        }
        outbox.add(KILL);
    }

    // ---- pipe threads ----

    private void writeLoop() {
        try (OutputStream stdin = new java.io.BufferedOutputStream(process.getOutputStream(), 64 * 1024)) {
            while (true) {
                byte[][] frame = outbox.take();
                if (frame == CLOSE || frame == KILL) {
                    return;
                }
                for (byte[] part : frame) {
                    stdin.write(part);
                }
                if (outbox.isEmpty()) {
                    stdin.flush();
                }
            }
        } catch (IOException e) {
            // The worker is gone; the stdout thread reports it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readLoop() {
        LineReader reader = new LineReader(process.getInputStream(), group.maxFrameBytes() + Wire.SENTINEL.length);
        try {
            int length;
            while ((length = reader.next()) >= 0) {
                byte[] buf = reader.buffer();
                int at = Wire.findSentinel(buf, 0, length);
                if (at < 0) {
                    emitRaw(buf, 0, length, !reader.overflowed());
                    continue;
                }
                if (at > 0) {
                    emitRaw(buf, 0, at, true);
                }
                if (reader.overflowed()) {
                    group.protocolError(this, "a frame exceeds maxFrameBytes (" + group.maxFrameBytes() + " bytes)");
                    drain(reader);
                    break;
                }
                int start = at + Wire.SENTINEL.length;
                try {
                    group.onFrame(this, buf, start, length - start);
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
                reader.shrink();
            }
        } catch (IOException e) {
            // The pipe broke: the process is going away.
        }
        flushPartialLines();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                // It closed stdout but lives on: it cannot talk to us any more.
                group.protocolError(this, "the worker closed its standard output");
                process.waitFor(5, TimeUnit.SECONDS);
            }
            stderrThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    private void stderrLoop() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                addTail(line);
                PrintStream err = System.err;
                synchronized (err) {
                    err.println(line);
                }
            }
        } catch (IOException e) {
            // The process is gone.
        }
    }

    /** Output that reached the worker's fd 1 without the protocol: forwarded as it is. */
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

    /** Re-emits task output on this JVM's stdout or stderr, whole lines only. */
    void output(int stream, String text) {
        if (stream == 2) {
            for (String line : text.split("\n", -1)) {
                if (!line.isEmpty()) {
                    addTail(line);
                }
            }
        }
        StringBuilder partial = partialLines[stream == 2 ? 1 : 0];
        String whole;
        synchronized (partial) {
            partial.append(text);
            int newline = partial.lastIndexOf("\n");
            if (newline < 0) {
                return;
            }
            whole = partial.substring(0, newline + 1);
            partial.delete(0, newline + 1);
        }
        print(stream, whole);
    }

    private void flushPartialLines() {
        for (int s = 0; s < 2; s++) {
            StringBuilder partial = partialLines[s];
            String rest;
            synchronized (partial) {
                rest = partial.toString();
                partial.setLength(0);
            }
            if (!rest.isEmpty()) {
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
