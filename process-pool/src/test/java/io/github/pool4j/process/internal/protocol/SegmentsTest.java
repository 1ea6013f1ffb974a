package io.github.pool4j.process.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.TaskDefinition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;

/** Large binary values travel as raw segments beside their frame, within maxPayloadBytes on both ends. */
class SegmentsTest {

    private static final long MAX_PAYLOAD = 1 << 20;

    private final Json json = new Json(1 << 20);
    private final Wire wire = new Wire(json);
    private final JavaType bytes = json.data().constructType(byte[].class);

    /** A value that holds binary values deep inside. */
    record Holder(String name, List<byte[]> parts) {}

    private Wire.Types types(JavaType type) {
        return FixedTypes.of(type, type);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Reads the segment lines of {@code parts} as a reader does, then the frame after them. */
    private Decoded receive(byte[][] parts, byte[] frame, JavaType type, Segments.In in) {
        for (int k = 0; k < parts.length; k += 2) {
            byte[] header = parts[k];
            assertTrue(Segments.isHeader(header, header.length - 1));
            long[] h = in.accept(header, header.length - 1);
            assertEquals(parts[k + 1].length, h[1]);
            in.add(h[0], parts[k + 1].clone());
        }
        int start = Wire.SENTINEL.length;
        return wire.read(frame, start, frame.length - start - 1, types(type), in);
    }

    @Test
    void call_binaryInputs_travelRawAndArriveEqual() {
        List<Object> inputs = Arrays.asList(new byte[0], new byte[] {1}, random(Segments.MIN_BYTES - 1),
                random(Segments.MIN_BYTES), random(300_000), null);
        Segments.Out out = new Segments.Out(MAX_PAYLOAD, true);
        Wire.Body body = wire.callBody(inputs, bytes, 1 << 20, out);
        // Two are large enough for a segment; the frame holds references, not their base64.
        assertEquals(4, body.segments().length);
        assertTrue(body.bytes().length < 2 * Segments.MIN_BYTES, "frame of " + body.bytes().length + " bytes");
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(wire.callHead(1, 2, new BitSet()));
        frame.writeBytes(body.bytes());
        Message.Call call = assertInstanceOf(Message.Call.class,
                receive(body.segments(), frame.toByteArray(), bytes, new Segments.In(MAX_PAYLOAD)));
        assertEquals(inputs.size(), call.inputs().size());
        for (int i = 0; i < inputs.size(); i++) {
            assertArrayEquals((byte[]) inputs.get(i), (byte[]) call.inputs().get(i), "input " + i);
        }
    }

    @Test
    void call_binaryNestedInRecordAndObjectSlots_arrivesEqual() {
        JavaType holder = json.data().constructType(Holder.class);
        Holder value = new Holder("h", List.of(random(2000), new byte[] {7}, random(5000)));
        Segments.Out out = new Segments.Out(MAX_PAYLOAD, true);
        Wire.Body body = wire.callBody(List.of(value), holder, 1 << 20, out);
        assertEquals(4, body.segments().length);
        byte[] frame = concat(wire.callHead(1, 2, new BitSet()), body.bytes());
        Message.Call call = assertInstanceOf(Message.Call.class,
                receive(body.segments(), frame, holder, new Segments.In(MAX_PAYLOAD)));
        Holder read = (Holder) call.inputs().get(0);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(value.parts().get(i), read.parts().get(i));
        }
        // Declared Object: the class name travels beside the reference.
        JavaType object = json.data().constructType(Object.class);
        Segments.Out out2 = new Segments.Out(MAX_PAYLOAD, true);
        byte[] big = random(4000);
        Wire.Body typed = wire.callBody(List.of(big), object, 1 << 20, out2);
        assertEquals(2, typed.segments().length);
        Message.Call again = assertInstanceOf(Message.Call.class, receive(typed.segments(),
                concat(wire.callHead(1, 2, new BitSet()), typed.bytes()), object, new Segments.In(MAX_PAYLOAD)));
        assertArrayEquals(big, (byte[]) again.inputs().get(0));
    }

