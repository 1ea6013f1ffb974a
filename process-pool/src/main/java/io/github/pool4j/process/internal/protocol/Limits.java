package io.github.pool4j.process.internal.protocol;

/**
 * The protocol's limits that both ends must agree on, defined once.
 *
 * <p>Rules between them, checked by {@code LimitsTest}:
 * <ul>
 *   <li>{@link #PARENT_KNOWN_TASKS} must not exceed {@link #WORKER_KNOWN_TASKS}: the parent sends a
 *       task definition only to a worker it does not remember sending it to, and both ends forget
 *       the least recently used definition first, so a worker remembers at least every task its
 *       parent thinks it knows.</li>
 *   <li>{@link #FRAME_SLACK} is the room a frame's head (sentinel, type, ids, positions, task time)
 *       may take beyond its payload: a writer keeps a payload within
 *       {@link #payloadLimit(long) maxFrameBytes - FRAME_SLACK}, a reader takes lines of up to
 *       {@link #lineLimit(long) maxFrameBytes + FRAME_SLACK} bytes.</li>
 *   <li>A frame's raw {@link Segments} take at most {@code maxPayloadBytes}, each counted as
 *       {@link #segmentCost(long) its length + SEGMENT_OVERHEAD}: a writer keeps within it, a reader
 *       refuses a segment that would pass it before allocating it. The overhead bounds how many
 *       empty segments a reader holds.</li>
 * </ul>
 *
 * <p>Thread-safety: constants only.
 */
public final class Limits {

    /** Task definitions the parent remembers having sent to one worker. */
    public static final int PARENT_KNOWN_TASKS = 32;
    /** Task definitions a worker keeps loaded. */
    public static final int WORKER_KNOWN_TASKS = 64;
    /** Bytes a frame's head may take beyond its payload; see the class description. */
    public static final int FRAME_SLACK = 128;
    /** Bytes each raw segment counts against {@code maxPayloadBytes} beyond its length. */
    public static final int SEGMENT_OVERHEAD = 64;

    private Limits() {}

    /**
     * The most bytes a payload (a call's inputs, one gathered result) may take in a frame.
     *
     * @param maxFrameBytes the pool's largest frame
     * @return {@code maxFrameBytes - FRAME_SLACK}
     */
    public static long payloadLimit(long maxFrameBytes) {
        return maxFrameBytes - FRAME_SLACK;
    }

    /**
     * The longest line a reader holds before it gives up on it as an oversized frame.
     *
     * @param maxFrameBytes the pool's largest frame
     * @return {@code maxFrameBytes + FRAME_SLACK}
     */
    public static long lineLimit(long maxFrameBytes) {
        return maxFrameBytes + FRAME_SLACK;
    }

    /**
     * What one raw segment counts against {@code maxPayloadBytes}.
     *
     * @param length the segment's length in bytes
     * @return {@code length + SEGMENT_OVERHEAD}
     */
    public static long segmentCost(long length) {
        return length + SEGMENT_OVERHEAD;
    }
}
