package io.github.pool4j.process.internal;

import io.github.pool4j.codec.RemoteError;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One decoded protocol line. Which fields are set depends on {@link #kind()}; unset fields are
 * {@code null}, {@code 0} or {@code -1}.
 *
 * @param kind what the frame says
 * @param id the call (send) id, or the task id of a definition
 * @param index the input's position within its call frame
 * @param task the task id a call refers to
 * @param skip positions of a call frame the worker must not run
 * @param inputs the inputs of a call frame ({@code null} slots for skipped positions), or the values of a
 *     results frame (a {@link Wire.Unreadable} for each value this side could not read)
 * @param value the result of a result frame
 * @param definition the task or initializer definition, as JSON
 * @param error the exception of an error or fatal frame
 * @param text output text, or the message of a refusal
 * @param typeName the type named by a refusal
 * @param stream 1 for standard output, 2 for standard error
 * @param pid the worker's pid (hello)
 * @param jdk the worker's JDK version (hello)
 * @param stack the stuck task's stack (timeout)
 * @param nanos how long the worker's task ran for the inputs of a result, results or error frame,
 *     in nanoseconds, or {@code -1} if the frame does not say
 */
public record Frame(
        Kind kind,
        long id,
        int index,
        long task,
        int[] skip,
        List<Object> inputs,
        Object value,
        JsonNode definition,
        RemoteError error,
        String text,
        String typeName,
        int stream,
        long pid,
        String jdk,
        List<StackTraceElement> stack,
        long nanos) {

    /** A frame without a task time, as every frame but a result, results or error frame is. */
    public Frame(Kind kind, long id, int index, long task, int[] skip, List<Object> inputs, Object value,
            JsonNode definition, RemoteError error, String text, String typeName, int stream, long pid, String jdk,
            List<StackTraceElement> stack) {
        this(kind, id, index, task, skip, inputs, value, definition, error, text, typeName, stream, pid, jdk, stack,
                -1);
    }

    /** The frame types; the wire name of each is {@link #wire}. */
    public enum Kind {
        /** Parent to worker: the initializer to run before saying hello. */
        INIT("init"),
        /** Parent to worker: a task definition, once per call and worker. */
        DEFINE("def"),
        /** Parent to worker: a chunk of inputs to run. */
        CALL("call"),
        /** Parent to worker: skip what is left of a call. */
        CANCEL("cancel"),
        /** Parent to worker: finish and exit. */
        SHUTDOWN("bye"),
        /** Worker to parent: ready, with pid and JDK. */
        HELLO("hello"),
        /** Worker to parent: one input's result. */
        RESULT("r"),
        /** Worker to parent: the results of consecutive inputs of one call, the first at {@code index}. */
        RESULTS("rs"),
        /** Worker to parent: one input's task threw. */
        ERROR("e"),
        /** Worker to parent: one input's result could not be written as JSON. */
        BAD_RESULT("br"),
        /** Worker to parent: one input could not be read as the task's input type. */
        BAD_INPUT("bi"),
        /** Worker to parent: the task definition of a call could not be loaded. */
        BAD_TASK("bt"),
        /** Worker to parent: the rest of a call was skipped after a cancel. */
        SKIPPED("skip"),
        /** Worker to parent: one input ran past the timeout; the worker exits next. */
        TIMEOUT("timeout"),
        /** Worker to parent: text the task printed. */
        OUTPUT("out"),
        /** Worker to parent: the worker cannot work (initializer failed); it exits next. */
        FATAL("fatal");

        final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        static Kind of(String wire) {
            for (Kind kind : values()) {
                if (kind.wire.equals(wire)) {
                    return kind;
                }
            }
            return null;
        }
    }

    static Frame of(Kind kind) {
        return new Frame(kind, -1, -1, -1, null, null, null, null, null, null, null, 0, -1, null, null);
    }
}
