package io.github.pool4j.process.internal.protocol;

/**
 * A frame about one input of a call: a worker's outcome for it, or the reader's verdict on it.
 * The parent applies each to the input its call's worker runs at that position.
 */
public interface PerInput {

    /**
     * The call's id.
     *
     * @return the id
     */
    long id();

    /**
     * The input's position in the call.
     *
     * @return the position
     */
    int index();
}
