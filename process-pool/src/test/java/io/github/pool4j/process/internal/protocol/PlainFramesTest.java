package io.github.pool4j.process.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pool4j.Task;
import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.TaskDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/** The hand-read frames of plain {@code Integer}s and {@code Long}s: read as the parser reads them, or left to it. */
class PlainFramesTest {

    private final Json json = new Json(1 << 20);
    private final Wire wire = new Wire(json);
    private final JavaType integer = json.data().constructType(Integer.class);
    private final JavaType longType = json.data().constructType(Long.class);

    private static Wire.Types types(JavaType result, JavaType input) {
        return FixedTypes.of(result, input);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The parser's reading of a frame: the message, or the exception it throws. */
    private Object parsed(byte[] frame, Wire.Types types) {
        try {
            return wire.readParsed(frame, 0, frame.length, types, null);
        } catch (ProtocolException e) {
            return e;
        }
    }

    /** Asserts that whatever the hand reads, the parser reads to the same message. */
    private Decoded assertSameAsParser(String text, Wire.Types types) {
        byte[] frame = bytes(text);
        Decoded plain = PlainFrames.read(frame, 0, frame.length, types, null);
        if (plain != null) {
            assertEquals(parsed(frame, types), plain, text);
        }
        return plain;
    }

    @Test
    void framesTheWireWritesAreReadByHandAsTheParserReadsThem() {
        BitSet skip = new BitSet();
        skip.set(1);
        skip.set(3);
        List<Object> inputs = Arrays.asList(0, null, -7, null, Integer.MAX_VALUE, Integer.MIN_VALUE, 123456789);
        byte[] head = wire.callHead(42, 7, skip);
        byte[] body = wire.callBody(inputs, integer, 1 << 20, null).bytes();
        byte[] call = new byte[head.length + body.length];
        System.arraycopy(head, 0, call, 0, head.length);
        System.arraycopy(body, 0, call, head.length, body.length);
        int from = Wire.SENTINEL.length;
        int len = call.length - from - 1;

        Decoded plain = PlainFrames.read(call, from, len, types(null, integer), null);
        // Ten-digit numbers are left to the parser: the frame as a whole is.
        assertNull(plain);
        List<Object> small = Arrays.asList(0, null, -7, null, 999_999_999, -999_999_999, 5);
        body = wire.callBody(small, integer, 1 << 20, null).bytes();
        call = new byte[head.length + body.length];
        System.arraycopy(head, 0, call, 0, head.length);
        System.arraycopy(body, 0, call, head.length, body.length);
        len = call.length - from - 1;
        plain = PlainFrames.read(call, from, len, types(null, integer), null);
        assertEquals(new Message.Call(42, 7, skip, small), plain);
        assertEquals(wire.readParsed(call, from, len, types(null, integer), null), plain);

        byte[] untimed = concat(wire.callHead(42, 7, skip, false), body);
        len = untimed.length - from - 1;
        plain = PlainFrames.read(untimed, from, len, types(null, integer), null);
        assertEquals(new Message.Call(42, 7, skip, small, false), plain);
        assertEquals(wire.readParsed(untimed, from, len, types(null, integer), null), plain);

        for (long nanos : new long[] {-1, 0, 123_456_789_012L}) {
            byte[] results = concat(Wire.resultsHead(9, 3, nanos), bytes("1,null,-2,0"), Wire.RESULTS_TAIL);
            len = results.length - from - 1;
            plain = PlainFrames.read(results, from, len, types(integer, null), null);
            assertEquals(new Message.Results(9, 3, Arrays.asList(1, null, -2, 0), nanos), plain);
            assertEquals(wire.readParsed(results, from, len, types(integer, null), null), plain);
        }
    }

    static Integer plusOne(Integer x) {
        return x + 1;
    }

    /** A task shipped as its class and fields. */
    record Scaled(int factor, String label) implements Task<Integer, String> {
        @Override
        public String apply(Integer x) {
            return label + x * factor;
        }
    }

    @Test
    void definitionFramesThePoolWritesAreReadByHandAsTheParserReadsThem() {
        int offset = 3;
        String label = "n=";
        List<Task<Integer, ?>> tasks = List.of(
                PlainFramesTest::plusOne, x -> x + offset, x -> label + x, new Scaled(2, "x"));
        int byHand = 0;
        for (Task<Integer, ?> task : tasks) {
            JsonNode definition = TaskDefinition.ship(task, TaskDefinition.Role.TASK, null, null, json).node();
            byte[] define = Wire.defineFrame(77, wire.definitionBytes(definition));
            byte[] init = Wire.initFrame(wire.definitionBytes(definition));
            for (byte[] frame : List.of(define, init)) {
                int from = Wire.SENTINEL.length;
                int len = frame.length - from - 1;
                Decoded plain = PlainFrames.read(frame, from, len, types(null, null), null);
                Decoded parsed = wire.readParsed(frame, from, len, types(null, null), null);
                if (plain != null) {
                    byHand++;
                    assertEquals(parsed, plain, new String(frame, StandardCharsets.UTF_8));
                }
            }
        }
        // The method reference and the lambda capturing an int, each as a task and an initializer;
        // the captured string and the record's state travel as escaped JSON, left to the parser.
        assertEquals(4, byHand);
    }

    @Test
    void definitionsOfAnythingElseAreLeftToTheParser() {
        Wire.Types none = types(null, null);
        String ok = "{\"t\":\"def\",\"task\":5,\"def\":{\"class\":\"a.B\",\"ref\":6,\"n\":-2147483649,"
                + "\"cap\":[\"1\",true,false,null,[],{}],\"x\":{\"y\":[[1]]}}}";
        // What an untyped Jackson mapper reads: ints where they fit, else longs; null stays null.
        @SuppressWarnings("unchecked")
        Map<String, Object> expected = new tools.jackson.databind.json.JsonMapper().readValue(
                "{\"class\":\"a.B\",\"ref\":6,\"n\":-2147483649,\"cap\":[\"1\",true,false,null,[],{}],\"x\":{\"y\":[[1]]}}",
                LinkedHashMap.class);
        assertEquals(new Message.Define(5, expected), assertSameAsParser(ok, none));
        assertNotNull(assertSameAsParser("{\"t\":\"init\",\"def\":{\"class\":\"a.B\",\"a\":1,\"a\":2}}", none));
        byte[] bye = wire.encode(new Message.Shutdown());
        assertEquals(new Message.Shutdown(), PlainFrames.read(bye, Wire.SENTINEL.length, bye.length - Wire.SENTINEL.length - 1, none, null));
        String[] others = {
            "{\"t\":\"def\",\"task\":5,\"def\":{\"class\":\"a\\\"B\"}}", // an escape
            "{\"t\":\"def\",\"task\":5,\"def\":{\"class\":\"\u00e9\"}}", // not ASCII
            "{\"t\":\"def\",\"task\":5,\"def\":{\"class\":\"a\tb\"}}", // a control character
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":1.5}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":1e3}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":01}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":1234567890123456789}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":-}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":tru}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":truex}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":nulls}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\": 1}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":1,}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{,\"n\":1}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":[1,]}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":[1}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\"}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{n:1}}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":1}",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":1}}x",
            "{\"t\":\"def\",\"task\":5,\"def\":{\"n\":\"1}}",
            "{\"t\":\"def\",\"task\":5,\"def\":[[[[[[[[[[1]]]]]]]]]]}", // deeper than read by hand
            "{\"t\":\"def\",\"def\":{},\"task\":5}",
            "{\"t\":\"def\",\"task\":-,\"def\":{}}",
            "{\"t\":\"defs\",\"task\":5,\"def\":{}}",
            "{\"t\":\"init\",\"task\":5,\"def\":{}}",
            "{\"t\":\"init\",\"def\":{}} ",
            "{\"t\":\"bye\" }",
            "{\"t\":\"bye\",\"x\":1}",
            "{\"t\":\"byx\"}",
        };
        for (String text : others) {
            assertNull(assertSameAsParser(text, none), text);
        }
    }

    @Test
    void anythingElseIsLeftToTheParser() {
        Wire.Types ints = types(integer, integer);
        String[] others = {
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[01]}", // leading zero: the parser refuses it
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[-]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1.0]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1e3]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1E3]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[\"1\"]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1, 2]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1,]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[,1]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[nul]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[nulls]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1]} ",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1]",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1]}}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1],\"x\":2}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1234567890]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":9999999999,\"vs\":[1]}",
            "{\"t\":\"rs\",\"id\":1234567890123456789,\"i\":0,\"vs\":[1]}",
            "{\"t\":\"rs\",\"i\":0,\"id\":1,\"vs\":[1]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"ns\":-,\"vs\":[1]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"ns\":1,\"ns\":2,\"vs\":[1]}",
            "{\"t\":\"r\",\"id\":1,\"i\":0,\"v\":1}",
            "{\"t\":\"call\",\"id\":1,\"task\":2,\"skip\":[-1],\"in\":[1]}",
            "{\"t\":\"call\",\"id\":1,\"task\":2,\"skip\":[01],\"in\":[1]}",
            "{\"t\":\"call\",\"id\":1,\"task\":2,\"skip\":[1,],\"in\":[1]}",
            "{\"t\":\"call\",\"id\":1,\"task\":2,\"skip\":[],\"in\":[1]}x",
            "{\"t\":\"call\",\"id\":1,\"task\":2,\"in\":[1]}",
            "{\"t\":\"call\",\"id\":1,\"task\":2,\"timed\":true,\"skip\":[],\"in\":[1]}",
            "{\"t\":\"call\",\"id\":1,\"task\":2,\"timed\":falsey,\"skip\":[],\"in\":[1]}",
            "{\"t\":\"call\",\"id\":1,\"task\":2,\"skip\":[],\"timed\":false,\"in\":[1]}",
            "{\"t\":\"calls\",\"id\":1,\"task\":2,\"skip\":[],\"in\":[1]}",
            "{\"t\":\"call\" ,\"id\":1,\"task\":2,\"skip\":[],\"in\":[1]}",
            "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1]}\u0000",
        };
        for (String text : others) {
            assertNull(assertSameAsParser(text, ints), text);
        }
        // Refused by the parser, so never accepted by hand.
        assertInstanceOf(ProtocolException.class, parsed(bytes(others[0]), ints));
        assertThrows(ProtocolException.class, () -> wire.read(bytes(others[0]), 0, others[0].length(), ints));
    }

    @Test
    void onlyIntegerAndLongValuesOfAKnownCallOrTaskAreReadByHand() {
        String results = "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[1,2]}";
        String call = "{\"t\":\"call\",\"id\":1,\"task\":2,\"skip\":[],\"in\":[1,2]}";
        assertNotNull(assertSameAsParser(results, types(integer, null)));
        assertNotNull(assertSameAsParser(call, types(null, integer)));
        // Unknown: the parser says so (a protocol error, an unknown task's verdict).
        assertNull(assertSameAsParser(results, types(null, null)));
        assertNull(assertSameAsParser(call, types(null, null)));
        assertInstanceOf(Verdict.UnknownTask.class, wire.read(bytes(call), 0, call.length(), types(null, null)));
        // Longs come back as Longs, as the parser reads them.
        assertEquals(List.of(1L, 2L), ((Message.Results) assertSameAsParser(results, types(longType, null))).values());
        assertEquals(List.of(1L, 2L), ((Message.Call) assertSameAsParser(call, types(null, longType))).inputs());
        // Another declared type: its own rules.
        JavaType number = json.data().constructType(Number.class);
        assertNull(assertSameAsParser(results, types(number, null)));
        assertNull(assertSameAsParser(call, types(null, number)));
        // A call frame sent to a parent, a results frame to a worker: left to the parser, which refuses them.
        assertNull(assertSameAsParser(call, types(integer, null)));
        assertNull(assertSameAsParser(results, types(null, integer)));
    }

    @Test
    void longsOfTheWholeRangeAreReadByHand_andOnlyThose() {
        Random random = new Random(25);
        List<Long> values = new ArrayList<>(List.of(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
                Long.MIN_VALUE + 1, 999_999_999_999_999_999L, -1_000_000_000_000_000_000L, 2_147_483_648L));
        for (int i = 0; i < 2_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        Wire.Types longs = types(longType, longType);
        for (Long value : values) {
            String text = "{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[" + value + ",null]}";
            Decoded plain = assertSameAsParser(text, longs);
            assertEquals(Arrays.asList(value, null), ((Message.Results) plain).values(), text);
        }
        String[] outOfRange = {"9223372036854775808", "-9223372036854775809", "10000000000000000000",
            "-99999999999999999999", "92233720368547758070", "00", "-", "1.5", "2e3"};
        for (String number : outOfRange) {
            assertNull(assertSameAsParser("{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[" + number + "]}", longs), number);
            assertNull(assertSameAsParser("{\"t\":\"call\",\"id\":1,\"task\":2,\"skip\":[],\"in\":[" + number + "]}",
                    longs), number);
        }
    }

    @Test
    void aFrameLongerThanTheParserReadsIsNeverReadByHand() {
        Wire small = new Wire(new Json(64));
        StringBuilder text = new StringBuilder("{\"t\":\"rs\",\"id\":1,\"i\":0,\"vs\":[0");
        while (text.length() < 100) {
            text.append(",0");
        }
        text.append("]}");
        byte[] frame = bytes(text.toString());
        assertNotNull(PlainFrames.read(frame, 0, frame.length, types(integer, null), null));
        assertThrows(ProtocolException.class, () -> small.read(frame, 0, frame.length, types(integer, null)));
    }

    @Test
    void mangledFramesAreReadByHandOnlyAsTheParserReadsThem() {
        Random random = new Random(14);
        String[] seeds = {
            "{\"t\":\"rs\",\"id\":12,\"i\":3,\"ns\":456,\"vs\":[1,-20,null,300,0]}",
            "{\"t\":\"call\",\"id\":12,\"task\":3,\"skip\":[0,2],\"in\":[null,-1,null,44]}",
            "{\"t\":\"def\",\"task\":3,\"def\":{\"class\":\"a.B\",\"ref\":6,\"cap\":[\"1\",-20],\"x\":[true,false,null]}}",
        };
        byte[] alphabet = bytes("0123456789-+.eE,[]{}\":nul tsrvifad\\\u00e9");
        Wire.Types ints = types(integer, integer);
        Wire.Types longs = types(longType, longType);
        int accepted = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] frame = bytes(seeds[round % seeds.length]);
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(frame.length);
                switch (random.nextInt(3)) {
                    case 0 -> frame[at] = alphabet[random.nextInt(alphabet.length)];
                    case 1 -> frame = remove(frame, at);
                    default -> frame = insert(frame, at, alphabet[random.nextInt(alphabet.length)]);
                }
            }
            Wire.Types declared = round % 4 < 2 ? ints : longs;
            Decoded plain = PlainFrames.read(frame, 0, frame.length, declared, null);
            if (plain != null) {
                accepted++;
                assertEquals(parsed(frame, declared), plain, new String(frame, StandardCharsets.UTF_8));
            }
        }
        // Many mangled frames are still frames (a digit for a digit): both readers must agree on them.
        assertEquals(true, accepted > 500, "frames read by hand: " + accepted);
    }

    @Test
    void integersAreWrittenAsTheGeneratorWritesThem() {
        Random random = new Random(7);
        List<Object> values = new ArrayList<>(Arrays.asList(0, -1, 1, 9, 10, -10, 99, 100, Integer.MAX_VALUE,
                Integer.MIN_VALUE, Integer.MIN_VALUE + 1, 1_000_000_000, -999_999_999, null));
        for (int i = 0; i < 1000; i++) {
            values.add(random.nextInt() >> random.nextInt(32));
        }
        Wire.Buffer out = new Wire.Buffer(16);
        for (Object value : values) {
            out.reset();
            assertEquals(true, Wire.writePlain(out, value));
            assertEquals(json.data().writeValueAsString(value), new String(out.array(), 0, out.size(),
                    StandardCharsets.US_ASCII));
        }
        assertEquals(false, Wire.writePlain(out, 1L));
        assertEquals(false, Wire.writePlain(out, "1"));
        byte[] body = wire.callBody(values, integer, 1 << 20, null).bytes();
        assertEquals(json.data().writeValueAsString(values) + "}\n", new String(body, StandardCharsets.US_ASCII));
    }

    @Test
    void anIntegerPastTheBufferLimitOverflowsIt() {
        Wire.Buffer out = new Wire.Buffer(4, 5);
        out.writeInt(1234);
        out.writeInt(56);
        assertEquals(true, out.overflowed());
        assertEquals("1234", new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] remove(byte[] frame, int at) {
        byte[] out = new byte[frame.length - 1];
        System.arraycopy(frame, 0, out, 0, at);
        System.arraycopy(frame, at + 1, out, at, frame.length - at - 1);
        return out;
    }

    private static byte[] insert(byte[] frame, int at, byte b) {
        byte[] out = new byte[frame.length + 1];
        System.arraycopy(frame, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(frame, at, out, at + 1, frame.length - at);
        return out;
    }
}
