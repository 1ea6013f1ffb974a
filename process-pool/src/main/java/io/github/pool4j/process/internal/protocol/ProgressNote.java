package io.github.pool4j.process.internal.protocol;

/**
 * The bit layout of a worker's progress note, shared by the worker that writes it and the parent
 * that reads it: one {@code long} in a file both map, written with a single store, that says which
 * input the worker ran last, so the parent still knows after the worker was killed.
 *
 * <p>{@code 0}: no input ran yet. Else bits 32 to 62 hold the low 31 bits of the call's id, the low
 * 32 bits the input's position plus one, and the sign bit is set once that input has finished.
 *
 * <p>Thread-safety: static functions only.
 */
public final class ProgressNote {

    /** The note before any input ran. */
    public static final long NONE = 0;
    /** The bytes the note takes in its file. */
    public static final int BYTES = Long.BYTES;

    private static final long ID_MASK = 0x7FFF_FFFFL;
    private static final int ID_SHIFT = 32;
    private static final long POSITION_MASK = 0xFFFF_FFFFL;
    private static final long FINISHED = Long.MIN_VALUE;

    private ProgressNote() {}

    /**
     * The note for input {@code index} of call {@code id} while it runs.
     *
     * @param id the call's id
     * @param index the input's position in the call
     * @return the note
     */
    public static long running(long id, int index) {
        return ((id & ID_MASK) << ID_SHIFT) | (index + 1L);
    }

    /**
     * The note for input {@code index} of call {@code id} once it finished.
     *
     * @param id the call's id
     * @param index the input's position in the call
     * @return the note
     */
    public static long finished(long id, int index) {
        return running(id, index) | FINISHED;
    }

    /**
     * Tells whether {@code note} names call {@code id} (as far as its 31 bits tell).
     *
     * @param note a note, not {@link #NONE}
     * @param id a call's id
     * @return whether the note is about that call
     */
    public static boolean names(long note, long id) {
        return note != NONE && ((note >>> ID_SHIFT) & ID_MASK) == (id & ID_MASK);
    }

    /**
     * The position {@code note} names.
     *
     * @param note a note
     * @return the input's position in its call, or {@code -1} for {@link #NONE}
     */
    public static int position(long note) {
        return (int) (note & POSITION_MASK) - 1;
    }

    /**
     * Tells whether the input {@code note} names has finished.
     *
     * @param note a note
     * @return whether it finished
     */
    public static boolean isFinished(long note) {
        return note < 0;
    }
}
