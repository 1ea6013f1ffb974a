package io.github.pool4j.process.internal.protocol;

import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.codec.TaskDefinition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;

/**
 * The wire format, written and read in this one place.
 *
 * <p>Every protocol line is {@link #SENTINEL}, one JSON object, and {@code '\n'}. JSON escapes
 * control characters, so neither the sentinel nor a newline can occur inside a frame; any line
 * without the sentinel is output that reached the worker's fd 1 some other way. The object's first
 * field {@code "t"} names the {@link Message.Type}; payloads ({@code "in"}, {@code "v"}) come last so a
 * reader knows their type before it reaches them and can decode them straight from the bytes.
 * A reader skips fields it does not know: the task time {@code "ns"} that a worker adds to its
 * result, results and error frames is such an addition.
 *
 * <p>Thread-safety: thread-safe (the mappers are).
 */
public final class Wire {

    /** Starts every protocol line: ASCII record separator, then {@code p4j:}. */
    public static final byte[] SENTINEL = {0x1E, 'p', '4', 'j', ':'};

    private final Json json;
    /** The longest frame the parser reads; a longer one is refused by it, never read by hand. */
    private final long maxDocumentBytes;

    /**
     * Creates the wire format over one side's mappers.
     *
     * @param json the mappers
     */
    public Wire(Json json) {
        this.json = json;
        this.maxDocumentBytes = json.maxDocumentBytes();
    }

    public Json json() {
        return json;
    }

    // ---- writing ------------------------------------------------------------------------------

    /**
     * A byte buffer whose contents can be written out without a copy. Given a limit, it stops
     * storing bytes once they would pass it and remembers that it {@linkplain #overflowed()
     * overflowed}, so encoding a value too large for a frame never holds more than the limit.
     */
    public static final class Buffer extends ByteArrayOutputStream {
        private final long limit;
        private boolean overflowed;

        public Buffer(int size) {
            this(size, Long.MAX_VALUE);
        }

        Buffer(int size, long limit) {
            super(size);
            this.limit = limit;
        }

        // Not synchronized, unlike ByteArrayOutputStream: every buffer has one owner at a time.
        @Override
        public void write(int b) {
            if (fits(1)) {
                ensure(1);
                buf[count++] = (byte) b;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (fits(len)) {
                ensure(len);
                System.arraycopy(b, off, buf, count, len);
                count += len;
            }
        }

        private void ensure(int more) {
            int needed = count + more;
            if (needed > buf.length) {
                // Doubles while it can; past that, exactly what is needed (the limit keeps it sane).
                int grown = buf.length <= (Integer.MAX_VALUE - 8) / 2 ? buf.length * 2 : Integer.MAX_VALUE - 8;
                buf = java.util.Arrays.copyOf(buf, Math.max(grown, needed));
            }
        }

        private boolean fits(int more) {
            if (overflowed || count + (long) more > limit) {
                overflowed = true;
                return false;
            }
            return true;
        }

        public boolean overflowed() {
            return overflowed;
        }

        /** Writes {@code value} as JSON writes an {@code int}: its decimal digits, a minus sign first. */
        public void writeInt(int value) {
            if (value == Integer.MIN_VALUE) {
                write(MIN_INT, 0, MIN_INT.length); // the one int whose magnitude is not an int
                return;
            }
            int magnitude = value < 0 ? -value : value;
            int length = digits(magnitude) + (value < 0 ? 1 : 0);
            if (!fits(length)) {
                return;
            }
            ensure(length);
            int at = count + length;
            // Two digits per division, from the right.
            while (magnitude >= 100) {
                int next = magnitude / 100;
                int pair = (magnitude - next * 100) * 2;
                buf[--at] = DIGIT_PAIRS[pair + 1];
                buf[--at] = DIGIT_PAIRS[pair];
                magnitude = next;
            }
            if (magnitude >= 10) {
                buf[--at] = DIGIT_PAIRS[magnitude * 2 + 1];
                buf[--at] = DIGIT_PAIRS[magnitude * 2];
            } else {
                buf[--at] = (byte) ('0' + magnitude);
            }
            if (value < 0) {
                buf[--at] = '-';
            }
            count += length;
        }

        /** How many decimal digits {@code n >= 0} has. */
        private static int digits(int n) {
            if (n < 100_000) {
                return n < 100 ? (n < 10 ? 1 : 2) : n < 1_000 ? 3 : n < 10_000 ? 4 : 5;
            }
            return n < 10_000_000 ? (n < 1_000_000 ? 6 : 7) : n < 100_000_000 ? 8 : n < 1_000_000_000 ? 9 : 10;
        }

        private static final byte[] MIN_INT = String.valueOf(Integer.MIN_VALUE)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        /** "00" to "99", two bytes each. */
        private static final byte[] DIGIT_PAIRS = new byte[200];

        static {
            for (int i = 0; i < 100; i++) {
                DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
                DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
            }
        }

        /** Drops what was written after the first {@code size} bytes. */
        void truncate(int size) {
            count = size;
        }

        public void writeTo(OutputStream out, int from) throws IOException {
            out.write(buf, from, count - from);
        }

        public byte[] array() {
            return buf;
        }

        // Unsynchronized, as the writes above.
        @Override
        public int size() {
            return count;
        }

        @Override
        public void reset() {
            count = 0;
            overflowed = false;
        }
    }

    private interface Fields {
        void write(JsonGenerator gen);
    }

