package io.github.pool4j.process.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent's ends of a worker's plain output: two FIFOs in a private ({@code 0700}) temporary
 * directory, one for the worker's fd 1 and one for its fd 2, so that what a task, a native library,
 * the JVM ({@code -Xlog}) or a child process writes there never touches the protocol.
 *
 * <p>The design, end to end: the frames travel on the worker process's stdin and stdout pipes, made
 * by {@link ProcessBuilder}. The worker is started through a {@code /bin/sh} exec wrapper (see
 * {@link Launcher#WRAPPER}) that moves them to fds 3 and 4, points fd 0 at {@code /dev/null} and
 * fd 1 at the {@code out} FIFO, then execs the JVM (so the worker's pid is the JVM's); fd 2 is the
 * {@code err} FIFO from the start ({@link ProcessBuilder.Redirect#to}). {@link WorkerMain} opens
 * its protocol streams on {@code /proc/self/fd/3} and {@code /proc/self/fd/4} (or
 * {@code /dev/fd/N}): a child started through the JDK never inherits descriptors above 2, so no
 * child can read or write a frame; a native library's own fork/exec may (the JDK cannot mark
 * descriptors close-on-exec before JDK 22's FFM API).
 *
 * <p>This side opens each FIFO for writing first (read-write, which does not block) and then for
 * reading, so opening never blocks, neither here nor in the worker, and a reader never sees end of
 * file: a pump ends once the worker has exited, after reading up to
 * an end mark this side writes into the FIFO then (FIFO order puts it after every byte the worker
 * wrote), so a process a task left running while holding the worker's output delays neither
 * {@code close()} nor the end of the pump threads. The FIFOs' names are deleted as soon as both ends
 * are open (by the worker at start-up, and by this side at hello or death).
 *
 * <p>Where no FIFO can be made (no {@code mkfifo}, a file system without FIFOs), fd 1 goes to the
 * worker's stderr pipe instead, documented; on Windows the worker keeps its stdin and stdout as the
 * protocol channel (no wrapper), as before.
 *
 * <p>Thread-safety: {@link #finish} and {@link #close} are thread-safe; the rest is set once.
 */
final class WorkerIo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerIo.class);

    /** How long {@code mkfifo} may take before the worker goes without FIFOs. */
    private static final long MKFIFO_TIMEOUT_SECONDS = 10;
    /** The length of the end mark: random, distinct bytes, so user output never contains it by chance. */
    static final int MARK_LENGTH = 16;

    /** The private directory, or null without FIFOs. */
    final Path dir;
    /** The parent's end of the worker's fd 1, or null (fd 1 then goes to fd 2). */
    final FileChannel out;
    /** The parent's end of the worker's fd 2, or null (the process's stderr pipe). */
    final FileChannel err;
    /**
     * This side's write ends of {@link #out} and {@link #err}, for the end marks: a channel of its
     * own, since a {@link FileChannel}'s writes wait for its blocked reads.
     */
    private final FileChannel outMark;
    private final FileChannel errMark;
    /** Written after the worker exited: a pump reads up to it, then stops. */
    final byte[] endMark;

    private WorkerIo(Path dir, FileChannel[] channels) {
        this.dir = dir;
        this.out = channels == null ? null : channels[1];
        this.err = channels == null ? null : channels[3];
        this.outMark = channels == null ? null : channels[0];
        this.errMark = channels == null ? null : channels[2];
        this.endMark = newMark();
    }

    /** No FIFOs: raw fd 1 goes to the worker's stderr pipe. */
    static WorkerIo none() {
        return new WorkerIo(null, null);
    }

    /**
     * Makes the FIFOs for one worker, or returns {@link #none()} if that fails (logged at debug).
     *
     * @return the worker's plain-output ends
     */
    static WorkerIo create() {
        if (!Launcher.wrapped()) {
            return none();
        }
        Path dir = null;
        FileChannel[] channels = new FileChannel[4];
        try {
            dir = Files.createTempDirectory("pool4j-worker-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path outPath = dir.resolve("out");
            Path errPath = dir.resolve("err");
            Process mkfifo = new ProcessBuilder("mkfifo", outPath.toString(), errPath.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            mkfifo.getOutputStream().close();
            if (!mkfifo.waitFor(MKFIFO_TIMEOUT_SECONDS, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
                mkfifo.destroyForcibly();
                throw new IOException("mkfifo failed");
            }
            int i = 0;
            for (Path fifo : new Path[] {outPath, errPath}) {
                // Read-write first: opening a FIFO only for reading would block until a writer opens it.
                channels[i++] = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
                channels[i++] = FileChannel.open(fifo, StandardOpenOption.READ);
            }
            return new WorkerIo(dir, channels);
        } catch (IOException | RuntimeException e) {
            log.debug("No FIFOs for a worker's output (its fd 1 goes to its stderr): {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (FileChannel channel : channels) {
            closeQuietly(channel);
        }
        deleteDir(dir);
        return none();
    }

    /** Where the wrapper points the worker's fd 1, or null for its fd 2. */
    Path outPath() {
        return dir == null ? null : dir.resolve("out");
    }

    /** Where the worker's fd 2 goes, or null for the process's stderr pipe. */
    Path errPath() {
        return dir == null ? null : dir.resolve("err");
    }

    /** Deletes the FIFOs' names, once both ends are open: nothing else may open them. */
    void unlink() {
        deleteDir(dir);
    }

    /**
     * Called once the worker has exited: writes the end mark into each FIFO, so its pump stops
     * after every byte the worker wrote. Bytes a leftover child writes later are not forwarded.
     */
    void finish() {
        for (FileChannel channel : new FileChannel[] {outMark, errMark}) {
            if (channel == null || !channel.isOpen()) {
                continue;
            }
            try {
                // Shorter than PIPE_BUF: written at once, never interleaved with another writer's bytes.
                ByteBuffer mark = ByteBuffer.wrap(endMark);
                while (mark.hasRemaining()) {
                    channel.write(mark);
                }
            } catch (IOException e) {
                // Closed meanwhile: its pump has stopped already.
            }
        }
    }

    /** Closes this side's ends (waking a pump blocked in a read) and deletes the FIFOs' names. */
    @Override
    public void close() {
        closeQuietly(out);
        closeQuietly(err);
        closeQuietly(outMark);
        closeQuietly(errMark);
        deleteDir(dir);
    }

    private static byte[] newMark() {
        // Distinct bytes: a partial match never hides the start of another (see OutputPump).
        java.util.List<Byte> all = new java.util.ArrayList<>(256);
        for (int b = 0; b < 256; b++) {
            all.add((byte) b);
        }
        java.util.Collections.shuffle(all, new java.security.SecureRandom());
        byte[] mark = new byte[MARK_LENGTH];
        for (int i = 0; i < MARK_LENGTH; i++) {
            mark[i] = all.get(i);
        }
        return mark;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    private static void deleteDir(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve("out"));
            Files.deleteIfExists(dir.resolve("err"));
            Files.deleteIfExists(dir);
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot delete {}: {}", dir, e.toString());
        }
    }
}