    @Test
    void result_binary_travelsRaw() {
        TaskDefinition.Loaded task = new TaskDefinition.Loaded(null, bytes, bytes, json);
        byte[] value = random(100_000);
        Segments.Out out = new Segments.Out(MAX_PAYLOAD, true);
        byte[] frame = wire.result(3, 0, value, task, -1, out);
        byte[][] parts = out.drain();
        assertEquals(2, parts.length);
        assertTrue(frame.length < 200, "frame of " + frame.length + " bytes");
        Message.Result result = assertInstanceOf(Message.Result.class,
                receive(parts, frame, bytes, new Segments.In(MAX_PAYLOAD)));
        assertArrayEquals(value, (byte[]) result.value());
    }

    @Test
    void writer_keepsBinaryInTheFrame_whenSegmentsAreOff() {
        Segments.Out off = new Segments.Out(MAX_PAYLOAD, false);
        Wire.Body body = wire.callBody(List.of(random(4000)), bytes, 1 << 20, off);
        assertEquals(0, body.segments().length);
        assertTrue(body.bytes().length > 4000);
    }

    @Test
    void writer_refusesBinaryPastMaxPayloadBytes_withoutKeepingIt() {
        Segments.Out out = new Segments.Out(10_000, true);
        Wire.Body body = wire.callBody(List.of(random(6000), random(6000)), bytes, 1 << 20, out);
        assertNull(body.bytes(), "the caller splits the inputs or fails the one");
        assertEquals(0, out.drain().length);
        assertEquals(2, wire.callBody(List.of(random(6000)), bytes, 1 << 20, out).segments().length);
    }

    @Test
    void reader_refusesDeclaredLengthPastTheBound_beforeAllocating() {
        Segments.In in = new Segments.In(MAX_PAYLOAD);
        byte[] huge = Segments.header(1, Integer.MAX_VALUE);
        ProtocolException e = assertThrows(ProtocolException.class, () -> in.accept(huge, huge.length - 1));
        assertTrue(e.getMessage().contains("maxPayloadBytes"), e.getMessage());
        // A length near Long.MAX_VALUE must not wrap the sum of costs round to a small number.
        for (long length : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 63, Long.MAX_VALUE - 64, 1L << 40}) {
            byte[] line = (new String(Segments.header(2, 0), java.nio.charset.StandardCharsets.US_ASCII)
                    .replace("2 0\n", "2 " + length)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ProtocolException wrapped = assertThrows(ProtocolException.class, () -> in.accept(line, line.length),
                    "declared length " + length);
            assertTrue(wrapped.getMessage().contains("maxPayloadBytes"), wrapped.getMessage());
        }
        // Many small ones count too: their total is bounded, and so is their number.
        long[] h = in.accept(Segments.header(0, 1000), Segments.header(0, 1000).length - 1);
        in.add(h[0], new byte[1000]);
        int n = 1;
        try {
            while (n < 1_000_000) {
                byte[] empty = Segments.header(n, 0);
                in.add(in.accept(empty, empty.length - 1)[0], new byte[0]);
                n++;
            }
        } catch (ProtocolException expected) {
            assertTrue(n < MAX_PAYLOAD / Limits.SEGMENT_OVERHEAD + 1, n + " empty segments held");
            return;
        }
        throw new AssertionError("a million empty segments were held");
    }

    @Test
    void reader_refusesMalformedHeaders() {
        Segments.In in = new Segments.In(MAX_PAYLOAD);
        for (String header : List.of("", "1", "x 1", "1 x", "-1 5", "1 -5", "1  5", "1 99999999999999999999",
                "9".repeat(60) + " 1")) {
            byte[] line = concat(Segments.SENTINEL, header.getBytes(StandardCharsets.US_ASCII));
            assertThrows(ProtocolException.class, () -> in.accept(line, line.length), header);
        }
        byte[] one = Segments.header(4, 3);
        in.add(in.accept(one, one.length - 1)[0], new byte[3]);
        assertThrows(ProtocolException.class, () -> in.accept(one, one.length - 1), "the same number twice");
    }

