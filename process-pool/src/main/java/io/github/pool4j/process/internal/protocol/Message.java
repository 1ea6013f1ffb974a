package io.github.pool4j.process.internal.protocol;

import io.github.pool4j.codec.RemoteError;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * One message of the wire protocol: a record per message type. {@link Wire} writes and reads them;
 * {@link #type()} names each on the wire.
 *
 * <p>Frames a worker sends with a task's outcome may carry the task's time, {@code nanos}:
 * {@code -1} where the frame does not say.
 */
public sealed interface Message extends Decoded {

    /** The message's type, which names it on the wire. */
    Type type();

    /** The message types and their wire names. */
    enum Type {
        /** {@link Init}. */
        INIT("init"),
        /** {@link Define}. */
        DEFINE("def"),
        /** {@link Call}. */
        CALL("call"),
        /** {@link Cancel}. */
        CANCEL("cancel"),
        /** {@link Shutdown}. */
        SHUTDOWN("bye"),
        /** {@link Hello}. */
        HELLO("hello"),
        /** {@link Result}. */
        RESULT("r"),
        /** {@link Results}. */
        RESULTS("rs"),
        /** {@link Failed}. */
        ERROR("e"),
        /** {@link Refusal} of a result. */
        REFUSED_RESULT("br"),
        /** {@link Refusal} of an input. */
        REFUSED_INPUT("bi"),
        /** {@link Refusal} of a task. */
        REFUSED_TASK("bt"),
        /** {@link Skipped}. */
        SKIPPED("skip"),
        /** {@link Timeout}. */
        TIMEOUT("timeout"),
        /** {@link Output}. */
        OUTPUT("out"),
        /** {@link Fatal}. */
        FATAL("fatal");

        final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        static Type of(String wire) {
            for (Type type : values()) {
                if (type.wire.equals(wire)) {
                    return type;
                }
            }
            return null;
        }
    }

    // ---- parent to worker ----

    /**
     * The initializer to run before saying hello.
     *
     * @param definition its definition, as plain JSON values (maps, lists, strings, numbers,
     *     booleans, {@code null}): Jackson's value nodes would set up {@code BigDecimal}
     */
    record Init(Map<String, Object> definition) implements Message {
        @Override
        public Type type() {
            return Type.INIT;
        }
    }

    /**
     * A task definition, sent once per task and worker.
     *
     * @param task the definition's id, which calls name
     * @param definition the definition, as plain JSON values, as {@link Init}'s
     */
    record Define(long task, Map<String, Object> definition) implements Message {
        @Override
        public Type type() {
            return Type.DEFINE;
        }
    }

    /**
     * Consecutive inputs of one chunk to run, in order.
     *
     * @param id the send's id
     * @param task the task definition's id
     * @param skip positions not to run
     * @param inputs the inputs ({@code null} at skipped positions)
     * @param timed whether the worker measures how long each task runs (only when someone listens
     *     for task times: the clock is read twice per input)
     */
    record Call(long id, long task, BitSet skip, List<Object> inputs, boolean timed) implements Message {
        /** A call whose tasks are timed. */
        Call(long id, long task, BitSet skip, List<Object> inputs) {
            this(id, task, skip, inputs, true);
        }

        @Override
        public Type type() {
            return Type.CALL;
        }
    }

    /** Skip what is left of a call. @param id the call's id */
    record Cancel(long id) implements Message {
        @Override
        public Type type() {
            return Type.CANCEL;
        }
    }

    /** Finish the calls received, then exit. */
    record Shutdown() implements Message {
        @Override
        public Type type() {
            return Type.SHUTDOWN;
        }
    }

    // ---- worker to parent ----

    /**
     * The worker is ready.
     *
     * @param pid its pid
     * @param jdk its JDK's version
     */
    record Hello(long pid, String jdk) implements Message {
        @Override
        public Type type() {
            return Type.HELLO;
        }
    }

    /**
     * One input's result.
     *
     * @param id the call's id
     * @param index the input's position
     * @param value the result
     * @param nanos how long the task ran, or -1
     */
    record Result(long id, int index, Object value, long nanos) implements Message, PerInput {
        @Override
        public Type type() {
            return Type.RESULT;
        }
    }

    /**
     * The results of consecutive inputs of one call.
     *
     * @param id the call's id
     * @param first the first input's position
     * @param values the results; an {@link Unreadable} for each this side could not read
     * @param nanos how long the tasks of all the values ran together, or -1
     */
    record Results(long id, int first, List<Object> values, long nanos) implements Message {
        @Override
        public Type type() {
            return Type.RESULTS;
        }

        /**
         * A value of a results frame that this side could not read as the result type.
         *
         * @param message why
         * @param typeName the type it was read as
         */
        public record Unreadable(String message, String typeName) {}
    }

    /**
     * One input's task threw.
     *
     * @param id the call's id
     * @param index the input's position
     * @param error what it threw
     * @param nanos how long the task ran before it threw, or -1
     */
    record Failed(long id, int index, RemoteError error, long nanos) implements Message, PerInput {
        @Override
        public Type type() {
            return Type.ERROR;
        }
    }

    /** What a worker's refusal is about. */
    enum Refused {
        /** A result could not be written as JSON. */
        RESULT(Type.REFUSED_RESULT),
        /** An input could not be read as the task's input type. */
        INPUT(Type.REFUSED_INPUT),
        /** The task definition of a call could not be loaded. */
        TASK(Type.REFUSED_TASK);

        final Type type;

        Refused(Type type) {
            this.type = type;
        }
    }

    /**
     * The worker could not run or answer one input.
     *
     * @param what what it refused
     * @param id the call's id
     * @param index the input's position (for a task, the first position it was to run)
     * @param typeName the type concerned
     * @param message why
     */
    record Refusal(Refused what, long id, int index, String typeName, String message) implements Message, PerInput {
        @Override
        public Type type() {
            return what.type;
        }
    }

    /**
     * The rest of a call was skipped after a cancel, from {@code index} on.
     *
     * @param id the call's id
     * @param index the first position skipped
     */
    record Skipped(long id, int index) implements Message, PerInput {
        @Override
        public Type type() {
            return Type.SKIPPED;
        }
    }

    /**
     * One input ran past the timeout; the worker exits next.
     *
     * @param id the call's id
     * @param index the input's position
     * @param stack the stuck task's stack
     */
    record Timeout(long id, int index, List<StackTraceElement> stack) implements Message, PerInput {
        @Override
        public Type type() {
            return Type.TIMEOUT;
        }
    }

    /**
     * Text the task printed.
     *
     * @param stream 1 for standard output, 2 for standard error
     * @param text the text
     */
    record Output(int stream, String text) implements Message {
        @Override
        public Type type() {
            return Type.OUTPUT;
        }
    }

    /** The worker cannot work (its initializer failed); it exits next. @param error what failed */
    record Fatal(RemoteError error) implements Message {
        @Override
        public Type type() {
            return Type.FATAL;
        }
    }
}
