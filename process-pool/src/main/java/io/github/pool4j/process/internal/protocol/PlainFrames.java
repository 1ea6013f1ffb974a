package io.github.pool4j.process.internal.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import tools.jackson.databind.JavaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads by hand, instead of through a JSON parser, byte for byte as {@link Wire} writes them: the
 * two frames that carry a map's values when those are plain {@code Integer}s or {@code Long}s,
 * {@code {"t":"call","id":..,"task":..,"skip":[..],"in":[..]}} (with {@code "timed":false} before
 * {@code "skip"} when the tasks go untimed) and {@code {"t":"rs","id":..,"i":..,"ns":..,"vs":[..]}};
 * the frames that define a task, {@code {"t":"def","task":..,"def":{..}}} and
 * {@code {"t":"init","def":{..}}}, when the definition holds only ASCII strings without escapes,
 * integers, literals, arrays and objects, without white space; and {@code {"t":"bye"}}. A worker
 * whose frames are all read here never loads Jackson's parser, whose static set-up (on JDK 25,
 * {@code BigDecimal}'s tables of powers) is a sizeable part of a worker's start.
 *
 * <p>It only ever accepts: anything it is not sure of (another field order, white space, a number
 * with a leading zero, an {@code Integer} of more than nine digits, a {@code Long} out of range, a
 * type other than these two, an unknown call or task, trailing bytes, an escape or a non-ASCII byte
 * in a string, a fraction, nesting deeper than {@value #MAX_TREE_DEPTH}) makes it give up, and the
 * caller reads the frame with Jackson, which accepts or refuses it as it always did. What it
 * accepts, Jackson reads to the same message.
 *
 * <p>Thread-safety: stateless.
 */
final class PlainFrames {

    /** A number needs no more digits than this to be read by hand as an {@code int}. */
    private static final int INT_DIGITS = 9;
    /** Nor this as a {@code long}. */
    private static final int LONG_DIGITS = 18;

    private static final byte[] CALL = ascii("{\"t\":\"call\",\"id\":");
    private static final byte[] TASK = ascii(",\"task\":");
    private static final byte[] UNTIMED = ascii(",\"timed\":false");
    private static final byte[] SKIP = ascii(",\"skip\":[");
    private static final byte[] IN = ascii(",\"in\":");
    private static final byte[] RESULTS = ascii("{\"t\":\"rs\",\"id\":");
    private static final byte[] INDEX = ascii(",\"i\":");
    private static final byte[] NANOS = ascii(",\"ns\":");
    private static final byte[] VALUES = ascii(",\"vs\":");
    /** A reference to a typed segment as JSON text writes it: the quote, then {@code \u0001} escaped. */
    private static final byte[] REFERENCE = ascii("\"\\u0001");
    private static final byte[] DEFINE = ascii("{\"t\":\"def\",\"task\":");
    private static final byte[] DEFINITION = ascii(",\"def\":");
    private static final byte[] INIT = ascii("{\"t\":\"init\",\"def\":");
    private static final byte[] SHUTDOWN = ascii("{\"t\":\"bye\"}");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] NULL_LITERAL = ascii("null");
    /** How deep a definition read by hand may nest; pool4j's own nest two levels. */
    private static final int MAX_TREE_DEPTH = 8;

    private final byte[] buf;
    private final int end;
    /** The segments read before this frame, or null. */
    private final Segments.In segments;
    private int at;
    /** The last number read. */
    private long number;

    private PlainFrames(byte[] buf, int off, int len, Segments.In segments) {
        this.segments = segments;
        this.buf = buf;
        this.at = off;
        this.end = off + len;
    }

    /**
     * Reads a call or results frame of {@code Integer} or {@code Long} values, or a definition
     * frame, or returns {@code null} if the frame is anything else (the caller then reads it with
     * Jackson). A call's inputs or a results frame's values may be a reference to a typed segment
     * of {@code segments} instead of an array ({@link Wire#numbersSegment}).
     *
     * @throws ProtocolException if a reference names no segment held, one used already, or one
     *     whose length is not a whole number of values
     */
    static Decoded read(byte[] buf, int off, int len, Wire.Types types, Segments.In segments) {
        if (len < 11 || buf[off] != '{' || buf[off + 1] != '"' || buf[off + 2] != 't') {
            return null;
        }
        PlainFrames r = new PlainFrames(buf, off, len, segments);
        if (len == SHUTDOWN.length) {
            return r.skip(SHUTDOWN) ? new Message.Shutdown() : null;
        }
        return switch (buf[off + 6]) {
            case 'c' -> r.call(types);
            case 'r' -> r.results(types);
            case 'd' -> r.define();
            case 'i' -> r.init();
            default -> null;
        };
    }

    private Decoded define() {
        if (!skip(DEFINE) || !number(LONG_DIGITS)) {
            return null;
        }
        long task = number;
        if (!skip(DEFINITION)) {
            return null;
        }
        Map<String, Object> definition = at < end && buf[at] == '{' ? object(0) : null;
        return definition != null && at('}') && at == end ? new Message.Define(task, definition) : null;
    }

    private Decoded init() {
        if (!skip(INIT)) {
            return null;
        }
        Map<String, Object> definition = at < end && buf[at] == '{' ? object(0) : null;
        return definition != null && at('}') && at == end ? new Message.Init(definition) : null;
    }

    /** What {@link #value} returns for JSON's {@code null}, since {@code null} there means "give up". */
    private static final Object NULL = new Object();

    /**
     * Reads a JSON value made of ASCII strings without escapes, integers of up to
     * {@value #LONG_DIGITS} digits, literals, arrays and objects, without white space, as the plain
     * values {@link Wire#readPlain} gives ({@link #NULL} for {@code null}); {@code null} if it is
     * anything else.
     */
    private Object value(int depth) {
        if (at >= end || depth > MAX_TREE_DEPTH) {
            return null;
        }
        byte first = buf[at];
        if (first == '{') {
            return object(depth);
        }
        if (first == '[') {
            at++;
            List<Object> array = new ArrayList<>();
            if (at(']')) {
                return array;
            }
            do {
                Object value = value(depth + 1);
                if (value == null) {
                    return null;
                }
                array.add(value == NULL ? null : value);
            } while (at(','));
            return at(']') ? array : null;
        }
        if (first == '"') {
            return string();
        }
        if (first == '-' || first >= '0' && first <= '9') {
            if (!number(LONG_DIGITS)) {
                return null;
            }
            // As the parser types it: an int where it fits, else a long.
            return number == (int) number ? (Object) (int) number : (Object) number;
        }
        if (skip(TRUE)) {
            return Boolean.TRUE;
        }
        if (skip(FALSE)) {
            return Boolean.FALSE;
        }
        return skip(NULL_LITERAL) ? NULL : null;
    }

    /** Reads an object at an opening brace, as {@link #value} reads values; null if it cannot. */
    private Map<String, Object> object(int depth) {
        at++;
        Map<String, Object> object = new LinkedHashMap<>();
        if (at('}')) {
            return object;
        }
        do {
            String name = string();
            Object value = name != null && at(':') ? value(depth + 1) : null;
            if (value == null) {
                return null;
            }
            object.put(name, value == NULL ? null : value);
        } while (at(','));
        return at('}') ? object : null;
    }

    /** Reads a string of printable ASCII without escapes, quotes included; null if it is anything else. */
    private String string() {
        if (!at('"')) {
            return null;
        }
        int start = at;
        while (at < end && buf[at] != '"') {
            if (buf[at] < 0x20 || buf[at] > 0x7E || buf[at] == '\\') {
                return null;
            }
            at++;
        }
        if (at == end) {
            return null;
        }
        String text = new String(buf, start, at - start, StandardCharsets.US_ASCII);
        at++;
        return text;
    }

    private Decoded call(Wire.Types types) {
        if (!skip(CALL) || !number(LONG_DIGITS)) {
            return null;
        }
        long id = number;
        if (!skip(TASK) || !number(LONG_DIGITS)) {
            return null;
        }
        long task = number;
        boolean timed = !skip(UNTIMED);
        if (!skip(SKIP)) {
            return null;
        }
        BitSet skip = new BitSet();
        if (!at(']')) {
            do {
                if (!number(INT_DIGITS) || number < 0) {
                    return null;
                }
                skip.set((int) number);
            } while (at(','));
            if (!at(']')) {
                return null;
            }
        }
        Class<?> type = plainType(types.inputType(task));
        if (!skip(IN) || type == null) {
            return null;
        }
        List<Object> inputs = valuesOrSegment(type == Long.class);
        return inputs == null ? null : new Message.Call(id, task, skip, inputs, timed);
    }

    private Decoded results(Wire.Types types) {
        if (!skip(RESULTS) || !number(LONG_DIGITS)) {
            return null;
        }
        long id = number;
        if (!skip(INDEX) || !number(INT_DIGITS)) {
            return null;
        }
        int first = (int) number;
        long nanos = -1;
        if (startsWith(NANOS)) {
            if (!skip(NANOS) || !number(LONG_DIGITS)) {
                return null;
            }
            nanos = number;
        }
        Class<?> type = plainType(types.resultType(id));
        if (!skip(VALUES) || type == null) {
            return null;
        }
        List<Object> values = valuesOrSegment(type == Long.class);
        return values == null ? null : new Message.Results(id, first, values, nanos);
    }

    /** {@code Integer} or {@code Long} if values of {@code type} are read by hand, else null. */
    private static Class<?> plainType(JavaType type) {
        Class<?> raw = type == null ? null : type.getRawClass();
        return raw == Integer.class || raw == Long.class ? raw : null;
    }

    /**
     * Reads {@code [int,int,...]} (or {@code long}s, with {@code longs}; or {@code null}s), or a
     * reference to a typed segment of that width ({@code "\u0001i<seq>"}, {@code "\u0001l<seq>"}),
     * then the closing brace, which must end the frame.
     */
    private List<Object> valuesOrSegment(boolean longs) {
        if (at('[')) {
            return values(longs);
        }
        if (segments == null || !skip(REFERENCE) || at >= end || buf[at] != (longs ? Segments.LONGS : Segments.INTS)) {
            return null;
        }
        char kind = (char) buf[at++];
        if (!number(LONG_DIGITS) || number < 0 || !at('"') || !at('}') || at != end) {
            return null;
        }
        return segments.values(kind, number);
    }

    /**
     * Reads {@code int,int,...]} (or {@code long}s, with {@code longs}; or {@code null}s), the
     * opening bracket read already, then the closing brace, which must end the frame.
     */
    private List<Object> values(boolean longs) {
        List<Object> values = new ArrayList<>(count());
        if (!at(']')) {
            do {
                if (at + 4 <= end && buf[at] == 'n' && buf[at + 1] == 'u' && buf[at + 2] == 'l' && buf[at + 3] == 'l') {
                    at += 4;
                    values.add(null);
                } else if (longs ? anyLong() : number(INT_DIGITS)) {
                    values.add(longs ? (Object) number : (Object) (int) number);
                } else {
                    return null;
                }
            } while (at(','));
            if (!at(']')) {
                return null;
            }
        }
        return at('}') && at == end ? values : null;
    }

    /**
     * Counts the values up to the closing bracket: the commas that end a number or a {@code null}.
     * Each takes two bytes at least, so the count is never more than a well-formed frame of this
     * length holds.
     */
    private int count() {
        int commas = 0;
        for (int i = at; i < end && buf[i] != ']'; i++) {
            if (buf[i] == ',' && (buf[i - 1] >= '0' && buf[i - 1] <= '9' || buf[i - 1] == 'l')) {
                commas++;
            }
        }
        return commas + 1;
    }

    /**
     * Reads {@code -?(0|[1-9][0-9]*)} of at most {@code digits} digits into {@link #number};
     * false if the bytes are anything else, or go on with a character a JSON number may have.
     */
    private boolean number(int digits) {
        boolean negative = at < end && buf[at] == '-';
        int start = negative ? at + 1 : at;
        int i = start;
        long value = 0;
        while (i < end && buf[i] >= '0' && buf[i] <= '9') {
            value = value * 10 + (buf[i] - '0');
            i++;
        }
        if (i - start > digits || !isInteger(start, i)) {
            return false;
        }
        number = negative ? -value : value;
        at = i;
        return true;
    }

    /**
     * Reads any {@code long}, {@code -?(0|[1-9][0-9]*)} from {@link Long#MIN_VALUE} to
     * {@link Long#MAX_VALUE}, into {@link #number}; false if out of range or not such a number. It
     * adds digits below zero, as {@link Long#parseLong} does, since the negative range is one larger.
     */
    private boolean anyLong() {
        boolean negative = at < end && buf[at] == '-';
        int start = negative ? at + 1 : at;
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long beforeLastDigit = limit / 10;
        long value = 0;
        int i = start;
        while (i < end && buf[i] >= '0' && buf[i] <= '9') {
            int digit = buf[i] - '0';
            if (value < beforeLastDigit || value * 10 < limit + digit) {
                return false;
            }
            value = value * 10 - digit;
            i++;
        }
        if (!isInteger(start, i)) {
            return false;
        }
        number = negative ? value : -value;
        at = i;
        return true;
    }

    /**
     * Whether the digits from {@code start} to {@code stop} are a JSON integer: at least one, no
     * leading zero, and not the start of a fraction or an exponent.
     */
    private boolean isInteger(int start, int stop) {
        int count = stop - start;
        return count > 0 && (count == 1 || buf[start] != '0')
                && !(stop < end && (buf[stop] == '.' || buf[stop] == 'e' || buf[stop] == 'E'));
    }

    private boolean at(char c) {
        if (at < end && buf[at] == c) {
            at++;
            return true;
        }
        return false;
    }

    private boolean startsWith(byte[] text) {
        if (end - at < text.length) {
            return false;
        }
        for (int i = 0; i < text.length; i++) {
            if (buf[at + i] != text[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean skip(byte[] text) {
        if (!startsWith(text)) {
            return false;
        }
        at += text.length;
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
