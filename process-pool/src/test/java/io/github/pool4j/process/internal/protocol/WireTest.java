package io.github.pool4j.process.internal.protocol;

import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.codec.TaskDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class WireTest {

    private final Json json = new Json(1 << 20);
    private final Wire wire = new Wire(json);
    private final JavaType integer = json.data().constructType(Integer.class);

    private Wire.Types types(JavaType result, JavaType input) {
        return FixedTypes.of(result, input);
    }

    /** A loaded task that only declares its result type, for writing results. */
    private TaskDefinition.Loaded returning(JavaType type) {
        return new TaskDefinition.Loaded(null, type, type, json);
    }

    private Decoded decode(byte[] frame, Wire.Types types) {
        assertEquals(0, Wire.findSentinel(frame, 0, frame.length));
        assertEquals('\n', frame[frame.length - 1]);
        int start = Wire.SENTINEL.length;
        return wire.read(frame, start, frame.length - start - 1, types);
    }

    private Decoded decode(String line, Wire.Types types) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return wire.read(bytes, 0, bytes.length, types);
    }

    private static final List<StackTraceElement> STACK =
            List.of(new StackTraceElement("a.B", "run", "B.java", 7), new StackTraceElement("a.C", "go", null, -1));

    private Message roundTrip(Message message) {
        return assertInstanceOf(Message.class, decode(wire.encode(message), types(integer, integer)));
    }

    @Test
    void definitionBytes_byHand_areTheMappersBytes() {
        int offset = 3;
        String label = "n=\u00e9\"\n";
        List<io.github.pool4j.Task<Integer, ?>> tasks = List.of(PlainFramesTest::plusOne, x -> x + offset,
                x -> label + x, new PlainFramesTest.Scaled(2, "x\ty"));
        for (io.github.pool4j.Task<Integer, ?> task : tasks) {
            JsonNode definition = TaskDefinition.ship(task, TaskDefinition.Role.TASK, null, null, json).node();
            assertEquals(new String(json.data().writeValueAsBytes(definition), StandardCharsets.UTF_8),
                    new String(wire.definitionBytes(definition), StandardCharsets.UTF_8), task.toString());
        }
        // Anything else in a tree (a long, a decimal, a nested object) goes through the mapper.
        ObjectNode odd = JsonNodeFactory.instance.objectNode();
        odd.put("n", 1L << 40).put("d", 0.1).putObject("o").putArray("a").add(true).addNull().add(7);
        assertEquals(new String(json.data().writeValueAsBytes(odd), StandardCharsets.UTF_8),
                new String(wire.definitionBytes(odd), StandardCharsets.UTF_8));
        ObjectNode nested = JsonNodeFactory.instance.objectNode();
        nested.putObject("o").put("i", -5).put("s", "").putArray("a").add(true).addNull().add("x");
        assertEquals(new String(json.data().writeValueAsBytes(nested), StandardCharsets.UTF_8),
                new String(wire.definitionBytes(nested), StandardCharsets.UTF_8));
    }

    @Test
    void controlMessages_roundTrip() {
        Map<String, Object> definition = new java.util.LinkedHashMap<>();
        definition.put("class", "a.B");
        definition.put("cap", Arrays.asList("1", null, 2, 3_000_000_000L, true));
        definition.put("x", Map.of());
        for (Message message : List.<Message>of(
                new Message.Init(definition),
                new Message.Define(12, definition),
                new Message.Cancel(34),
                new Message.Shutdown(),
                new Message.Hello(4321, "17.0.15+6"),
                new Message.Skipped(5, 2),
                new Message.Timeout(5, 3, STACK),
                new Message.Output(2, "line\n"),
                new Message.Output(1, ""))) {
            assertEquals(message, roundTrip(message));
        }
    }

    @Test
    void errorAndFatal_roundTripWithCauseSuppressedAndTaskTime() {
        RemoteError cause = new RemoteError("java.io.IOException", null, null, STACK, null, List.of());
        RemoteError error = new RemoteError("java.lang.IllegalStateException", "bad", "printed trace", STACK, cause,
                List.of(new RemoteError("java.lang.RuntimeException", "closing", null, List.of(), null, List.of())));
        for (Message message : List.<Message>of(
                new Message.Failed(1, 0, error, 99),
                new Message.Failed(1, 0, error, -1),
                new Message.Fatal(error))) {
            assertEquals(message, roundTrip(message));
        }
    }

    @Test
    void refusals_roundTripAsTheirOwnTypes() {
        for (Message.Refused what : Message.Refused.values()) {
            Message refusal = new Message.Refusal(what, 8, 1, "java.lang.Integer", "it cannot be read");
            Message read = roundTrip(refusal);
            assertEquals(refusal, read);
            assertEquals(what.type, read.type());
        }
    }

    @Test
    void result_roundTripsTypedValueAndTaskTime() {
        assertEquals(new Message.Result(7, 3, 42, -1),
                decode(wire.result(7, 3, 42, returning(integer), -1), types(integer, null)));
        assertEquals(new Message.Result(7, 3, 42, 1234),
                decode(wire.result(7, 3, 42, returning(integer), 1234), types(integer, null)));
        assertEquals(new Message.Result(7, 3, null, -1),
                decode(wire.result(7, 3, null, returning(integer), -1), types(integer, null)),
                "a null result is a value, not a missing one");
    }

    @Test
    void results_roundTripFromHeadValuesAndTail_withTaskTimeOrWithout() {
        byte[] head = Wire.resultsHead(4, 2, 5_000_000_000L);
        byte[] values = "1,2".getBytes(StandardCharsets.US_ASCII);
        byte[] results = new byte[head.length + values.length + Wire.RESULTS_TAIL.length];
        System.arraycopy(head, 0, results, 0, head.length);
        System.arraycopy(values, 0, results, head.length, values.length);
        System.arraycopy(Wire.RESULTS_TAIL, 0, results, head.length + values.length, Wire.RESULTS_TAIL.length);
        assertEquals(new Message.Results(4, 2, List.of(1, 2), 5_000_000_000L), decode(results, types(integer, null)));
        assertEquals(new Message.Results(4, 0, List.of(1), -1),
                decode("{\"t\":\"rs\",\"id\":4,\"i\":0,\"vs\":[1]}", types(integer, null)),
                "a frame without the task time, as an older worker writes it");
    }

    @Test
    void results_valueNotOfResultType_isUnreadableInPlace() {
        Message.Results read = assertInstanceOf(Message.Results.class,
                decode("{\"t\":\"rs\",\"id\":4,\"i\":0,\"vs\":[1,\"x\",3]}", types(integer, null)));
        assertEquals(1, read.values().get(0));
        Message.Results.Unreadable bad = assertInstanceOf(Message.Results.Unreadable.class, read.values().get(1));
        assertEquals("java.lang.Integer", bad.typeName());
        assertEquals(3, read.values().get(2));
    }

    @Test
    void call_headAndBody_roundTripToInputsAndSkips() {
        BitSet skip = new BitSet();
        skip.set(1);
        assertEquals(new Message.Call(5, 9, skip, Arrays.asList(1, 2, 3)), decode(call(5, 9, skip, 1, 2, 3), types(null, integer)));
        assertEquals(new Message.Call(6, 9, new BitSet(), List.of(4)), decode(call(6, 9, new BitSet(), 4), types(null, integer)));
    }

    @Test
    void call_untimed_saysSo_andTimedIsTrueOrFalseOnly() {
        byte[] head = wire.callHead(5, 9, new BitSet(), false);
        Wire.Body body = wire.callBody(List.of(1, 2), integer);
        byte[] frame = new byte[head.length + body.bytes().length];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(body.bytes(), 0, frame, head.length, body.bytes().length);
        assertEquals(new Message.Call(5, 9, new BitSet(), List.of(1, 2), false), decode(frame, types(null, integer)));
        assertTrue(((Message.Call) decode(call(5, 9, new BitSet(), 1), types(null, integer))).timed());
        assertEquals(new Message.Call(5, 9, new BitSet(), List.of(1), true),
                decode("{\"t\":\"call\",\"id\":5,\"task\":9,\"timed\":true,\"skip\":[],\"in\":[1]}", types(null, integer)));
        for (String value : new String[] {"0", "\"false\"", "null", "[]"}) {
            assertThrows(ProtocolException.class, () -> decode(
                    "{\"t\":\"call\",\"id\":5,\"task\":9,\"timed\":" + value + ",\"skip\":[],\"in\":[1]}",
                    types(null, integer)), value);
        }
    }

    @Test
    void call_forUnknownTask_isAVerdictNotAMessage() {
        BitSet skip = new BitSet();
        skip.set(0);
        assertEquals(new Verdict.UnknownTask(5, 9, skip), decode(call(5, 9, skip, 1, 2), types(null, null)));
    }

    @Test
    void call_withInputNotOfInputType_isAVerdictKeepingTheInputsBeforeIt() {
        byte[] frame = "{\"t\":\"call\",\"id\":5,\"task\":9,\"skip\":[],\"in\":[1,\"x\",3]}\n"
                .getBytes(StandardCharsets.UTF_8);
        Verdict.UnreadableInput bad = assertInstanceOf(Verdict.UnreadableInput.class,
                wire.read(frame, 0, frame.length - 1, types(null, integer)));
        assertEquals(new Message.Call(5, 9, new BitSet(), List.of(1)), bad.readable());
        assertEquals(1, bad.index());
        assertEquals("java.lang.Integer", bad.typeName());
    }

    @Test
    void resultNotOfDeclaredType_isAVerdictNotAProtocolError() {
        Verdict.UnreadableResult bad = assertInstanceOf(Verdict.UnreadableResult.class, decode(
                wire.result(1, 0, "not a number", returning(json.data().constructType(String.class)), -1),
                types(integer, null)));
        assertEquals(1, bad.id());
        assertEquals(0, bad.index());
        assertEquals("java.lang.Integer", bad.typeName());
    }

    @Test
    void everyMessageType_hasItsOwnWireName() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Message.Type type : Message.Type.values()) {
            assertTrue(names.add(type.wire), "two types named " + type.wire);
            assertEquals(type, Message.Type.of(type.wire));
        }
    }

    private byte[] call(long id, long task, BitSet skip, Integer... inputs) {
        byte[] head = wire.callHead(id, task, skip);
        Wire.Body body = wire.callBody(Arrays.asList(inputs), integer);
        byte[] frame = new byte[head.length + body.bytes().length];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(body.bytes(), 0, frame, head.length, body.bytes().length);
        return frame;
    }

    @Test
    void outputFrame_keepsControlCharactersAndNewlinesEscaped() {
        byte[] frame = wire.encode(new Message.Output(1, "a\nb\u001Ep4j:c"));
        // Neither a newline nor the sentinel may appear inside a frame.
        assertEquals(frame.length - 1, indexOf(frame, (byte) '\n'));
        assertEquals(0, Wire.findSentinel(frame, 0, frame.length));
        assertEquals(-1, Wire.findSentinel(frame, 1, frame.length - 1));
        assertEquals(new Message.Output(1, "a\nb\u001Ep4j:c"), decode(frame, types(null, null)));
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

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void readPlain_randomTrees_readAsAnUntypedMapperReadsThem() {
        // Definitions are read into plain values: the same as Jackson's untyped reading.
        tools.jackson.databind.json.JsonMapper untyped = new tools.jackson.databind.json.JsonMapper();
        Random random = new Random(9);
        for (int i = 0; i < 2_000; i++) {
            String text = json.data().writeValueAsString(randomTree(random, 0));
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            Object actual;
            try (JsonParser p = json.parser(bytes, 0, bytes.length)) {
                p.nextToken();
                actual = Wire.readPlain(p);
            }
            assertEquals(untyped.readValue(text, Object.class), actual, text);
            // and written back as the same JSON
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (tools.jackson.core.JsonGenerator g = json.generator(out)) {
                Wire.writePlain(g, actual);
            }
            assertEquals(untyped.readTree(text), untyped.readTree(out.toString(StandardCharsets.UTF_8)), text);
        }
    }

    @Test
    void readPlain_frameEndingInsideADefinition_isAProtocolError() {
        assertThrows(ProtocolException.class, () -> decode("{\"t\":\"def\",\"task\":1,\"def\":{\"class\":", types(integer, integer)));
        assertThrows(ProtocolException.class, () -> decode("{\"t\":\"def\",\"task\":1,\"def\":[1,", types(integer, integer)));
    }

    private static JsonNode randomTree(Random random, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (depth > 4 ? 2 + random.nextInt(6) : random.nextInt(8)) {
            case 0 -> {
                ObjectNode object = nodes.objectNode();
                for (int n = random.nextInt(4); n > 0; n--) {
                    object.set("k" + random.nextInt(5), randomTree(random, depth + 1));
                }
                return object;
            }
            case 1 -> {
                ArrayNode array = nodes.arrayNode();
                for (int n = random.nextInt(4); n > 0; n--) {
                    array.add(randomTree(random, depth + 1));
                }
                return array;
            }
            case 2 -> {
                return nodes.numberNode(random.nextInt());
            }
            case 3 -> {
                return nodes.numberNode(random.nextLong());
            }
            case 4 -> {
                return nodes.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            }
            case 5 -> {
                return nodes.stringNode(new String(Character.toChars(32 + random.nextInt(0x2000))) + random.nextInt());
            }
            case 6 -> {
                return nodes.booleanNode(random.nextBoolean());
            }
            default -> {
                return nodes.nullNode();
            }
        }
    }
}
