package io.github.pool4j.process.internal.protocol;

import io.github.pool4j.codec.NumberLists;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.Base64Variant;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.util.JsonGeneratorDelegate;
import tools.jackson.core.util.JsonParserDelegate;
import tools.jackson.databind.JavaType;

/**
 * Raw segments: large binary values and long strings that travel beside a frame as their own bytes
 * (a string as UTF-8) rather than as base64 or escaped text inside it.
 *
 * <p>A segment is the line {@link #SENTINEL}{@code <seq> <length>\n} followed by exactly
 * {@code length} raw bytes. The segments of a frame come before it; where the value sits, the
 * frame's JSON holds the reference {@code "\u0001<seq>"}, a string no base64 text can be; a value
 * string that starts with {@code \u0001}, however short, always travels as a segment, so a
 * reference is never mistaken for a value. References are resolved only inside values, never in
 * the frame's own fields. The reader keeps the segments it read ({@link In}) until the next frame,
 * which takes each by its number, once (a binary value) or reads it as text; the frame after it
 * starts afresh. Numbers are the writer's (a counter per writer), so a writer that gathers several
 * values into one frame need not renumber them.
 *
 * <p>Bounds, checked by both ends before they allocate: one frame's segments may take at most
 * {@code maxPayloadBytes}, each counted as its length plus {@link Limits#SEGMENT_OVERHEAD}. A
 * writer keeps within it ({@link Out}); a reader refuses a declared length past it, a malformed
 * header, a reference to a segment it does not hold or one it gave out already, with a
 * {@link ProtocolException}. A writer also counts the UTF-8 bytes of the strings it takes out
 * against the frame's own limit ({@link Out#textBytes}), so a string may be no longer than it
 * could be inside the frame: moving it out changes its cost, not what may travel.
 *
 * <p>Lists of numbers: a value declared {@code List<Integer>}, {@code ArrayList<Integer>} or
 * {@code int[]} (and the same with {@code Long}/{@code long[]}) of at least {@link #MIN_NUMBERS}
 * elements, none of them {@code null}, travels as a segment of little-endian 32-bit (64-bit)
 * integers, referred to as {@code "\u0001i<seq>"} ({@code "\u0001l<seq>"}). Its reader decodes it
 * into the array; for a declared {@code List}, into a list that behaves as the JSON path's
 * {@code ArrayList} of the boxed type but keeps the numbers in one array ({@link NumberLists}); for
 * a declared {@code ArrayList}, into an {@code ArrayList}. It refuses such a reference anywhere
 * else, or for another declared type, or a length that is not a whole number of elements, with a
 * {@link ProtocolException}: a writer sends one only
 * where both ends declare one of these types. Like a string, such a list counts against the frame
 * as its JSON text would, and one that would not fit the segments' bound stays JSON text.
 *
 * <p>Whole frames of numbers: a call's inputs declared {@code Integer} (or {@code Long}), or a
 * results frame's {@code Integer} values, at least {@link #MIN_NUMBERS} and each exactly that class,
 * travel the same way as one typed segment, the frame's {@code "in"} or {@code "vs"} then holding
 * the reference in place of the array ({@link Wire#numbersSegment}, {@link Wire#writeIntResults});
 * they decode into a list that keeps the numbers in one array. The same bounds apply, and a
 * reader refuses such a reference for any other declared type or of the other width.
 *
 * <p>Thread-safety: {@link Out} and {@link In} are not thread-safe (one writer, one reader thread).
 */
public final class Segments {

    /** Starts every segment header: ASCII record separator, then {@code p4j#}. */
    public static final byte[] SENTINEL = {0x1E, 'p', '4', 'j', '#'};

    /** Binary values shorter than this stay inside the frame as base64: not worth a segment. */
    public static final int MIN_BYTES = 512;

    /** Strings shorter than this (in chars) stay inside the frame as JSON text. */
    public static final int MIN_CHARS = 8 * 1024;

    /**
     * Binary values at least this long may be kept as they are instead of copied, by a writer that
     * writes them at once ({@link Out#borrowLarge}); shorter ones are cheap to copy and let results
     * gather into fewer frames.
     */
    public static final int BORROW_MIN_BYTES = 64 * 1024;

    /** Lists and arrays of fewer numbers than this stay inside the frame as JSON text. */
    public static final int MIN_NUMBERS = 128;

