package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.TaskResult;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.TaskSerializationException.Subject;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TypesTest extends SharedPool {

    @Test
    void map_records_travelBothWays() {
        Pool<Tasks.Point, Tasks.Point> p = pool();
        assertEquals(List.of(new Tasks.Point(2, 1)), p.map(pt -> new Tasks.Point(pt.y(), pt.x()), List.of(new Tasks.Point(1, 2))));
    }

    @Test
    void map_genericMethodReference_keepsNestedTypes() {
        Pool<List<Long>, Map<String, List<Long>>> p = pool();
        Map<String, List<Long>> grouped = p.map(Tasks::group, List.of(List.of(1L, 2L, 3L))).get(0);
        assertEquals(List.of(2L), grouped.get("even"));
        assertInstanceOf(Long.class, grouped.get("odd").get(0));
    }

    @Test
    void map_listOfIntegers_roundTrips() {
        Pool<List<Integer>, List<Integer>> p = pool();
        assertEquals(List.of(List.of(2, 3)), p.map(l -> l.stream().map(x -> x + 1).toList(), List.of(List.of(1, 2))));
    }

    @Test
    void map_optionalAndJavaTime_roundTrip() {
        Pool<LocalDate, Optional<LocalDate>> p = pool();
        LocalDate day = LocalDate.of(2024, 2, 28);
        assertEquals(List.of(Optional.of(day.plusDays(1))), p.map(Tasks::nextDay, List.of(day)));
        Pool<Instant, Duration> q = pool();
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        assertEquals(List.of(Duration.ofHours(1)), q.map(i -> Duration.between(t, i), List.of(t.plusSeconds(3600))));
    }

    @Test
    void map_nullInputAndResult_travel() {
        Pool<String, String> p = pool();
        assertEquals(Arrays.asList(null, "x"), p.map(s -> s == null ? null : s, Arrays.asList(null, "x")));
    }

    @Test
    void map_voidResults_areNull() {
        Pool<String, Void> p = pool();
        assertEquals(Arrays.asList(null, null), p.map(s -> null, List.of("a", "b")));
    }

    @Test
    void map_primitiveMethodReference_boxes() {
        Pool<Integer, Integer> p = pool();
        assertEquals(List.of(4, 9), p.map(Tasks::square, List.of(2, 3)));
    }

    @Test
    void map_resultTypeOverride_restoresErasedGenerics() {
        Type type = new ParameterizedType() {
            @Override
            public Type[] getActualTypeArguments() {
                return new Type[] {Long.class};
            }

            @Override
            public Type getRawType() {
                return List.class;
            }

            @Override
            public Type getOwnerType() {
                return null;
            }
        };
        try (Pool<Integer, List<Long>> p = ProcessPool.builder().size(1).resultType(type).build()) {
            List<Long> result = p.map(n -> List.of((long) n), List.of(5)).get(0);
            assertInstanceOf(Long.class, result.get(0));
        }
    }

    @Test
    void map_anonymousClass_failsInCallerWithReason() {
        Pool<Integer, Integer> p = pool();
        TaskSerializationException e = assertThrows(TaskSerializationException.class,
                () -> p.map(new io.github.pool4j.Task<Integer, Integer>() {
                    @Override
                    public Integer apply(Integer input) {
                        return input;
                    }
                }, List.of(1)));
        assertEquals(Subject.TASK, e.what());
        assertTrue(e.getMessage().contains("anonymous"), e.getMessage());
    }

    @Test
    void map_lambdaCapturingThread_failsInCaller() {
        Pool<Integer, String> p = pool();
        Thread thread = new Thread(() -> {});
        TaskSerializationException e = assertThrows(TaskSerializationException.class,
                () -> p.map(x -> thread.getName() + x, List.of(1)));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
    }

    @Test
    void map_lambdaCapturingSocket_failsInCaller() throws Exception {
        Pool<Integer, Integer> p = pool();
        try (ServerSocket socket = new ServerSocket(0)) {
            TaskSerializationException e = assertThrows(TaskSerializationException.class,
                    () -> p.map(x -> socket.getLocalPort() + x, List.of(1)));
            assertTrue(e.getMessage().contains("ServerSocket"), e.getMessage());
        }
    }

    private final AtomicInteger counter = new AtomicInteger();

    @Test
    void map_lambdaCapturingThisOfNonDataClass_failsInCaller() {
        Pool<Integer, Integer> p = pool();
        TaskSerializationException e = assertThrows(TaskSerializationException.class,
                () -> p.map(x -> x + counter.get(), List.of(1)));
        assertEquals(Subject.TASK, e.what());
    }

    /** Not JSON: a list that contains itself. */
    static List<Object> cyclic() {
        List<Object> list = new ArrayList<>();
        list.add(list);
        return list;
    }

    @Test
    void mapResults_unserializableInput_failsOnlyThatIndex() {
        Pool<Object, String> p = pool();
        List<Object> inputs = new ArrayList<>(List.of("a", cyclic(), "c"));
        List<TaskResult<String>> results = p.mapResults(o -> o instanceof String s ? s : "?", inputs);
        assertEquals("a", results.get(0).value());
        TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, results.get(1).failure());
        assertEquals(1, e.inputIndex());
        assertEquals(Subject.INPUT, e.what());
        assertEquals("c", results.get(2).value());
    }

    @Test
    void mapResults_unserializableResult_failsThatIndexAndWorkerSurvives() {
        Pool<Integer, Object> p = pool();
        List<TaskResult<Object>> results = p.mapResults(x -> x == 1 ? cyclic() : x, List.of(0, 1, 2));
        TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, results.get(1).failure());
        assertEquals(Subject.RESULT, e.what());
        assertEquals(1, e.inputIndex());
        assertEquals(2, results.get(2).value());
    }

    @Test
    void map_inputLargerThanMaxFrame_failsWithSerializationException() {
        try (Pool<String, Integer> p = ProcessPool.builder().size(1).maxFrameBytes(4096).build()) {
            List<TaskResult<Integer>> results = p.mapResults(String::length, List.of("x".repeat(10_000), "ok"));
            TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, results.get(0).failure());
            assertTrue(e.getMessage().contains("maxFrameBytes"), e.getMessage());
            assertEquals(2, results.get(1).value());
            List<TaskResult<Integer>> small = p.mapResults(String::length, List.of("ok"));
            assertEquals(2, small.get(0).value());
        }
    }

    @Test
    void map_chunkLargerThanMaxFrame_isSplitAcrossFrames() {
        List<String> inputs = java.util.stream.IntStream.range(0, 200).mapToObj(i -> i + "-" + "z".repeat(100)).toList();
        try (Pool<String, Integer> p = ProcessPool.builder().size(1).chunkSize(200).maxFrameBytes(4096).build()) {
            List<Integer> lengths = p.map(String::length, inputs);
            assertEquals(inputs.stream().map(String::length).toList(), lengths);
        }
    }

    @Test
    void map_resultLargerThanMaxFrame_failsThatInput() {
        try (Pool<Integer, String> p = ProcessPool.builder().size(1).maxFrameBytes(4096).build()) {
            List<TaskResult<String>> results = p.mapResults(n -> "y".repeat(n), List.of(10_000, 3));
            TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, results.get(0).failure());
            assertEquals(Subject.RESULT, e.what());
            assertEquals("yyy", results.get(1).value());
        }
    }
}