    @Test
    void reader_refusesReferencesToMissingOrUsedSegments() {
        TaskDefinition.Loaded task = new TaskDefinition.Loaded(null, bytes, bytes, json);
        Segments.Out out = new Segments.Out(MAX_PAYLOAD, true);
        byte[] frame = wire.result(3, 0, random(4000), task, -1, out);
        byte[][] parts = out.drain();
        // Not sent.
        assertThrows(ProtocolException.class, () -> receive(new byte[0][], frame, bytes, new Segments.In(MAX_PAYLOAD)));
        // Sent for an earlier frame: the reader forgot it.
        Segments.In in = new Segments.In(MAX_PAYLOAD);
        receive(parts, frame, bytes, in);
        in.clear();
        assertThrows(ProtocolException.class, () -> receive(new byte[0][], frame, bytes, in));
        // Named twice in one frame, inside a record whose deserializer would wrap the failure.
        JavaType holder = json.data().constructType(Holder.class);
        String twice = "{\"t\":\"r\",\"id\":3,\"i\":0,\"v\":{\"name\":\"h\",\"parts\":[\"\\u00010\",\"\\u00010\"]}}";
        byte[] line = concat(Wire.SENTINEL, (twice + "\n").getBytes(StandardCharsets.US_ASCII));
        byte[] header = Segments.header(0, 3);
        Segments.In once = new Segments.In(MAX_PAYLOAD);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> receive(new byte[][] {header, new byte[3]}, line, holder, once));
        assertTrue(e.getMessage().contains("used already"), e.getMessage());
        // A malformed reference.
        String bad = "{\"t\":\"r\",\"id\":3,\"i\":0,\"v\":\"\\u0001zz\"}";
        byte[] badLine = concat(Wire.SENTINEL, (bad + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThrows(ProtocolException.class, () -> receive(new byte[0][], badLine, bytes, new Segments.In(MAX_PAYLOAD)));
    }

    @Test
    void strings_longOrLookingLikeReferences_travelRawAndArriveEqual() {
        JavaType string = json.data().constructType(String.class);
        String longAscii = "x".repeat(Segments.MIN_CHARS);
        String longUnicode = "é ü 漢字 🎉 ".repeat(Segments.MIN_CHARS / 8);
        List<Object> inputs = new ArrayList<>(Arrays.asList("\u00010", "\u0001", "é ü 漢字 🎉",
                "x".repeat(Segments.MIN_CHARS - 1), longAscii, longUnicode, null, ""));
        Segments.Out out = new Segments.Out(MAX_PAYLOAD, true);
        Wire.Body body = wire.callBody(inputs, string, 1 << 20, out);
        // The two that look like references and the two long ones.
        assertEquals(8, body.segments().length);
        Message.Call call = assertInstanceOf(Message.Call.class, receive(body.segments(),
                concat(wire.callHead(1, 2, new BitSet()), body.bytes()), string, new Segments.In(MAX_PAYLOAD)));
        assertEquals(inputs, call.inputs());
        // Inside records and Object slots too, read value by value after a bad one.
        JavaType object = json.data().constructType(Object.class);
        List<Object> mixed = new ArrayList<>(Arrays.asList(longUnicode, List.of("\u0001zz", longAscii), 3));
        Wire.Body typed = wire.callBody(mixed, object, 1 << 20, new Segments.Out(MAX_PAYLOAD, true));
        Message.Call again = assertInstanceOf(Message.Call.class, receive(typed.segments(),
                concat(wire.callHead(1, 2, new BitSet()), typed.bytes()), object, new Segments.In(MAX_PAYLOAD)));
        assertEquals(mixed, again.inputs());
    }

    @Test
    void strings_stillCountAgainstTheFrame_andArePassedOverUnencodedPastIt() {
        JavaType string = json.data().constructType(String.class);
        Segments.Out out = new Segments.Out(MAX_PAYLOAD, true);
        assertNull(wire.callBody(List.of("y".repeat(20_000)), string, 10_000, out), "too large for the frame");
        assertEquals(0, out.drain().length);
        Wire.Body fits = wire.callBody(List.of("y".repeat(9_000)), string, 10_000, out);
        assertEquals(2, fits.segments().length);
        // A result: the worker sees the string's size and refuses it, as it would inside the frame.
        Segments.Out results = new Segments.Out(MAX_PAYLOAD, true);
        results.textLimit(10_000);
        TaskDefinition.Loaded task = new TaskDefinition.Loaded(null, string, string, json);
        wire.result(1, 0, "z".repeat(50_000), task, -1, results);
        assertTrue(results.textBytes() > 10_000);
        assertEquals(0, results.drain().length, "a string past the frame is not even encoded");
        assertEquals(0, results.textBytes());
    }

    @Test
    void frameFields_thatLookLikeReferences_stayText() {
        JavaType string = json.data().constructType(String.class);
        byte[] output = wire.encode(new Message.Output(1, "\u00013 printed by a task"));
        int start = Wire.SENTINEL.length;
        Message.Output read = assertInstanceOf(Message.Output.class,
                wire.read(output, start, output.length - start - 1, types(string), new Segments.In(MAX_PAYLOAD)));
        assertEquals("\u00013 printed by a task", read.text());
    }

    private JavaType listOf(Class<?> element) {
        return json.data().getTypeFactory().constructCollectionType(List.class, element);
    }

    private static List<Integer> ints(int n) {
        List<Integer> list = new ArrayList<>(n);
        Random random = new Random(n);
        for (int i = 0; i < n; i++) {
            list.add(i % 7 == 0 ? Integer.MIN_VALUE + i : i % 5 == 0 ? Integer.MAX_VALUE - i : random.nextInt());
        }
        return list;
    }

    /** Encodes {@code inputs} as a call and reads it back as {@code type}. */
    private Wire.Body callOf(List<Object> inputs, JavaType type) {
        return wire.callBody(inputs, type, 1 << 20, new Segments.Out(MAX_PAYLOAD, true));
    }

    private List<Object> readCall(Wire.Body body, JavaType type) {
        Message.Call call = assertInstanceOf(Message.Call.class, receive(body.segments(),
                concat(wire.callHead(1, 2, new BitSet()), body.bytes()), type, new Segments.In(MAX_PAYLOAD)));
        return call.inputs();
    }

    @Test
    void numberLists_travelAsTypedSegments_andArriveAsTheirJsonWould() {
        JavaType integers = listOf(Integer.class);
        List<Object> inputs = new ArrayList<>(Arrays.asList(ints(Segments.MIN_NUMBERS), List.copyOf(ints(5000)),
                ints(Segments.MIN_NUMBERS - 1), null, new ArrayList<>()));
        Wire.Body body = callOf(inputs, integers);
        assertEquals(4, body.segments().length, "the two long lists");
        assertTrue(body.bytes().length < 2000, "frame of " + body.bytes().length + " bytes");
        List<Object> read = readCall(body, integers);
        assertEquals(inputs, read);
        for (Object list : List.of(read.get(0), read.get(1))) {
            ((List<?>) list).forEach(e -> assertEquals(Integer.class, e.getClass()));
        }
        // The decoded list travels on as fast, and as the same values.
        Wire.Body again = callOf(read, integers);
        assertEquals(4, again.segments().length);
        assertEquals(inputs, readCall(again, integers));
        // Longs, ArrayList declared, and the primitive arrays.
        JavaType longs = listOf(Long.class);
        List<Object> longInputs = List.of(ints(300).stream().map(i -> (long) i * 3_000_000_000L).toList());
        assertEquals(longInputs, readCall(callOf(longInputs, longs), longs));
        JavaType arrayList = json.data().getTypeFactory().constructCollectionType(ArrayList.class, Integer.class);
        List<Object> arrayListInput = List.of(new ArrayList<>(ints(200)));
        Wire.Body asArrayList = callOf(arrayListInput, arrayList);
        assertEquals(2, asArrayList.segments().length);
        assertEquals(arrayListInput, readCall(asArrayList, arrayList));
        JavaType intArray = json.data().constructType(int[].class);
        int[] primitive = ints(1000).stream().mapToInt(Integer::intValue).toArray();
        Wire.Body ofArray = callOf(List.of(primitive), intArray);
        assertEquals(2, ofArray.segments().length);
        assertArrayEquals(primitive, (int[]) readCall(ofArray, intArray).get(0));
        JavaType longArray = json.data().constructType(long[].class);
        long[] primitiveLongs = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        primitiveLongs = Arrays.copyOf(primitiveLongs, 500);
        assertArrayEquals(primitiveLongs, (long[]) readCall(callOf(List.of(primitiveLongs), longArray), longArray).get(0));
    }

    @Test
    void numberLists_withNullsOtherElementsOrErasedTypes_stayJson() {
        JavaType integers = listOf(Integer.class);
        List<Integer> withNull = ints(500);
        withNull.set(250, null);
        Wire.Body body = callOf(List.of(withNull), integers);
        assertEquals(0, body.segments().length);
        assertEquals(List.of(withNull), readCall(body, integers));
        // Declared Object or List<Object>: the same values and types as today, from JSON.
        for (JavaType erased : List.of(json.data().constructType(Object.class), listOf(Object.class),
                json.data().getTypeFactory().constructCollectionType(java.util.Collection.class, Integer.class))) {
            List<Object> inputs = List.of(ints(500));
            Wire.Body plain = callOf(inputs, erased);
            assertEquals(0, plain.segments().length, erased.toCanonical());
            List<?> read = (List<?>) readCall(plain, erased).get(0);
            assertEquals(inputs.get(0), read);
            read.forEach(e -> assertEquals(Integer.class, e.getClass()));
        }
    }

    @Test
    void numberLists_countAgainstTheFrameAsJson_andStayJsonPastMaxPayloadBytes() {
        JavaType integers = listOf(Integer.class);
        List<Integer> big = ints(2000); // about 20 KB of JSON, 8 KB of segment
        Segments.Out out = new Segments.Out(MAX_PAYLOAD, true);
        assertNull(wire.callBody(List.of(big), integers, 10_000, out), "too large for the frame, as before");
        assertEquals(0, out.drain().length);
        Segments.Out small = new Segments.Out(4096, true);
        Wire.Body json = wire.callBody(List.of(big), integers, 1 << 20, small);
        assertEquals(0, json.segments().length, "past maxPayloadBytes: JSON in the frame");
        assertEquals(List.of(big), readCall(json, integers));
        // A result counts its JSON length too.
        Segments.Out results = new Segments.Out(MAX_PAYLOAD, true);
        TaskDefinition.Loaded task = new TaskDefinition.Loaded(null, integers, integers, this.json);
        byte[] frame = wire.result(1, 0, big, task, -1, results);
        long expected = big.toString().replace(" ", "").length();
        assertEquals(expected, results.textBytes());
        byte[][] parts = results.drain();
        assertEquals(2, parts.length);
        Message.Result read = assertInstanceOf(Message.Result.class,
                receive(parts, frame, integers, new Segments.In(MAX_PAYLOAD)));
        assertEquals(big, read.value());
    }

    @Test
    void reader_refusesTypedReferencesOfTheWrongShapeOrPlace() {
        JavaType integers = listOf(Integer.class);
        JavaType string = json.data().constructType(String.class);
        byte[] eight = Segments.header(0, 8);
        byte[] seven = Segments.header(0, 7);
        // A length that is not a whole number of elements.
        assertThrows(ProtocolException.class, () -> receive(new byte[][] {seven, new byte[7]},
                resultLine("\\u0001i0"), integers, new Segments.In(MAX_PAYLOAD)));
        // A kind that does not fit the declared type, or a type that never travels so.
        assertThrows(ProtocolException.class, () -> receive(new byte[][] {eight, new byte[8]},
                resultLine("\\u0001l0"), integers, new Segments.In(MAX_PAYLOAD)));
        assertThrows(ProtocolException.class, () -> receive(new byte[][] {eight, new byte[8]},
                resultLine("\\u0001i0"), string, new Segments.In(MAX_PAYLOAD)));
        assertThrows(ProtocolException.class, () -> receive(new byte[][] {eight, new byte[8]},
                resultLine("\\u0001i0"), bytes, new Segments.In(MAX_PAYLOAD)));
        // Inside a record, where no list of numbers is sent as a segment.
        JavaType holder = json.data().constructType(Holder.class);
        assertThrows(ProtocolException.class, () -> receive(new byte[][] {eight, new byte[8]},
                resultLine("{\"name\":\"\\u0001i0\",\"parts\":[]}"), holder, new Segments.In(MAX_PAYLOAD)));
        // Not sent, malformed, or named twice.
        assertThrows(ProtocolException.class, () -> receive(new byte[0][], resultLine("\\u0001i0"), integers,
                new Segments.In(MAX_PAYLOAD)));
        assertThrows(ProtocolException.class, () -> receive(new byte[][] {eight, new byte[8]},
                resultLine("\\u0001i"), integers, new Segments.In(MAX_PAYLOAD)));
        String twice = "{\"t\":\"c\",\"id\":1,\"task\":2,\"skip\":[],\"in\":[\"\\u0001i0\",\"\\u0001i0\"]}";
        byte[] line = concat(Wire.SENTINEL, (twice + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThrows(ProtocolException.class, () -> receive(new byte[][] {eight, new byte[8]}, line, integers,
                new Segments.In(MAX_PAYLOAD)));
        // Well-formed: two ints.
        Message.Result ok = assertInstanceOf(Message.Result.class, receive(new byte[][] {eight,
                {1, 0, 0, 0, -1, -1, -1, -1}}, resultLine("\\u0001i0"), integers, new Segments.In(MAX_PAYLOAD)));
        assertEquals(List.of(1, -1), ok.value());
    }

    /** Reads a frame after its segment lines, as {@link #receive} does, but with the parser, never by hand. */
    private Decoded receiveParsed(byte[][] parts, byte[] frame, JavaType type) {
        Segments.In in = new Segments.In(MAX_PAYLOAD);
        for (int k = 0; k < parts.length; k += 2) {
            long[] h = in.accept(parts[k], parts[k].length - 1);
            in.add(h[0], parts[k + 1].clone());
        }
        int start = Wire.SENTINEL.length;
        return wire.readParsed(frame, start, frame.length - start - 1, types(type), in);
    }

    private static List<Object> numbers(int n, boolean longs) {
        Random random = new Random(n);
        List<Object> values = new ArrayList<>();
        values.add(longs ? (Object) Long.MIN_VALUE : (Object) Integer.MIN_VALUE);
        values.add(longs ? (Object) Long.MAX_VALUE : (Object) Integer.MAX_VALUE);
        values.add(longs ? (Object) 0L : (Object) 0);
        while (values.size() < n) {
            values.add(longs ? (Object) random.nextLong() : (Object) random.nextInt());
        }
        return values;
    }

    @Test
    void wholeFrameNumbers_callInputs_travelAsOneSegment_andReadTheSameByHandAndByParser() {
        for (Class<?> element : List.<Class<?>>of(Integer.class, Long.class)) {
            JavaType type = json.data().constructType(element);
            List<Object> inputs = numbers(1000, element == Long.class);
            Wire.Body body = wire.callBody(inputs, type, 1 << 20, new Segments.Out(MAX_PAYLOAD, true));
            assertEquals(2, body.segments().length, "one segment: its header and its bytes");
            assertEquals(1000 * (element == Long.class ? 8 : 4), body.segments()[1].length);
            assertTrue(body.bytes().length < 20, new String(body.bytes(), StandardCharsets.US_ASCII));
            BitSet skip = new BitSet();
            skip.set(5);
            byte[] frame = concat(wire.callHead(1, 2, skip, false), body.bytes());
            Message.Call byHand = assertInstanceOf(Message.Call.class,
                    receive(body.segments(), frame, type, new Segments.In(MAX_PAYLOAD)));
            assertEquals(new Message.Call(1, 2, skip, inputs, false), byHand);
            assertEquals(byHand, receiveParsed(body.segments(), frame, type));
        }
    }

    @Test
    void wholeFrameNumbers_results_travelAsOneSegment_andReadTheSameByHandAndByParser() throws Exception {
        JavaType integer = json.data().constructType(Integer.class);
        List<Object> values = numbers(300, false);
        int[] array = values.stream().mapToInt(v -> (Integer) v).toArray();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        Wire.writeIntResults(written, 7, 40, 12345, Arrays.copyOf(array, 512), array.length);
        byte[] all = written.toByteArray();
        int headerEnd = indexOf(all, (byte) '\n', 0);
        byte[] header = Arrays.copyOf(all, headerEnd + 1);
        byte[] data = Arrays.copyOfRange(all, headerEnd + 1, headerEnd + 1 + array.length * 4);
        byte[] frame = Arrays.copyOfRange(all, headerEnd + 1 + data.length, all.length);
        byte[][] parts = {header, data};
        Message.Results byHand = assertInstanceOf(Message.Results.class,
                receive(parts, frame, integer, new Segments.In(MAX_PAYLOAD)));
        assertEquals(new Message.Results(7, 40, values, 12345), byHand);
        assertEquals(byHand, receiveParsed(parts, frame, integer));
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void wholeFrameNumbers_stayDigits_whenFewWithNullsOtherClassesOrPastABound() {
        JavaType integer = json.data().constructType(Integer.class);
        List<Object> few = numbers(Segments.MIN_NUMBERS - 1, false);
        assertEquals(0, wire.callBody(few, integer, 1 << 20, new Segments.Out(MAX_PAYLOAD, true)).segments().length);
        List<Object> withNull = new ArrayList<>(numbers(1000, false));
        withNull.set(500, null);
        assertEquals(0, wire.callBody(withNull, integer, 1 << 20, new Segments.Out(MAX_PAYLOAD, true)).segments().length);
        // Declared Object: an Integer's JSON carries no class, a Long's does; neither is a segment.
        List<Object> ints = numbers(1000, false);
        JavaType object = json.data().constructType(Object.class);
        assertEquals(0, wire.callBody(ints, object, 1 << 20, new Segments.Out(MAX_PAYLOAD, true)).segments().length);
        // Declared Long, values Integer: JSON decides, as it always did.
        JavaType longType = json.data().constructType(Long.class);
        assertEquals(0, wire.callBody(ints, longType, 1 << 20, new Segments.Out(MAX_PAYLOAD, true)).segments().length);
        // Past maxPayloadBytes: digits in the frame instead.
        Wire.Body digits = wire.callBody(ints, integer, 1 << 20, new Segments.Out(1000, true));
        assertEquals(0, digits.segments().length);
        assertTrue(digits.bytes().length > 1000);
        // Too large for the frame as JSON text: too large as a segment as well.
        assertNull(wire.callBody(ints, integer, 2000, new Segments.Out(MAX_PAYLOAD, true)));
        // Segments off (a channel that is not the pool's own): digits.
        assertEquals(0, wire.callBody(ints, integer, 1 << 20, null).segments().length);
    }

    @Test
    void wholeFrameNumbers_readerRefusesTheWrongWidthTypeSegmentOrForm() {
        JavaType integer = json.data().constructType(Integer.class);
        JavaType string = json.data().constructType(String.class);
        byte[] eight = Segments.header(0, 8);
        byte[] seven = Segments.header(0, 7);
        byte[][] two = {eight, new byte[8]};
        String head = "{\"t\":\"call\",\"id\":1,\"task\":2,\"skip\":[],\"in\":";
        java.util.function.Function<String, byte[]> call = in -> concat(Wire.SENTINEL,
                (head + in + "}\n").getBytes(StandardCharsets.US_ASCII));
        java.util.function.Function<String, byte[]> results = vs -> concat(Wire.SENTINEL,
                ("{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":" + vs + "}\n").getBytes(StandardCharsets.US_ASCII));
        // Well-formed, by hand and by the parser.
        Message.Call ok = assertInstanceOf(Message.Call.class,
                receive(two, call.apply("\"\\u0001i0\""), integer, new Segments.In(MAX_PAYLOAD)));
        assertEquals(List.of(0, 0), ok.inputs());
        assertEquals(ok, receiveParsed(two, call.apply("\"\\u0001i0\""), integer));
        for (java.util.function.Function<String, byte[]> frame : List.of(call, results)) {
            // The other width, another type, a type that never travels so.
            assertThrows(ProtocolException.class, () -> receive(two, frame.apply("\"\\u0001l0\""), integer,
                    new Segments.In(MAX_PAYLOAD)));
            assertThrows(ProtocolException.class, () -> receive(two, frame.apply("\"\\u0001i0\""), string,
                    new Segments.In(MAX_PAYLOAD)));
            // Not a whole number of elements; not sent; malformed numbers.
            assertThrows(ProtocolException.class, () -> receive(new byte[][] {seven, new byte[7]},
                    frame.apply("\"\\u0001i0\""), integer, new Segments.In(MAX_PAYLOAD)));
            assertThrows(ProtocolException.class, () -> receive(new byte[0][], frame.apply("\"\\u0001i0\""), integer,
                    new Segments.In(MAX_PAYLOAD)));
            for (String bad : List.of("\"\\u0001i\"", "\"\\u0001i+0\"", "\"\\u0001i-1\"", "\"\\u0001ix\"", "\"i0\"")) {
                assertThrows(ProtocolException.class, () -> receive(two, frame.apply(bad), integer,
                        new Segments.In(MAX_PAYLOAD)), bad);
            }
            // Where no segments are read at all (not the pool's own channel).
            int start = Wire.SENTINEL.length;
            byte[] line = frame.apply("\"\\u0001i0\"");
            assertThrows(ProtocolException.class, () -> wire.read(line, start, line.length - start - 1,
                    types(integer), null));
        }
    }

    @Test
    void digits_countsWhatJsonWrites() {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, 9L, 10L, -10L, 99L, 100L, Long.MAX_VALUE, Long.MIN_VALUE,
                (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE));
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
            values.addAll(List.of(p, p - 1, p + 1, -p, -(p - 1), 10 * p - 1));
        }
        new Random(3).longs(10_000).forEach(values::add);
        new Random(4).ints(10_000).forEach(i -> values.add((long) i));
        for (long v : values) {
            assertEquals(Long.toString(v).length(), Segments.digits(v), "" + v);
        }
    }

    private static byte[] resultLine(String valueJson) {
        String text = valueJson.startsWith("{") ? valueJson : "\"" + valueJson + "\"";
        return concat(Wire.SENTINEL, ("{\"t\":\"r\",\"id\":3,\"i\":0,\"v\":" + text + "}\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
