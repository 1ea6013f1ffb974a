package io.github.pool4j.process.internal;

import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.codec.TaskDefinition;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.process.internal.Frame.Kind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;

class WireTest {

    private final Json json = new Json(1 << 20);
    private final Wire wire = new Wire(json);
    private final JavaType integer = json.data().constructType(Integer.class);

    private Wire.Types types(JavaType result, JavaType input) {
        return new Wire.Types() {
            @Override
            public JavaType resultType(long id) {
                return result;
            }

            @Override
            public JavaType inputType(long task) {
                return input;
            }
        };
    }

    /** A loaded task that only declares its result type, for writing results. */
    private TaskDefinition.Loaded returning(JavaType type) {
        return new TaskDefinition.Loaded(null, type, type, json.writer(type));
    }

    private Frame decode(byte[] frame, Wire.Types types) {
        assertEquals(0, Wire.findSentinel(frame, 0, frame.length));
        assertEquals('\n', frame[frame.length - 1]);
        int start = Wire.SENTINEL.length;
        return wire.read(frame, start, frame.length - start - 1, types);
    }

    private Frame decode(String line, Wire.Types types) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return wire.read(bytes, 0, bytes.length, types);
    }

    @Test
    void resultFrame_roundTripsTypedValue() {
        Frame frame = decode(wire.result(7, 3, 42, returning(integer)), types(integer, null));
        assertEquals(Kind.RESULT, frame.kind());
        assertEquals(7, frame.id());
        assertEquals(3, frame.index());
        assertEquals(42, frame.value());
    }

    @Test
    void taskTime_travelsWithResultResultsAndErrorFrames_andIsMinusOneWhereAbsent() {
        assertEquals(1234, decode(wire.result(7, 3, 42, returning(integer), 1234), types(integer, null)).nanos());
        assertEquals(-1, decode(wire.result(7, 3, 42, returning(integer)), types(integer, null)).nanos());
        RemoteError error = RemoteError.of(new IllegalStateException("x"));
        assertEquals(99, decode(wire.error(Kind.ERROR, 1, 0, error, 99), types(integer, null)).nanos());
        assertEquals(-1, decode(wire.error(Kind.ERROR, 1, 0, error), types(integer, null)).nanos());

        byte[] head = Wire.resultsHead(4, 2, 5_000_000_000L);
        byte[] values = "1,2".getBytes(StandardCharsets.US_ASCII);
        byte[] results = new byte[head.length + values.length + Wire.RESULTS_TAIL.length];
        System.arraycopy(head, 0, results, 0, head.length);
        System.arraycopy(values, 0, results, head.length, values.length);
        System.arraycopy(Wire.RESULTS_TAIL, 0, results, head.length + values.length, Wire.RESULTS_TAIL.length);
        Frame frame = decode(results, types(integer, null));
        assertEquals(Kind.RESULTS, frame.kind());
        assertEquals(2, frame.index());
        assertEquals(List.of(1, 2), frame.inputs());
        assertEquals(5_000_000_000L, frame.nanos());
        assertEquals(-1, decode("{\"t\":\"rs\",\"id\":4,\"i\":0,\"vs\":[1]}", types(integer, null)).nanos(),
                "a frame without the field, as an older worker writes it");
    }

    @Test
    void callFrame_headAndBody_decodeToInputsAndSkips() {
        BitSet skip = new BitSet();
        skip.set(1);
        byte[] head = wire.callHead(5, 9, skip);
        Wire.Body body = wire.callBody(Arrays.asList(1, 2, 3), integer);
        byte[] frame = new byte[head.length + body.bytes().length];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(body.bytes(), 0, frame, head.length, body.bytes().length);
        Frame decoded = decode(frame, types(null, integer));
        assertEquals(Kind.CALL, decoded.kind());
        assertEquals(9, decoded.task());
        assertArrayEquals(new int[] {1}, decoded.skip());
        assertEquals(List.of(1, 2, 3), decoded.inputs());
    }

    @Test
    void resultNotOfDeclaredType_becomesBadResultNotProtocolError() {
        Frame frame = decode(wire.result(1, 0, "not a number", returning(json.data().constructType(String.class))), types(integer, null));
        assertEquals(Kind.BAD_RESULT, frame.kind());
        assertEquals(0, frame.index());
    }

    @Test
    void outputFrame_keepsControlCharactersAndNewlinesEscaped() {
        byte[] frame = wire.output(1, "a\nb\u001Ep4j:c");
        // Neither a newline nor the sentinel may appear inside a frame.
        assertEquals(frame.length - 1, indexOf(frame, (byte) '\n'));
        assertEquals(0, Wire.findSentinel(frame, 0, frame.length));
        assertEquals(-1, Wire.findSentinel(frame, 1, frame.length - 1));
        assertEquals("a\nb\u001Ep4j:c", decode(frame, types(null, null)).text());
    }

    @Test
    void malformedOrUnknownFrames_areProtocolErrors() {
        Wire.Types types = types(integer, integer);
        assertThrows(ProtocolException.class, () -> decode("{not json", types));
        assertThrows(ProtocolException.class, () -> decode("{\"t\":\"nope\"}", types));
        assertThrows(ProtocolException.class, () -> decode("{\"id\":1,\"t\":\"r\"}", types));
        assertThrows(ProtocolException.class, () -> decode("[1,2]", types));
        assertThrows(ProtocolException.class, () -> decode("{\"t\":\"r\",\"id\":1,\"i\":0,\"v\":1}", types(null, null)));
    }

    @Test
    void deeplyNestedFrame_isRefused() {
        String deep = "{\"t\":\"r\",\"id\":1,\"i\":0,\"v\":" + "[".repeat(Json.MAX_NESTING_DEPTH + 10)
                + "]".repeat(Json.MAX_NESTING_DEPTH + 10) + "}";
        assertThrows(ProtocolException.class,
                () -> decode(deep, types(json.data().constructType(tools.jackson.databind.JsonNode.class), null)));
    }

    @Test
    void lineReader_cutsOverlongLinesAndKeepsReading() throws Exception {
        byte[] input = ("short\n" + "x".repeat(3000) + "\nafter\n").getBytes(StandardCharsets.UTF_8);
        LineReader reader = new LineReader(new ByteArrayInputStream(input), 1024);
        assertEquals(5, reader.next());
        assertEquals(1024, reader.next());
        assertTrue(reader.overflowed());
        int rest = 0;
        int n;
        while ((n = reader.next()) == 1024 && reader.overflowed()) {
            rest += n;
        }
        rest += n;
        assertEquals(3000, 1024 + rest);
        assertEquals(5, reader.next());
        assertEquals("after", new String(reader.buffer(), 0, 5, StandardCharsets.UTF_8));
        assertEquals(-1, reader.next());
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