    private byte[] frame(Message.Type type, Fields fields) {
        Buffer out = new Buffer(128);
        out.writeBytes(SENTINEL);
        try (JsonGenerator gen = json.generator(out)) {
            gen.writeStartObject();
            gen.writeStringProperty("t", type.wire);
            fields.write(gen);
            gen.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * Writes one message as a frame, sentinel and newline included. The messages that carry a
     * task's values are written where their types are known instead: {@link #result}, and
     * {@link #resultsHead}/{@link #RESULTS_TAIL} and {@link #callHead}/{@link #callBody}, which
     * let the caller encode the values once, outside any lock.
     *
     * @param message the message
     * @return the frame
     * @throws IllegalArgumentException for a {@link Message.Call}, {@link Message.Result} or
     *     {@link Message.Results}
     */
    public byte[] encode(Message message) {
        // Java 17: no pattern switch; one test per message type, every type covered.
        if (message instanceof Message.Init m) {
            return frame(m.type(), g -> {
                g.writeName("def");
                writePlain(g, m.definition());
            });
        } else if (message instanceof Message.Define m) {
            return frame(m.type(), g -> {
                g.writeNumberProperty("task", m.task());
                g.writeName("def");
                writePlain(g, m.definition());
            });
        } else if (message instanceof Message.Cancel m) {
            return frame(m.type(), g -> g.writeNumberProperty("id", m.id()));
        } else if (message instanceof Message.Shutdown m) {
            return frame(m.type(), g -> {});
        } else if (message instanceof Message.Hello m) {
            return frame(m.type(), g -> {
                g.writeNumberProperty("pid", m.pid());
                g.writeStringProperty("jdk", m.jdk());
            });
        } else if (message instanceof Message.Failed m) {
            return frame(m.type(), g -> {
                g.writeNumberProperty("id", m.id());
                g.writeNumberProperty("i", m.index());
                writeNanos(g, m.nanos());
                g.writeName("err");
                writeError(g, m.error());
            });
        } else if (message instanceof Message.Fatal m) {
            return frame(m.type(), g -> {
                g.writeName("err");
                writeError(g, m.error());
            });
        } else if (message instanceof Message.Refusal m) {
            return frame(m.type(), g -> {
                g.writeNumberProperty("id", m.id());
                g.writeNumberProperty("i", m.index());
                g.writeStringProperty("type", m.typeName());
                g.writeStringProperty("m", m.message());
            });
        } else if (message instanceof Message.Skipped m) {
            return frame(m.type(), g -> {
                g.writeNumberProperty("id", m.id());
                g.writeNumberProperty("i", m.index());
            });
        } else if (message instanceof Message.Timeout m) {
            return frame(m.type(), g -> {
                g.writeNumberProperty("id", m.id());
                g.writeNumberProperty("i", m.index());
                g.writeName("st");
                writeStack(g, m.stack());
            });
        } else if (message instanceof Message.Output m) {
            return frame(m.type(), g -> {
                g.writeNumberProperty("s", m.stream());
                g.writeStringProperty("x", m.text());
            });
        } else if (message instanceof Message.Call m) {
            throw new IllegalArgumentException("a call is written by callHead and callBody");
        } else if (message instanceof Message.Result m) {
            throw new IllegalArgumentException("a result is written by result(...)");
        } else if (message instanceof Message.Results m) {
            throw new IllegalArgumentException("results are written by resultsHead");
        }
        throw new IllegalArgumentException(message.toString());
    }

    /**
     * Writes a {@link Message.Define} frame around a definition already written as JSON, so the
     * caller can compare definitions by their bytes without writing them twice.
     *
     * @param task the definition's id
     * @param definition the definition's JSON ({@link #definitionBytes})
     * @return the frame, sentinel and newline included
     */
    public static byte[] defineFrame(long task, byte[] definition) {
        return definitionFrame("{\"t\":\"" + Message.Type.DEFINE.wire + "\",\"task\":" + task + ",\"def\":", definition);
    }

    /**
     * Writes a {@link Message.Init} frame around a definition already written as JSON.
     *
     * @param definition the initializer's definition as JSON ({@link #definitionBytes})
     * @return the frame, sentinel and newline included
     */
    public static byte[] initFrame(byte[] definition) {
        return definitionFrame("{\"t\":\"" + Message.Type.INIT.wire + "\",\"def\":", definition);
    }

    private static byte[] definitionFrame(String start, byte[] definition) {
        byte[] head = start.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[SENTINEL.length + head.length + definition.length + 2];
        System.arraycopy(SENTINEL, 0, out, 0, SENTINEL.length);
        System.arraycopy(head, 0, out, SENTINEL.length, head.length);
        System.arraycopy(definition, 0, out, SENTINEL.length + head.length, definition.length);
        out[out.length - 2] = '}';
        out[out.length - 1] = '\n';
        return out;
    }

    /**
     * Writes a task definition as the JSON a {@link Message.Define} frame carries.
     *
     * @param definition the definition
     * @return its JSON
     */
    public byte[] definitionBytes(JsonNode definition) {
        // By hand, as the mapper would write it: building the mappers costs a fresh JVM ~200 ms,
        // which a task that is a method reference or a lambda capturing nothing need not pay.
        Buffer out = new Buffer(256);
        boolean plain;
        try (JsonGenerator gen = json.generator(out)) {
            plain = writePlain(gen, definition, 0);
        }
        return plain ? out.toByteArray() : json.data().writeValueAsBytes(definition);
    }

    /**
     * Writes {@code node} if it holds only objects, arrays, strings, {@code int}s, booleans and
     * nulls, nested at most 8 deep; returns false, the output then being unusable, at anything else.
     */
    private static boolean writePlain(JsonGenerator gen, JsonNode node, int depth) {
        if (depth > 8) {
            return false;
        }
        if (node.isObject()) {
            gen.writeStartObject();
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                gen.writeName(property.getKey());
                if (!writePlain(gen, property.getValue(), depth + 1)) {
                    return false;
                }
            }
            gen.writeEndObject();
        } else if (node.isArray()) {
            gen.writeStartArray();
            for (JsonNode element : node) {
                if (!writePlain(gen, element, depth + 1)) {
                    return false;
                }
            }
            gen.writeEndArray();
        } else if (node.isString()) {
            gen.writeString(node.stringValue());
        } else if (node.isInt()) {
            gen.writeNumber(node.intValue());
        } else if (node.isBoolean()) {
            gen.writeBoolean(node.booleanValue());
        } else if (node.isNull()) {
            gen.writeNull();
        } else {
            return false;
        }
        return true;
    }

    /**
     * Writes a result frame with the time the task ran, {@code nanos} (none if negative).
     *
     * @throws JacksonException if {@code value} cannot be written as JSON
     */
    public byte[] result(long id, int index, Object value, TaskDefinition.Loaded task, long nanos) {
        return result(id, index, value, task, nanos, null);
    }

    /**
     * Writes a result frame as {@link #result(long, int, Object, TaskDefinition.Loaded, long)} does,
     * taking large binary values out into {@code segments} (to be written before the frame).
     *
     * @param segments where large binary values go, or {@code null} to keep them in the frame
     * @throws JacksonException if {@code value} cannot be written as JSON
     */
    public byte[] result(long id, int index, Object value, TaskDefinition.Loaded task, long nanos,
            Segments.Out segments) {
        return frame(Message.Type.RESULT, g -> {
            g.writeNumberProperty("id", id);
            g.writeNumberProperty("i", index);
            writeNanos(g, nanos);
            g.writeName("v");
            writeResult(segments == null ? g : segments.wrap(g), task, value);
        });
    }

    /**
     * Writes one result of {@code task} as its declared type, naming its class where that type is erased.
     *
     * @throws JacksonException if {@code value} cannot be written as JSON
     */
    public static void writeResult(JsonGenerator g, TaskDefinition.Loaded task, Object value) {
        if (Segments.writeNumbers(g, value, task.resultType())) {
            return;
        }
        if (!isScalar(value, task.resultType()) || !writeScalar(g, value)) {
            task.resultWriter().writeValue(g, value);
        }
    }

    /**
     * Returns the start of a results frame, with the time the tasks of all the frame's values ran
     * together, {@code nanos} (none if negative); the values follow, separated by commas, then
     * {@link #RESULTS_TAIL}.
     */
    public static byte[] resultsHead(long id, int first, long nanos) {
        return resultsHead(id, first, nanos, "[");
    }

    private static byte[] resultsHead(long id, int first, long nanos, String values) {
        String head = "{\"t\":\"" + Message.Type.RESULTS.wire + "\",\"id\":" + id + ",\"i\":" + first
                + (nanos >= 0 ? ",\"ns\":" + nanos : "") + ",\"vs\":" + values;
        byte[] text = head.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(SENTINEL, SENTINEL.length + text.length);
        System.arraycopy(text, 0, out, SENTINEL.length, text.length);
        return out;
    }

    /** The end of a results frame. */
    public static final byte[] RESULTS_TAIL = {']', '}', '\n'};

    /**
     * Writes a results frame of {@code Integer} values as {@link #numbersSegment} would: the first
     * {@code count} of {@code values} as one typed segment (number 0: such a frame carries no
     * other), then the frame that refers to it. The caller checks the segment against
     * {@code maxPayloadBytes} ({@link Limits#segmentCost}) and the frame's values, as JSON text,
     * against {@code maxFrameBytes}, as it would for the frame of digits.
     *
     * @param out where to write
     * @param id the call's id
     * @param first the position of the first value in the call
     * @param nanos how long their tasks ran together, or negative for untimed
     * @param values the values
     * @param count how many of them
     * @throws IOException if {@code out} fails
     */
    public static void writeIntResults(OutputStream out, long id, int first, long nanos, int[] values, int count)
            throws IOException {
        byte[] data = new byte[count * 4];
        Segments.putInts(data, values, count);
        out.write(Segments.header(0, data.length));
        out.write(data);
        out.write(resultsHead(id, first, nanos, quotedReference(Segments.REFERENCE + "" + Segments.INTS + 0) + "}\n"));
    }

    /** A segment's reference as a JSON string: the quotes, {@code \u0001} escaped, the rest. */
    private static String quotedReference(String reference) {
        return "\"\\u0001" + reference.substring(1) + "\"";
    }

    /**
     * The start of a call frame, made at each send: the ids and which positions to skip.
     *
     * @param id the send's id
     * @param task the task definition's id
     * @param skip positions not to run
     * @return the bytes up to the inputs
     */
    public byte[] callHead(long id, long task, BitSet skip) {
        return callHead(id, task, skip, true);
    }

    /**
     * The start of a call frame, made at each send: the ids, whether to time the tasks, and which
     * positions to skip.
     *
     * @param id the send's id
     * @param task the task definition's id
     * @param skip positions not to run
     * @param timed whether the worker reports how long the tasks ran
     * @return the bytes up to the inputs
     */
    public byte[] callHead(long id, long task, BitSet skip, boolean timed) {
        // Only numbers: built by hand so the inputs, encoded once in the caller, can follow as is.
        StringBuilder head = new StringBuilder(64);
        head.append("{\"t\":\"").append(Message.Type.CALL.wire).append("\",\"id\":").append(id)
                .append(",\"task\":").append(task).append(timed ? "" : ",\"timed\":false").append(",\"skip\":[");
        for (int i = skip.nextSetBit(0); i >= 0; i = skip.nextSetBit(i + 1)) {
            head.append(i).append(',');
        }
        if (head.charAt(head.length() - 1) == ',') {
            head.setLength(head.length() - 1);
        }
        head.append("],\"in\":");
        byte[] text = head.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(SENTINEL, SENTINEL.length + text.length);
        System.arraycopy(text, 0, out, SENTINEL.length, text.length);
        return out;
    }

    /**
     * The encoded inputs of a call: {@code [a,b,...]}, then the closing brace and newline, and the
     * raw segments (header, bytes, ...) to write before the call's head.
     *
     * @param bytes the inputs' JSON, or {@code null} if their raw segments would pass
     *     {@code maxPayloadBytes}
     * @param failedOffsets positions of inputs that could not be written (sent as {@code null})
     * @param failures why, position by position
     * @param segments the segments' parts, {@link Segments#NONE} if none
     */
    public record Body(byte[] bytes, int[] failedOffsets, RuntimeException[] failures, byte[][] segments) {}

    /**
     * Encodes the inputs of one call frame with no size limit; see {@link #callBody(List, long)}.
     *
     * @param inputs the inputs
     * @return the body; inputs that could not be written are sent as {@code null} and listed
     */
    public Body callBody(List<Object> inputs, JavaType inputType) {
        return callBody(inputs, inputType, Long.MAX_VALUE, null);
    }

    /**
     * Encodes the inputs of one call frame, giving up as soon as the body would pass {@code limit}
     * bytes: a huge input costs at most {@code limit} bytes of heap, not several copies of its JSON.
     * All inputs go through one generator; only if one of them cannot be written are they encoded
     * again one by one, so that one bad input fails alone.
     *
     * <p>With {@code segments}, large binary values travel as raw segments beside the frame; a body
     * whose segments would pass their bound comes back with no bytes, so that the caller can split
     * the inputs or fail the one input.
     *
     * @param inputs the inputs
     * @param inputType their declared type
     * @param limit the most bytes the body may take
     * @param segments a fresh writer of segments, or {@code null} to keep binary values in the frame
     * @return the body, or {@code null} if it would be longer than {@code limit}; inputs that could
     *     not be written are sent as {@code null} and listed
     */
    public Body callBody(List<Object> inputs, JavaType inputType, long limit, Segments.Out segments) {
        byte[] numbers = segments == null ? null : numbersSegment(inputs, inputType, limit, segments);
        if (numbers != null) {
            return new Body(numbers, new int[0], new RuntimeException[0], segments.drain());
        }
        Buffer all = new Buffer((int) Math.min(limit, 16 + inputs.size() * 8L), limit);
        if (segments != null) {
            // Long strings travel as segments but still count against the frame, as inside it.
            segments.textLimit(limit);
        }
        try {
            if (!writeScalars(all, inputs, inputType, segments)) {
                all.reset();
                if (segments != null) {
                    segments.drain();
                }
                // One call for the whole list: one serialization context, not one per input. The
                // buffer stops storing at the limit, so a huge input costs time but never memory.
                ObjectWriter writer = json.writer(
                        json.types().constructCollectionType(List.class, inputType));
                if (segments == null) {
                    writer.writeValue(all, inputs);
                } else if (Segments.kindOf(inputType) != 0) {
                    // Lists of numbers may travel as typed segments: one input at a time.
                    ObjectWriter one = json.writer(inputType);
                    try (JsonGenerator g = segments.wrap(json.generator(all))) {
                        g.writeStartArray();
                        for (Object input : inputs) {
                            if (!Segments.writeNumbers(g, input, inputType)) {
                                one.writeValue(g, input);
                            }
                        }
                        g.writeEndArray();
                    }
                } else {
                    try (JsonGenerator g = segments.wrap(json.generator(all))) {
                        writer.writeValue(g, inputs);
                    }
                }
            }
        } catch (JacksonException | StackOverflowError e) {
            if (all.overflowed()) {
                return null;
            }
            all = null;
            if (segments != null) {
                segments.drain(); // encoded again below, one input at a time
            }
        }
        // Too large for the frame first: a string may be no longer than it could be inside it.
        if (segments != null && (segments.textOverflowed()
                || all != null && all.size() + 2 + segments.textBytes() > limit)) {
            segments.drain();
            return null;
        }
        if (segments != null && segments.overflowed()) {
            segments.drain();
            return new Body(null, new int[0], new RuntimeException[0], Segments.NONE);
        }
        if (all != null) {
            all.write('}');
            all.write('\n');
            return all.overflowed() ? null : new Body(all.toByteArray(), new int[0], new RuntimeException[0],
                    segments == null ? Segments.NONE : segments.drain());
        }
        Buffer out = new Buffer((int) Math.min(limit, 16 + inputs.size() * 8L), limit);
        List<Integer> failed = new ArrayList<>();
        List<RuntimeException> failures = new ArrayList<>();
        out.write('[');
        for (int i = 0; i < inputs.size() && !out.overflowed(); i++) {
            if (i > 0) {
                out.write(',');
            }
            int mark = out.size();
            int segmentMark = segments == null ? 0 : segments.mark();
            try {
                if (segments == null) {
                    json.writer(inputType).writeValue(out, inputs.get(i));
                } else {
                    try (JsonGenerator g = segments.wrap(json.generator(out))) {
                        if (!Segments.writeNumbers(g, inputs.get(i), inputType)) {
                            json.writer(inputType).writeValue(g, inputs.get(i));
                        }
                    }
                }
            } catch (JacksonException | StackOverflowError e) {
                failed.add(i);
                failures.add(e instanceof JacksonException je ? je : new IllegalStateException(e.toString()));
                out.truncate(mark); // the part written before it failed
                if (segments != null) {
                    segments.truncate(segmentMark);
                }
                out.writeBytes(new byte[] {'n', 'u', 'l', 'l'});
            }
        }
        out.write(']');
        out.write('}');
        out.write('\n');
        if (out.overflowed() || segments != null && (segments.textOverflowed()
                || out.size() + segments.textBytes() > limit)) {
            if (segments != null) {
                segments.drain();
            }
            return null;
        }
        if (segments != null && segments.overflowed()) {
            segments.drain();
            return new Body(null, new int[0], new RuntimeException[0], Segments.NONE);
        }
        return new Body(out.toByteArray(), failed.stream().mapToInt(Integer::intValue).toArray(),
                failures.toArray(new RuntimeException[0]), segments == null ? Segments.NONE : segments.drain());
    }

    /**
     * Takes a call's inputs into {@code segments} as one typed segment of little-endian numbers,
     * if there are at least {@link Segments#MIN_NUMBERS} of them, declared {@code Integer} (or
     * {@code Long}) and each exactly that class: a map of numbers then costs neither digits nor
     * their parsing (a worker's results go so through {@link #writeIntResults}). Returns the
     * frame's text that follows {@code "in":} (the reference, the closing brace, the newline), or
     * {@code null} with {@code segments} unchanged if the values do not travel so or would not fit
     * {@code limit} or the segments' bound (they count against the frame as their JSON text would).
     *
     * @param values the values
     * @param declared their declared type
     * @param limit the most bytes the frame's values may take
     * @param segments where the segment goes
     * @return the text after the field name, or {@code null}
     */
    public byte[] numbersSegment(List<?> values, JavaType declared, long limit, Segments.Out segments) {
        Class<?> raw = declared.getRawClass();
        if (values.size() < Segments.MIN_NUMBERS || raw != Integer.class && raw != Long.class) {
            return null;
        }
        int mark = segments.mark();
        segments.textLimit(limit);
        String reference = segments.takeNumbers(values, json.types().constructCollectionType(List.class, declared));
        if (reference == null) {
            return null;
        }
        byte[] text = (quotedReference(reference) + "}\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (segments.textBytes() + text.length > limit) {
            segments.truncate(mark);
            return null;
        }
        return text;
    }

    /** Writes {@code values} as a JSON array if all are scalars; returns false at the first that is not. */
    private boolean writeScalars(Buffer out, List<Object> values, JavaType declared, Segments.Out segments) {
        if (values.isEmpty() || !isScalar(values.get(0), declared)) {
            return false; // the common case of records and beans: found out at once
        }
        if (writeInts(out, values)) {
            return true;
        }
        out.reset();
        JsonGenerator raw = json.generator(out);
        try (JsonGenerator g = segments == null ? raw : segments.wrap(raw)) {
            g.writeStartArray();
            for (int i = 0; i < values.size(); i++) {
                if (!isScalar(values.get(i), declared) || !writeScalar(g, values.get(i))) {
                    return false;
                }
            }
            g.writeEndArray();
        }
        return true;
    }

    /**
     * Writes {@code values} as a JSON array by hand if each is an {@code Integer} or {@code null},
     * the same bytes a generator writes; returns false at the first that is not.
     */
    private static boolean writeInts(Buffer out, List<Object> values) {
        out.write('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            if (!writePlain(out, values.get(i))) {
                return false;
            }
        }
        out.write(']');
        return true;
    }

    /**
     * Writes {@code value} by hand if it is an {@code Integer} or {@code null}, the same bytes
     * {@link #writeResult} writes for it whatever the declared type; returns false (nothing written)
     * for any other value.
     *
     * @param out where to write
     * @param value the value
     * @return whether it was written
     */
    public static boolean writePlain(Buffer out, Object value) {
        if (value == null) {
            out.write('n');
            out.write('u');
            out.write('l');
            out.write('l');
        } else if (value.getClass() == Integer.class) {
            out.writeInt((Integer) value);
        } else {
            return false;
        }
        return true;
    }

    /**
     * Tells whether {@link #writeScalar} writes {@code value} declared as {@code declared} just as
     * the value's writer would: {@code null}, the exact classes {@code Integer}, {@code String} and
     * {@code Boolean} (which never carry a class name), and a {@code Long} declared as one (one
     * declared {@code Object} carries its class name, or it would come back an {@code Integer}).
     */
    static boolean isScalar(Object value, JavaType declared) {
        if (value == null) {
            return true;
        }
        Class<?> type = value.getClass();
        return type == Integer.class || type == String.class || type == Boolean.class
                || (type == Long.class && declared.getRawClass() == Long.class);
    }

    /**
     * Writes a {@linkplain #isScalar scalar} straight to the generator: the same JSON as
     * {@code writeValue}, without a serialization context per value.
     *
     * @return false if {@code value} is not a scalar (nothing was written)
     */
    static boolean writeScalar(JsonGenerator g, Object value) {
        if (value == null) {
            g.writeNull();
        } else if (value.getClass() == Integer.class) {
            g.writeNumber((int) (Integer) value);
        } else if (value.getClass() == String.class) {
            g.writeString((String) value);
        } else if (value.getClass() == Long.class) {
            g.writeNumber((long) (Long) value);
        } else if (value.getClass() == Boolean.class) {
            g.writeBoolean((Boolean) value);
        } else {
            return false;
        }
        return true;
    }

    private static void writeNanos(JsonGenerator g, long nanos) {
        if (nanos >= 0) {
            g.writeNumberProperty("ns", nanos);
        }
    }

    private static void writeError(JsonGenerator g, RemoteError error) {
        g.writeStartObject();
        g.writeStringProperty("c", error.className());
        g.writeStringProperty("m", error.message());
        if (error.printed() != null) {
            g.writeStringProperty("p", error.printed());
        }
        g.writeName("st");
        writeStack(g, error.frames());
        if (error.cause() != null) {
            g.writeName("cause");
            writeError(g, error.cause());
        }
        if (!error.suppressed().isEmpty()) {
            g.writeName("sup");
            g.writeStartArray();
            for (RemoteError s : error.suppressed()) {
                writeError(g, s);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeStack(JsonGenerator g, List<StackTraceElement> stack) {
        g.writeStartArray();
        for (StackTraceElement e : stack) {
            g.writeStartArray();
            g.writeString(e.getClassName());
            g.writeString(e.getMethodName());
            g.writeString(e.getFileName());
            g.writeNumber(e.getLineNumber());
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    // ---- reading ------------------------------------------------------------------------------

    /** Finds the types a frame's payload is read as. */
    public interface Types {
        /** The result type of the call sent with {@code id}, or {@code null} if unknown. */
        JavaType resultType(long id);

        /** The input type of task definition {@code task}, or {@code null} if unknown. */
        JavaType inputType(long task);
    }

    /**
     * Returns where the sentinel starts in {@code buf[off, off+len)}, or {@code -1}.
     */
    public static int findSentinel(byte[] buf, int off, int len) {
        outer:
        for (int i = off; i <= off + len - SENTINEL.length; i++) {
            for (int j = 0; j < SENTINEL.length; j++) {
                if (buf[i + j] != SENTINEL[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Decodes one frame: the bytes after the sentinel, without the newline.
     *
     * <p>A payload that is well-formed JSON but does not fit its type does not break the protocol:
     * a result becomes a {@link Verdict.UnreadableResult}, a call's unreadable input a
     * {@link Verdict.UnreadableInput} naming its position, a call for an unknown task a
     * {@link Verdict.UnknownTask}. A results frame's unreadable values are
     * {@link Message.Results.Unreadable} entries.
     *
     * @throws ProtocolException if the bytes are not a frame this side understands
     */
    public Decoded read(byte[] buf, int off, int len, Types types) {
        return read(buf, off, len, types, null);
    }

    /**
     * Decodes one frame as {@link #read(byte[], int, int, Types)} does, reading binary values that
     * refer to raw segments from {@code segments}, the segments read since the last frame (the
     * caller clears them after this frame).
     *
     * @param segments the segments read before this frame, or {@code null} for none
     * @throws ProtocolException if the bytes are not a frame this side understands, or a reference
     *     names a segment not held or used already
     */
    public Decoded read(byte[] buf, int off, int len, Types types, Segments.In segments) {
        if (maxDocumentBytes <= 0 || len <= maxDocumentBytes) {
            // A map's frames of plain integers, read by hand: no parser, no token per value.
            Decoded plain = PlainFrames.read(buf, off, len, types, segments);
            if (plain != null) {
                return plain;
            }
        }
        return readParsed(buf, off, len, types, segments);
    }

    /** Decodes one frame with the parser, as {@link #read(byte[], int, int, Types, Segments.In)} does. */
    Decoded readParsed(byte[] buf, int off, int len, Types types, Segments.In segments) {
        try {
            return read(buf, off, len, types, true, segments);
        } catch (ValueByValue e) {
            if (segments != null) {
                segments.rewind();
            }
            return read(buf, off, len, types, false, segments);
        }
    }

    /**
     * Thrown when a payload array cannot be read in one go: reading it value by value then finds
     * the one that does not fit.
     */
    private static final class ValueByValue extends RuntimeException {
        static final ValueByValue INSTANCE = new ValueByValue();

        private ValueByValue() {
            super(null, null, false, false);
        }
    }

    private Decoded read(byte[] buf, int off, int len, Types types, boolean wholeArrays, Segments.In segments) {
        try (JsonParser raw = json.parser(buf, off, len)) {
            if (segments == null) {
                return read(raw, types, wholeArrays);
            }
            Segments.Reading p = segments.wrap(raw);
            Decoded decoded;
            try {
                decoded = read(p, types, wholeArrays);
            } finally {
                if (p.failure != null) {
                    // A deserializer may have wrapped it, or read on: a bad reference breaks the protocol.
                    throw p.failure;
                }
            }
            return decoded;
        } catch (ValueByValue e) {
            throw e;
        } catch (ProtocolException e) {
            throw e;
        } catch (JacksonException e) {
            throw new ProtocolException("malformed frame: " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            throw new ProtocolException("malformed frame: " + e, e);
        }
    }

    private Decoded read(JsonParser p, Types types, boolean wholeArrays) {
        if (p.nextToken() != JsonToken.START_OBJECT || !"t".equals(p.nextName())) {
            throw new ProtocolException("a frame must be a JSON object starting with \"t\"", null);
        }
        p.nextToken();
        Message.Type kind = Message.Type.of(p.getString());
        if (kind == null) {
            throw new ProtocolException("unknown frame type \"" + p.getString() + "\"", null);
        }
        long id = -1;
        int index = -1;
        long task = -1;
        BitSet skip = null;
        List<Object> inputs = null;
        Object value = null;
        Map<String, Object> definition = null;
        RemoteError error = null;
        String text = null;
        String typeName = null;
        int stream = 0;
        long pid = -1;
        String jdk = null;
        List<StackTraceElement> stack = null;
        long nanos = -1;
        boolean timed = true;
        boolean hasValue = false;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken token = p.nextToken();
            if (p instanceof Segments.Reading segments) {
                // References stand for segments inside values only, never in the frame's own fields.
                segments.values = name.equals("v") || name.equals("vs") || name.equals("in");
            }
            switch (name) {
                case "id" -> id = p.getLongValue();
                case "i" -> index = p.getIntValue();
                case "task" -> task = p.getLongValue();
                case "ns" -> nanos = p.getLongValue();
                case "timed" -> {
                    if (!token.isBoolean()) {
                        throw new ProtocolException("\"timed\" must be true or false", null);
                    }
                    timed = token == JsonToken.VALUE_TRUE;
                }
                case "pid" -> pid = p.getLongValue();
                case "s" -> stream = p.getIntValue();
                case "jdk" -> jdk = p.getString();
                case "x", "m" -> text = p.getString();
                case "type" -> typeName = p.getString();
                case "skip" -> skip = readPositions(p);
                case "def" -> definition = readPlain(p) instanceof Map<?, ?> fields ? plainObject(fields) : Map.of();
                case "err" -> error = readError(json.data().readTree(p), 0);
                case "st" -> stack = readStack(json.data().readTree(p));
                case "v" -> {
                    hasValue = true;
                    JavaType type = types.resultType(id);
                    if (type == null) {
                        throw new ProtocolException("result for unknown call id " + id, null);
                    }
                    try {
                        value = readValue(p, type);
                    } catch (DatabindException e) {
                        return new Verdict.UnreadableResult(id, index, type.toCanonical(),
                                "it cannot be read as " + type.toCanonical() + ": " + e.getOriginalMessage());
                    }
                }
                case "vs" -> {
                    JavaType type = types.resultType(id);
                    if (type == null) {
                        throw new ProtocolException("results for unknown call id " + id, null);
                    }
                    if (token == JsonToken.VALUE_STRING) {
                        inputs = numbersSegment(p, type, "vs");
                        continue;
                    }
                    if (token != JsonToken.START_ARRAY) {
                        throw new ProtocolException("\"vs\" must be an array", null);
                    }
                    inputs = wholeArrays ? readArray(p, type) : readValues(p, type);
                }
                case "in" -> {
                    JavaType type = types.inputType(task);
                    if (type == null) {
                        return new Verdict.UnknownTask(id, task, skip == null ? new BitSet() : skip);
                    }
                    if (token == JsonToken.VALUE_STRING) {
                        inputs = numbersSegment(p, type, "in");
                        continue;
                    }
                    if (token != JsonToken.START_ARRAY) {
                        throw new ProtocolException("\"in\" must be an array", null);
                    }
                    if (wholeArrays) {
                        inputs = readArray(p, type);
                        continue;
                    }
                    inputs = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        try {
                            inputs.add(readValue(p, type));
                        } catch (DatabindException e) {
                            return new Verdict.UnreadableInput(
                                    new Message.Call(id, task, skip == null ? new BitSet() : skip, inputs, timed),
                                    inputs.size(), type.toCanonical(),
                                    "it cannot be read as " + type.toCanonical() + ": " + e.getOriginalMessage());
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (kind == Message.Type.RESULT && !hasValue) {
            // A missing value is not a null result: delivering null would be a wrong result.
            throw new ProtocolException("a result frame without a value", null);
        }
        return switch (kind) {
            case INIT -> new Message.Init(definition);
            case DEFINE -> new Message.Define(task, definition);
            case CALL -> new Message.Call(id, task, skip == null ? new BitSet() : skip, inputs, timed);
            case CANCEL -> new Message.Cancel(id);
            case SHUTDOWN -> new Message.Shutdown();
            case HELLO -> new Message.Hello(pid, jdk);
            case RESULT -> new Message.Result(id, index, value, nanos);
            case RESULTS -> new Message.Results(id, index, inputs, nanos);
            case ERROR -> new Message.Failed(id, index, error, nanos);
            case REFUSED_RESULT -> new Message.Refusal(Message.Refused.RESULT, id, index, typeName, text);
            case REFUSED_INPUT -> new Message.Refusal(Message.Refused.INPUT, id, index, typeName, text);
            case REFUSED_TASK -> new Message.Refusal(Message.Refused.TASK, id, index, typeName, text);
            case SKIPPED -> new Message.Skipped(id, index);
            case TIMEOUT -> new Message.Timeout(id, index, stack);
            case OUTPUT -> new Message.Output(stream, text);
            case FATAL -> new Message.Fatal(error);
        };
    }

    /**
     * Reads the values of a call or results frame that {@link #numbersSegment} took into a typed
     * segment: only where segments are read and the values are declared {@code Integer} or
     * {@code Long}, each with its own width.
     *
     * @throws ProtocolException if the field is any other string, or names a bad segment
     */
    private static List<Object> numbersSegment(JsonParser p, JavaType type, String field) {
        Class<?> raw = type.getRawClass();
        char kind = raw == Integer.class ? Segments.INTS : raw == Long.class ? Segments.LONGS : 0;
        if (!(p instanceof Segments.Reading segments) || kind == 0) {
            throw new ProtocolException("\"" + field + "\" must be an array", null);
        }
        return segments.frameValues(kind, field);
    }

    /**
     * Reads a whole array of values of {@code type} in one call (one deserialization context, not
     * one per value).
     *
     * @throws ValueByValue if a value does not fit the type
     */
    private List<Object> readArray(JsonParser p, JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw == Integer.class || raw == Long.class || raw == String.class) {
            return readScalars(p, raw);
        }
        if (p instanceof Segments.Reading && Segments.kindOf(type) != 0) {
            // Lists of numbers may come as typed segments: one value at a time.
            List<Object> values = new ArrayList<>();
            try {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    values.add(readValue(p, type));
                }
            } catch (DatabindException e) {
                throw ValueByValue.INSTANCE;
            }
            return values;
        }
        try {
            return json.data().readValue(p, json.types().constructCollectionType(ArrayList.class, type));
        } catch (DatabindException e) {
            throw ValueByValue.INSTANCE;
        }
    }

    /** Reads one value of {@code type}: from its typed segment if it refers to one, else as JSON. */
    private Object readValue(JsonParser p, JavaType type) {
        if (p instanceof Segments.Reading segments && segments.atNumbers()) {
            return segments.readNumbers(type);
        }
        return json.data().readValue(p, type);
    }

    /**
     * Reads an array of {@code Integer}, {@code Long} or {@code String} values straight from the
     * parser. Anything but a plain value of that type or {@code null} (a number that needs coercion,
     * say) goes back to Jackson's deserializers, value by value, so the rules stay theirs.
     *
     * @throws ValueByValue if a value is not plainly of the type
     */
    private static List<Object> readScalars(JsonParser p, Class<?> raw) {
        List<Object> values = new ArrayList<>();
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.VALUE_NULL) {
                values.add(null);
            } else if (raw == String.class && token == JsonToken.VALUE_STRING) {
                values.add(p.getString());
            } else if (token == JsonToken.VALUE_NUMBER_INT && raw == Integer.class
                    && p.getNumberType() == JsonParser.NumberType.INT) {
                values.add(p.getIntValue());
            } else if (token == JsonToken.VALUE_NUMBER_INT && raw == Long.class
                    && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                values.add(p.getLongValue());
            } else {
                throw ValueByValue.INSTANCE;
            }
        }
        return values;
    }

    /** Reads an array of results; one that does not fit the type becomes a {@link Message.Results.Unreadable}. */
    private List<Object> readValues(JsonParser p, JavaType type) {
        TokenStreamContext array = p.streamReadContext();
        List<Object> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            try {
                values.add(readValue(p, type));
            } catch (DatabindException e) {
                values.add(new Message.Results.Unreadable("it cannot be read as " + type.toCanonical() + ": " + e.getOriginalMessage(),
                        type.toCanonical()));
                // Skip what is left of this value, wherever inside it reading stopped.
                while (p.streamReadContext() != array) {
                    if (p.nextToken() == null) {
                        throw new ProtocolException("a results frame ends inside a value", null);
                    }
                }
            }
        }
        return values;
    }

    /**
     * Reads the JSON value at the parser's current token as plain values: a {@code Map} (in
     * order), a {@code List}, a {@code String}, an {@code Integer}, {@code Long} or
     * {@code BigInteger} as the parser types the number, a {@code Double}, a {@code Boolean}, or
     * {@code null}. Definitions travel so: Jackson's value nodes would set up {@code BigDecimal}.
     */
    static Object readPlain(JsonParser p) {
        JsonToken token = p.currentToken();
        if (token == null) {
            throw new ProtocolException("a frame ends inside a value", null);
        }
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                String name;
                while ((name = p.nextName()) != null) {
                    p.nextToken();
                    object.put(name, readPlain(p));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readPlain(p));
                }
                return array;
            }
            case VALUE_STRING -> {
                return p.getString();
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> p.getIntValue();
                    case LONG -> p.getLongValue();
                    default -> p.getBigIntegerValue();
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return token == JsonToken.VALUE_TRUE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new ProtocolException("unexpected " + token + " in a frame", null);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plainObject(Map<?, ?> fields) {
        return (Map<String, Object>) fields; // readPlain's objects have String keys
    }

    /** Writes plain values as {@link #readPlain} reads them. */
    static void writePlain(JsonGenerator g, Object value) {
        if (value instanceof Map<?, ?> object) {
            g.writeStartObject();
            for (Map.Entry<?, ?> field : object.entrySet()) {
                g.writeName((String) field.getKey());
                writePlain(g, field.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> array) {
            g.writeStartArray();
            for (Object element : array) {
                writePlain(g, element);
            }
            g.writeEndArray();
        } else if (value instanceof String text) {
            g.writeString(text);
        } else if (value instanceof Integer number) {
            g.writeNumber(number);
        } else if (value instanceof Long number) {
            g.writeNumber(number);
        } else if (value instanceof java.math.BigInteger number) {
            g.writeNumber(number);
        } else if (value instanceof Double number) {
            g.writeNumber(number);
        } else if (value instanceof Boolean flag) {
            g.writeBoolean(flag);
        } else if (value == null) {
            g.writeNull();
        } else {
            throw new IllegalArgumentException("not a plain JSON value: " + value.getClass().getName());
        }
    }

    private static BitSet readPositions(JsonParser p) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ProtocolException("expected an array of positions", null);
        }
        BitSet positions = new BitSet();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            int position = p.getIntValue();
            if (position < 0) {
                throw new ProtocolException("a negative position: " + position, null);
            }
            positions.set(position);
        }
        return positions;
    }

    private static RemoteError readError(JsonNode node, int depth) {
        JsonNode cause = node.path("cause");
        List<RemoteError> suppressed = new ArrayList<>();
        for (JsonNode s : node.path("sup")) {
            if (suppressed.size() < RemoteError.MAX_SUPPRESSED && depth < RemoteError.MAX_CAUSES) {
                suppressed.add(readError(s, depth + 1));
            }
        }
        return new RemoteError(
                node.path("c").asString("?"),
                node.path("m").isNull() || node.path("m").isMissingNode() ? null : node.path("m").asString(),
                node.path("p").isMissingNode() ? null : node.path("p").asString(),
                readStack(node.path("st")),
                cause.isObject() && depth < RemoteError.MAX_CAUSES ? readError(cause, depth + 1) : null,
                List.copyOf(suppressed));
    }

    private static List<StackTraceElement> readStack(JsonNode frames) {
        List<StackTraceElement> stack = new ArrayList<>();
        for (JsonNode f : frames) {
            String file = f.path(2).isNull() ? null : f.path(2).asString();
            stack.add(new StackTraceElement(f.path(0).asString("?"), f.path(1).asString("?"), file, f.path(3).asInt(-1)));
        }
        return stack;
    }
}