    /** No parts: a frame without segments. */
    public static final byte[][] NONE = new byte[0][];

    /** Starts a reference: a character base64 never produces. */
    static final char REFERENCE = '\u0001';

    /** After {@link #REFERENCE}: a segment of little-endian 32-bit integers. */
    static final char INTS = 'i';

    /** After {@link #REFERENCE}: a segment of little-endian 64-bit integers. */
    static final char LONGS = 'l';

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The longest header line after the sentinel: two longs and a space. */
    private static final int MAX_HEADER = 40;

    private Segments() {}

    /**
     * Tells whether a line is a segment header.
     *
     * @param buf the line's bytes
     * @param len the line's length
     * @return whether it starts with {@link #SENTINEL}
     */
    public static boolean isHeader(byte[] buf, int len) {
        if (len < SENTINEL.length) {
            return false;
        }
        for (int i = 0; i < SENTINEL.length; i++) {
            if (buf[i] != SENTINEL[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Encodes a segment's header line.
     *
     * @param seq the segment's number
     * @param length its length in bytes
     * @return the line, newline included
     */
    static byte[] header(long seq, int length) {
        byte[] text = (seq + " " + length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(SENTINEL, SENTINEL.length + text.length);
        System.arraycopy(text, 0, out, SENTINEL.length, text.length);
        return out;
    }

    // ---- writing ----------------------------------------------------------------------------------

    /**
     * The segments one writer takes out of the values it encodes, up to a bound. Not thread-safe.
     */
    public static final class Out {
        private final long limit;
        private final boolean enabled;
        private long seq;
        /** Header, bytes, header, bytes... of the segments taken since the last {@link #drain}. */
        private final List<byte[]> parts = new ArrayList<>();
        private long cost;
        private boolean overflowed;
        private boolean borrowLarge;
        /** Whether a segment taken since the last drain is a value's own array, not a copy. */
        private boolean borrowed;
        /** The UTF-8 bytes of the strings taken, which count against the frame's own limit. */
        private long textBytes;
        private long textLimit = Long.MAX_VALUE;
        /** Per segment taken, in order: the frame bytes it counts (a string's, a number list's), or 0. */
        private final List<Long> texts = new ArrayList<>();

        /**
         * Creates a writer's segments.
         *
         * @param maxPayloadBytes the bound on one frame's segments
         * @param enabled whether to take values out at all (else binary values stay base64 and
         *     strings stay JSON text in the frame)
         */
        public Out(long maxPayloadBytes, boolean enabled) {
            this.limit = maxPayloadBytes;
            this.enabled = enabled;
        }

        /**
         * Sets whether binary values of at least {@link #BORROW_MIN_BYTES} taken until the next
         * {@link #drain} are kept as the value's own array instead of a copy. Only for a value that is itself a
         * {@code byte[]} (which Jackson writes as it is: a serializer of another type may write a
         * scratch array it reuses), and for a writer that writes the frame before the code that
         * made the value runs again; it asks {@link #borrowed()}.
         *
         * @param borrow whether to keep large binary values uncopied
         */
        public void borrowLarge(boolean borrow) {
            this.borrowLarge = borrow;
        }

        /**
         * Tells whether a segment taken since the last drain is a value's own array, not a copy:
         * its frame must be written before the value's owner can change it.
         *
         * @return whether a value was borrowed
         */
        public boolean borrowed() {
            return borrowed;
        }

        /**
         * Wraps {@code g} so that binary values of at least {@link #MIN_BYTES} and strings of at
         * least {@link #MIN_CHARS} (or starting with the reference character) become segments here.
         *
         * @param g the frame's generator
         * @return the generator to write values through
         */
        public JsonGenerator wrap(JsonGenerator g) {
            return enabled ? new Taking(g, this) : g;
        }

        /**
         * Tells whether values are taken out at all (the channel is the pool's own).
         *
         * @return whether segments are written
         */
        public boolean enabled() {
            return enabled;
        }

        /** Whether the segments taken passed the bound: the frame is not to be sent. */
        public boolean overflowed() {
            return overflowed;
        }

        /**
         * Sets how many UTF-8 bytes of strings may be taken out before the frame counts as too
         * large for {@code maxFrameBytes}; strings past it are not even encoded.
         *
         * @param limit the room left in the frame
         */
        public void textLimit(long limit) {
            this.textLimit = limit;
        }

        /** The UTF-8 bytes of the strings taken since the last drain; they count against the frame. */
        public long textBytes() {
            return textBytes;
        }

        /** Whether the strings taken would not fit in the frame: it is too large for maxFrameBytes. */
        public boolean textOverflowed() {
            return textBytes > textLimit;
        }

        /** What the segments taken since the last drain count against {@code maxPayloadBytes}. */
        public long cost() {
            return cost;
        }

        /** How many parts were taken so far, for {@link #truncate}. */
        public int mark() {
            return parts.size();
        }

        /**
         * Drops the segments taken after {@code mark} (a value that failed halfway).
         *
         * @param mark what {@link #mark} said before the value
         */
        public void truncate(int mark) {
            while (parts.size() > mark) {
                byte[] data = parts.remove(parts.size() - 1);
                parts.remove(parts.size() - 1);
                cost -= Limits.segmentCost(data.length);
                textBytes -= texts.remove(texts.size() - 1);
            }
            if (cost <= limit) {
                overflowed = false;
            }
        }

        /**
         * Returns the parts taken since the last drain (header, bytes, ...) and forgets them.
         *
         * @return the parts, to be written before the frame; empty if none
         */
        public byte[][] drain() {
            cost = 0;
            overflowed = false;
            textBytes = 0;
            texts.clear();
            borrowed = false;
            borrowLarge = false;
            if (parts.isEmpty()) {
                return NONE;
            }
            byte[][] out = parts.toArray(new byte[0][]);
            parts.clear();
            return out;
        }

        /** Takes {@code data[off, off+len)} as a segment, a copy unless it may be borrowed; returns its reference. */
        String take(byte[] data, int off, int len) {
            if (borrowLarge && len >= BORROW_MIN_BYTES && off == 0 && len == data.length) {
                String reference = take(data, off, len, false);
                borrowed |= !overflowed;
                return reference;
            }
            return take(data, off, len, true);
        }

        /** Takes a string as a segment of its UTF-8 bytes; returns its reference. */
        String take(String text) {
            // At least one byte per char: a string that cannot fit is refused before it is encoded.
            if (textBytes + text.length() > textLimit) {
                textBytes = Math.max(textBytes, textLimit) + text.length();
                return REFERENCE + "-";
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            textBytes += utf8.length;
            if (textBytes > textLimit) {
                return REFERENCE + "-";
            }
            // Not copied: a fresh array, and a string cannot change.
            String reference = take(utf8, 0, utf8.length, false);
            if (!overflowed) {
                texts.set(texts.size() - 1, (long) utf8.length);
            }
            return reference;
        }

        /**
         * Takes a list or array of numbers declared as {@code declared} as a typed segment, if it is
         * one that travels so ({@link Segments}); returns its reference, or {@code null} to write it
         * as JSON. One that would pass the segments' bound or the frame's room stays JSON, which
         * then fails (or fits) exactly as before.
         */
        String takeNumbers(Object value, JavaType declared) {
            char kind = kindOf(declared);
            if (kind == 0 || value == null) {
                return null;
            }
            int n = value instanceof List<?> list ? list.size()
                    : value instanceof int[] ints ? ints.length
                    : value instanceof long[] longs ? longs.length : -1;
            int width = kind == INTS ? 4 : 8;
            if (n < MIN_NUMBERS || (long) n * width > Integer.MAX_VALUE - 8
                    || overflowed || cost + Limits.segmentCost((long) n * width) > limit) {
                return null;
            }
            byte[] data = new byte[n * width];
            // The JSON text it stands for: digits, commas and brackets, counted against the frame.
            long json = n + 1L;
            if (value instanceof List<?> list && NumberLists.intArray(list) != null) {
                value = NumberLists.intArray(list); // n of them are the list's
            } else if (value instanceof List<?> list && NumberLists.longArray(list) != null) {
                value = NumberLists.longArray(list);
            }
            if (value instanceof int[] ints) {
                if (kind != INTS) {
                    return null;
                }
                putInts(data, ints, n);
                for (int i = 0; i < n; i++) {
                    json += digits(ints[i]);
                }
            } else if (value instanceof long[] longs) {
                if (kind != LONGS) {
                    return null;
                }
                java.nio.ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(longs, 0, n);
                for (int i = 0; i < n; i++) {
                    json += digits(longs[i]);
                }
            } else {
                Class<?> element = kind == INTS ? Integer.class : Long.class;
                int i = 0;
                for (Object e : (List<?>) value) {
                    // Another class (heap pollution), a null, or a list that grew: JSON decides.
                    if (e == null || e.getClass() != element || i == n) {
                        return null;
                    }
                    if (kind == INTS) {
                        int v = (Integer) e;
                        INT.set(data, i * 4, v);
                        json += digits(v);
                    } else {
                        long v = (Long) e;
                        LONG.set(data, i * 8, v);
                        json += digits(v);
                    }
                    i++;
                }
                if (i != n) {
                    return null;
                }
            }
            if (textBytes + json > textLimit) {
                return null;
            }
            // Not copied: a fresh array, already a snapshot of the value.
            String reference = take(data, 0, data.length, false);
            textBytes += json;
            texts.set(texts.size() - 1, json);
            return REFERENCE + (kind + reference.substring(1));
        }

        /** Takes {@code data[off, off+len)} as a segment, copied or not; returns its reference. */
        String take(byte[] data, int off, int len, boolean copy) {
            long next = Limits.segmentCost(len);
            if (overflowed || cost + next > limit) {
                overflowed = true;
                // Nothing is kept: the frame will not be sent, and a huge value must not cost memory twice.
                return REFERENCE + "-";
            }
            long number = seq++;
            // A copy: the value is what it was when it was encoded, whatever its owner does next.
            parts.add(header(number, len));
            parts.add(copy || off != 0 || len != data.length ? Arrays.copyOfRange(data, off, off + len) : data);
            cost += next;
            texts.add(0L);
            return REFERENCE + Long.toString(number);
        }
    }

    /** Writes the first {@code n} of {@code values} into {@code data} as little-endian 32-bit numbers. */
    static void putInts(byte[] data, int[] values, int n) {
        java.nio.ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(values, 0, n);
    }

    /**
     * Tells whether {@code values} are a frame's values read from a typed segment ({@link In#values}):
     * numbers, none of them {@code null} or unreadable.
     *
     * @param values a frame's values
     * @return whether they came from a typed segment
     */
    public static boolean areFrameNumbers(List<?> values) {
        return values instanceof FrameNumbers;
    }

    /** A frame's numbers, read in place from their segment's little-endian bytes. */
    private static final class FrameNumbers extends java.util.AbstractList<Object> implements java.util.RandomAccess {
        private final byte[] data;
        private final boolean ints;

        FrameNumbers(byte[] data, boolean ints) {
            this.data = data;
            this.ints = ints;
        }

        @Override
        public Object get(int index) {
            java.util.Objects.checkIndex(index, size());
            return ints ? (Object) (int) INT.get(data, index * 4) : (Object) (long) LONG.get(data, index * 8);
        }

        @Override
        public int size() {
            return data.length / (ints ? 4 : 8);
        }
    }

    /**
     * The kind of typed segment a value declared as {@code type} may travel as: {@link #INTS},
     * {@link #LONGS}, or 0 if none.
     */
    static char kindOf(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw == int[].class) {
            return INTS;
        }
        if (raw == long[].class) {
            return LONGS;
        }
        // Only the declared types whose JSON reads back as an ArrayList of that element class.
        if ((raw == List.class || raw == ArrayList.class) && type.getContentType() != null) {
            Class<?> element = type.getContentType().getRawClass();
            return element == Integer.class ? INTS : element == Long.class ? LONGS : 0;
        }
        return 0;
    }

    /**
     * Writes {@code value}, declared as {@code declared}, as a reference to a typed segment if
     * {@code g} takes segments and the value travels so.
     *
     * @param g the generator, as {@link Out#wrap} returned it
     * @param value the value
     * @param declared its declared type
     * @return whether it was written; if not, nothing was
     */
    public static boolean writeNumbers(JsonGenerator g, Object value, JavaType declared) {
        if (!(g instanceof Taking taking)) {
            return false;
        }
        String reference = taking.out.takeNumbers(value, declared);
        if (reference == null) {
            return false;
        }
        taking.writeReference(reference);
        return true;
    }

    /** Powers of ten up to 10^18, for {@link #digits}. */
    private static final long[] POWERS = new long[19];

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    /**
     * Returns the characters of {@code v} in decimal, its sign included: what the number costs as
     * JSON text. Branch-light, called per element.
     *
     * @param v the number
     * @return its length in decimal
     */
    public static int digits(long v) {
        if (v < 0) {
            return v == Long.MIN_VALUE ? 20 : 1 + digits(-v);
        }
        // log10 from the bit length (1233 / 4096 ~ log10(2)), then one comparison to correct it.
        int d = ((64 - Long.numberOfLeadingZeros(v | 1)) * 1233) >>> 12;
        return Math.max(1, d + (v >= POWERS[d] ? 1 : 0));
    }

    /** Writes large binary values as references, taking their bytes out as segments. */
    private static final class Taking extends JsonGeneratorDelegate {
        private final Out out;

        Taking(JsonGenerator g, Out out) {
            super(g, true);
            this.out = out;
        }

        void writeReference(String reference) {
            delegate.writeString(reference);
        }

        @Override
        public JsonGenerator writeBinary(Base64Variant variant, byte[] data, int offset, int len) {
            if (len < MIN_BYTES) {
                return super.writeBinary(variant, data, offset, len);
            }
            return delegate.writeString(out.take(data, offset, len));
        }

        @Override
        public JsonGenerator writeString(String text) {
            if (text == null || !travelsRaw(text)) {
                return super.writeString(text);
            }
            return delegate.writeString(out.take(text));
        }

        @Override
        public JsonGenerator writeString(char[] text, int offset, int len) {
            if (len < MIN_CHARS && (len == 0 || text[offset] != REFERENCE)) {
                return super.writeString(text, offset, len);
            }
            return writeString(new String(text, offset, len));
        }

        @Override
        public JsonGenerator writeString(SerializableString text) {
            String value = text.getValue();
            if (!value.isEmpty() && value.charAt(0) == REFERENCE) {
                return writeString(value);
            }
            return super.writeString(text);
        }

        private static boolean travelsRaw(String text) {
            return text.length() >= MIN_CHARS || (!text.isEmpty() && text.charAt(0) == REFERENCE);
        }
    }

    // ---- reading ----------------------------------------------------------------------------------

    /**
     * The segments a reader read for the next frame, within {@code maxPayloadBytes}. Not thread-safe.
     */
    public static final class In {
        private final long limit;
        private final Map<Long, byte[]> held = new HashMap<>();
        private final Map<Long, byte[]> given = new HashMap<>();
        private long cost;

        /**
         * Creates a reader's segments.
         *
         * @param maxPayloadBytes the bound on one frame's segments
         */
        public In(long maxPayloadBytes) {
            this.limit = maxPayloadBytes;
        }

        /**
         * Reads a header line and checks it against the bound, before anything is allocated.
         *
         * @param buf the line ({@link #isHeader} is true)
         * @param len its length, without the newline
         * @return the segment's number and length
         * @throws ProtocolException if the header is malformed, its number is held already, or the
         *     length would take this frame's segments past {@code maxPayloadBytes}
         */
        public long[] accept(byte[] buf, int len) {
            int at = SENTINEL.length;
            if (len - at > MAX_HEADER) {
                throw new ProtocolException("a segment header of " + len + " bytes", null);
            }
            String text = new String(buf, at, len - at, StandardCharsets.US_ASCII);
            int space = text.indexOf(' ');
            long seq;
            long length;
            try {
                seq = Long.parseLong(text.substring(0, Math.max(0, space)));
                length = Long.parseLong(text.substring(space + 1));
            } catch (NumberFormatException e) {
                throw new ProtocolException("a malformed segment header \"" + text + "\"", null);
            }
            if (length < 0 || seq < 0) {
                throw new ProtocolException("a malformed segment header \"" + text + "\"", null);
            }
            // length > limit first: the sum below would overflow for a declared length near Long.MAX_VALUE.
            if (length > limit || cost + Limits.segmentCost(length) > limit) {
                throw new ProtocolException("a segment of " + length + " bytes takes a frame's segments past"
                        + " maxPayloadBytes (" + limit + ")", null);
            }
            if (held.containsKey(seq)) {
                throw new ProtocolException("segment " + seq + " sent twice", null);
            }
            return new long[] {seq, length};
        }

        /**
         * Holds a segment's bytes for the next frame.
         *
         * @param seq its number, as {@link #accept} returned it
         * @param data its bytes
         */
        public void add(long seq, byte[] data) {
            cost += Limits.segmentCost(data.length);
            held.put(seq, data);
        }

        /** Whether no segment is held. */
        public boolean isEmpty() {
            return held.isEmpty();
        }

        /** Forgets every segment: called after each frame. */
        public void clear() {
            if (!held.isEmpty() || !given.isEmpty()) {
                held.clear();
                given.clear();
            }
            cost = 0;
        }

        /** Takes the segments given out back, for a second reading of the same frame. */
        void rewind() {
            if (!given.isEmpty()) {
                held.putAll(given);
                given.clear();
            }
        }

        /** Returns the text a reference names, decoded from UTF-8; throws if it names no segment. */
        String text(String reference) {
            long seq = number(reference);
            byte[] data = held.get(seq);
            if (data == null) {
                data = given.get(seq);
            }
            if (data == null) {
                throw new ProtocolException("a reference to segment " + seq + ", which was not sent", null);
            }
            return new String(data, StandardCharsets.UTF_8);
        }

        private static long number(String reference) {
            try {
                return Long.parseLong(reference.substring(1));
            } catch (NumberFormatException e) {
                throw new ProtocolException("a malformed segment reference", null);
            }
        }

        /**
         * Decodes the typed segment a reference names, once, as {@code type}: an {@code ArrayList}
         * of {@code Integer} or {@code Long}, or an {@code int[]} or {@code long[]}.
         *
         * @throws ProtocolException if it names no segment, one used already, its length is not a
         *     whole number of elements, or {@code type} is not one such a segment is sent for
         */
        Object numbers(String reference, JavaType type) {
            char kind = reference.charAt(1);
            if (kindOf(type) != kind) {
                throw new ProtocolException("a list of numbers where " + type.toCanonical() + " is expected", null);
            }
            byte[] data = take(REFERENCE + reference.substring(2));
            int n = count(kind, data);
            boolean array = type.getRawClass().isArray();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            if (kind == INTS) {
                int[] out = new int[n];
                bytes.asIntBuffer().get(out);
                // A list as compact as the array: the JSON path's ArrayList in behaviour, not in boxes.
                return array ? out : asDeclared(NumberLists.ofInts(out), type);
            }
            long[] out = new long[n];
            bytes.asLongBuffer().get(out);
            return array ? out : asDeclared(NumberLists.ofLongs(out), type);
        }

        /**
         * Reads typed segment number {@code seq}, once, as the values of a whole call or results
         * frame ({@link Wire#callBody}): a read-only list of {@code Integer}s for {@link #INTS}, of
         * {@code Long}s for {@link #LONGS}, over the segment's bytes (each value is boxed as it
         * is read, and nothing else is copied).
         *
         * @throws ProtocolException if it names no segment, one used already, or its length is not
         *     a whole number of elements
         */
        List<Object> values(char kind, long seq) {
            byte[] data = take(REFERENCE + Long.toString(seq));
            count(kind, data);
            return new FrameNumbers(data, kind == INTS);
        }

        /**
         * How many numbers of this kind a segment holds.
         *
         * @throws ProtocolException if its length is not a whole number of them
         */
        private static int count(char kind, byte[] data) {
            int width = kind == INTS ? 4 : 8;
            if (data.length % width != 0) {
                throw new ProtocolException("a segment of " + data.length + " bytes for "
                        + (kind == INTS ? "32" : "64") + "-bit numbers", null);
            }
            return data.length / width;
        }

        /** A task declared to take or give an {@code ArrayList} gets one: its boxes are the price of the type. */
        private static List<?> asDeclared(List<?> numbers, JavaType type) {
            return type.getRawClass() == ArrayList.class ? new ArrayList<>(numbers) : numbers;
        }

        /** Returns the bytes a reference names, once; throws if there are none. */
        byte[] take(String reference) {
            long seq = number(reference);
            byte[] data = held.remove(seq);
            if (data == null) {
                throw new ProtocolException("a reference to segment " + seq + ", which "
                        + (given.containsKey(seq) ? "was used already" : "was not sent"), null);
            }
            given.put(seq, data);
            return data;
        }

        /**
         * Wraps {@code p} so that a binary value read from a reference is the segment's bytes.
         *
         * @param p the frame's parser
         * @return the parser to read values through
         */
        Reading wrap(JsonParser p) {
            return new Reading(p, this);
        }
    }

    /**
     * Reads references as their segments, inside values only ({@link #values}): a binary value as
     * the segment's bytes, given out once; a string as its text. A bad reference is remembered as
     * well as thrown: a value's deserializer may wrap what it throws, but it must still break the
     * protocol.
     */
    static final class Reading extends JsonParserDelegate {
        private final In in;
        ProtocolException failure;
        /** Whether the parser is inside a value, where references stand for segments. */
        boolean values;
        /** The reference last read as text, and its text: a deserializer may ask twice. */
        private String lastReference;
        private String lastText;

        Reading(JsonParser p, In in) {
            super(p);
            this.in = in;
        }

        /** Whether the current token, inside a value, refers to a typed segment (a list of numbers). */
        boolean atNumbers() {
            if (!values || delegate.currentToken() != JsonToken.VALUE_STRING) {
                return false;
            }
            String text = delegate.getString();
            return text.length() > 1 && text.charAt(0) == REFERENCE
                    && (text.charAt(1) == INTS || text.charAt(1) == LONGS);
        }

        /**
         * Reads the typed segment the current token refers to as {@code type} ({@link #atNumbers}).
         *
         * @throws ProtocolException as {@link In#numbers} does
         */
        Object readNumbers(JavaType type) {
            try {
                return in.numbers(delegate.getString(), type);
            } catch (ProtocolException e) {
                failure = e;
                throw e;
            }
        }

        /**
         * Reads the current string token, the frame's field {@code field}, as a reference to a
         * typed segment of {@code kind} holding the values of the whole frame ({@link In#values}).
         *
         * @throws ProtocolException if the string is not such a reference, or as {@link In#values} does
         */
        List<Object> frameValues(char kind, String field) {
            String text = delegate.getString();
            if (text.length() < 3 || text.charAt(0) != REFERENCE || text.charAt(1) != kind) {
                throw new ProtocolException("\"" + field + "\" must be an array", null);
            }
            long seq;
            try {
                seq = Long.parseLong(text, 2, text.length(), 10);
            } catch (NumberFormatException e) {
                seq = -1;
            }
            if (seq < 0 || text.charAt(2) == '+') {
                throw new ProtocolException("a malformed segment reference", null);
            }
            try {
                return in.values(kind, seq);
            } catch (ProtocolException e) {
                failure = e;
                throw e;
            }
        }

        /** The current token's reference, or null if it is not one (or not inside a value). */
        private String reference() {
            if (!values || delegate.currentToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            String text = delegate.getString();
            return !text.isEmpty() && text.charAt(0) == REFERENCE ? text : null;
        }

        /** The text of the current token's reference, or null if it is not one. */
        private String resolved() {
            String reference = reference();
            if (reference == null) {
                return null;
            }
            if (!reference.equals(lastReference)) {
                try {
                    lastText = in.text(reference);
                } catch (ProtocolException e) {
                    failure = e;
                    throw e;
                }
                lastReference = reference;
            }
            return lastText;
        }

        @Override
        public byte[] getBinaryValue(Base64Variant variant) {
            String reference = reference();
            if (reference != null) {
                try {
                    return in.take(reference);
                } catch (ProtocolException e) {
                    failure = e;
                    throw e;
                }
            }
            return super.getBinaryValue(variant);
        }

        @Override
        public String getString() {
            String text = resolved();
            return text != null ? text : super.getString();
        }

        @Override
        public String getValueAsString() {
            String text = resolved();
            return text != null ? text : super.getValueAsString();
        }

        @Override
        public String getValueAsString(String defaultValue) {
            String text = resolved();
            return text != null ? text : super.getValueAsString(defaultValue);
        }

        @Override
        public boolean hasStringCharacters() {
            return reference() == null && super.hasStringCharacters();
        }

        @Override
        public char[] getStringCharacters() {
            String text = resolved();
            return text != null ? text.toCharArray() : super.getStringCharacters();
        }

        @Override
        public int getStringOffset() {
            return reference() != null ? 0 : super.getStringOffset();
        }

        @Override
        public int getStringLength() {
            String text = resolved();
            return text != null ? text.length() : super.getStringLength();
        }

        @Override
        public int getString(java.io.Writer writer) {
            String text = resolved();
            if (text == null) {
                return super.getString(writer);
            }
            try {
                writer.write(text);
            } catch (java.io.IOException e) {
                throw tools.jackson.core.exc.JacksonIOException.construct(e);
            }
            return text.length();
        }

        @Override
        public long readString(java.io.Writer writer) {
            return getString(writer);
        }
    }
}
