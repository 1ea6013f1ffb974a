package io.github.pool4j.hazelcast.internal;

import io.github.pool4j.codec.RemoteError;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The failed inputs of a {@link ChunkReply}, written and read in this one place. They travel as
 * JSON written by a plain mapper (no default typing: only these records and strings are read).
 *
 * <p>Thread-safety: stateless; the mapper is thread-safe.
 */
public final class Outcomes {

    /** What became of an input that has no result. */
    public enum Kind {
        /** The task threw. */
        ERROR,
        /** The input could not be read as the task's input type on the member. */
        BAD_INPUT,
        /** The result could not be written as JSON. */
        BAD_RESULT,
        /** The task definition could not be loaded on the member. */
        BAD_TASK,
        /** The task ran past the pool's task timeout and was interrupted. */
        TIMEOUT,
        /** The call was cancelled before the input ran. */
        SKIPPED
    }

    /**
     * One failed input.
     *
     * @param offset its position in the call
     * @param kind what happened
     * @param typeName the type that could not travel, or {@code null}
     * @param text why, in words, or {@code null}
     * @param error the task's exception (ERROR), or {@code null}
     * @param stack the task's stack when it timed out (TIMEOUT), or {@code null}
     */
    public record Failure(int offset, Kind kind, String typeName, String text, RemoteError error,
            List<StackTraceElement> stack) {}

    private record All(List<Failure> failures) {}

    private static final JsonMapper PLAIN = JsonMapper.builder().build();

    private Outcomes() {}

    /**
     * Writes the failures of a call.
     *
     * @param failures the failures
     * @return their JSON
     */
    public static byte[] write(List<Failure> failures) {
        return PLAIN.writeValueAsBytes(new All(failures));
    }

    /**
     * Reads the failures of a call.
     *
     * @param bytes what {@link #write} wrote
     * @return the failures
     */
    public static List<Failure> read(byte[] bytes) {
        return PLAIN.readValue(bytes, All.class).failures();
    }
}
