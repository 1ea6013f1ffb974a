package io.github.pool4j.process.internal.protocol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's program arguments, built by the parent and read by the worker in this one place.
 *
 * <p>In order: the largest frame in bytes, the per-input timeout in milliseconds ({@code 0} for
 * none), {@code 1} if an initializer frame comes first (else {@code 0}), the most raw bytes one
 * frame's {@link Segments} may take, and optionally the path of the progress file
 * ({@link ProgressNote}).
 *
 * @param maxFrameBytes the largest frame either side accepts
 * @param timeoutMillis the per-input timeout in milliseconds, or 0 for none
 * @param initializer whether an initializer frame comes before any other
 * @param maxPayloadBytes the bound on one frame's raw segments, both ways
 * @param progressFile where the worker notes which input runs, or {@code null}
 */
public record WorkerArgs(long maxFrameBytes, long timeoutMillis, boolean initializer, long maxPayloadBytes,
        Path progressFile) {

    /**
     * Returns a copy with {@code file} as the progress file.
     *
     * @param file the progress file, or {@code null}
     * @return the arguments with that file
     */
    public WorkerArgs withProgressFile(Path file) {
        return new WorkerArgs(maxFrameBytes, timeoutMillis, initializer, maxPayloadBytes, file);
    }

    /**
     * The program arguments.
     *
     * @return the arguments, in the order {@link #parse} reads them
     */
    public List<String> toList() {
        List<String> args = new ArrayList<>(5);
        args.add(Long.toString(maxFrameBytes));
        args.add(Long.toString(timeoutMillis));
        args.add(initializer ? "1" : "0");
        args.add(Long.toString(maxPayloadBytes));
        if (progressFile != null) {
            args.add(progressFile.toString());
        }
        return List.copyOf(args);
    }

    /**
     * Reads the program arguments {@link #toList} made.
     *
     * @param args the worker's {@code main} arguments
     * @return the arguments
     * @throws IllegalArgumentException if there are fewer than four or a number is not one
     */
    public static WorkerArgs parse(String[] args) {
        if (args.length < 4) {
            throw new IllegalArgumentException("a worker needs at least 4 arguments, got " + args.length);
        }
        return new WorkerArgs(Long.parseLong(args[0]), Long.parseLong(args[1]), "1".equals(args[2]),
                Long.parseLong(args[3]), args.length > 4 ? Path.of(args[4]) : null);
    }
}
