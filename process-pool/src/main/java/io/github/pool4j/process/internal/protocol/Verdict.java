package io.github.pool4j.process.internal.protocol;

import java.util.BitSet;

/**
 * The reader's refusal of a well-formed frame whose payload this side cannot read as the type it
 * expects. Not a message anyone sends: a payload that does not fit its type fails one input, it
 * does not break the protocol.
 */
public sealed interface Verdict extends Decoded {

    /**
     * A result value that cannot be read as the call's result type (parent side).
     *
     * @param id the call's id
     * @param index the input's position in the call
     * @param typeName the type the value was read as
     * @param message why it cannot be read
     */
    record UnreadableResult(long id, int index, String typeName, String message) implements Verdict, PerInput {}

    /**
     * A call for a task definition this side does not hold, or could not load (worker side).
     *
     * @param id the call's id
     * @param task the task definition's id
     * @param skip positions of the call not to run
     */
    record UnknownTask(long id, long task, BitSet skip) implements Verdict {}

    /**
     * A call with an input that cannot be read as the task's input type (worker side): the inputs
     * before it are in {@code readable}, which runs; the bad one is refused.
     *
     * @param readable the call with the inputs read before the bad one
     * @param index the bad input's position in the call
     * @param typeName the type the input was read as
     * @param message why it cannot be read
     */
    record UnreadableInput(Message.Call readable, int index, String typeName, String message) implements Verdict {}
}
