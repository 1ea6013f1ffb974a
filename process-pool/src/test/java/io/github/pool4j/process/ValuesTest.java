package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskResult;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.TaskSerializationException.Subject;
import io.github.pool4j.WorkerStats;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A value arrives equal to what was sent, as the same class, even where generics erased its
 * declared type; what cannot travel fails its own input with {@link TaskSerializationException}
 * naming the class and the field, and no worker dies of a value.
 */
class ValuesTest extends SharedPool {

    static final ZonedDateTime NEW_YORK = ZonedDateTime.of(2024, 6, 3, 9, 0, 0, 0, ZoneId.of("America/New_York"));

    /** A record used as a map key. */
    record Point(int x, int y) {}

    /** State kept private, no getters in the bean sense, no no-argument constructor. */
    static final class Basket {
        private final List<String> items;

        Basket(List<String> items) {
            this.items = new ArrayList<>(items);
        }

        List<String> items() {
            return items;
        }

        boolean isEmpty() {
            return items.isEmpty();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Basket b && b.items.equals(items);
        }

        @Override
        public int hashCode() {
            return items.hashCode();
        }
    }

    /** A value holding something that cannot travel, in a named field. */
    record Holder(String name, Object payload) {}

    /** One level of a nested value: each level is one level of JSON. */
    record Nest(Nest inner) {
        static Nest of(int depth) {
            Nest n = null;
            for (int i = 0; i < depth; i++) {
                n = new Nest(n);
            }
            return n;
        }
    }

    static Object same(Object value) {
        return value;
    }

    static Object echo(int which) {
        return switch (which) {
            case 0 -> 5L;
            case 1 -> new BigDecimal("0.10");
            case 2 -> 1.5f;
            case 3 -> Instant.parse("2024-06-03T13:00:00.123456789Z");
            case 4 -> new Date(1_717_419_600_123L);
            case 5 -> NEW_YORK;
            default -> OffsetDateTime.of(2024, 6, 3, 9, 0, 0, 0, ZoneOffset.ofHours(-4));
        };
    }

    @Test
    void map_zonedAndOffsetDateTimes_keepZoneAndOffsetBothWays() {
        Pool<ZonedDateTime, ZonedDateTime> p = pool();
        ZonedDateTime back = p.map(z -> z, List.of(NEW_YORK)).get(0);
        assertEquals(NEW_YORK, back);
        assertEquals(ZoneId.of("America/New_York"), back.getZone());
        Pool<Object, Object> erased = pool();
        OffsetDateTime offset = OffsetDateTime.of(2024, 6, 3, 9, 0, 0, 0, ZoneOffset.ofHours(-4));
        assertEquals(List.of(NEW_YORK, offset), erased.map(ValuesTest::same, List.of(NEW_YORK, offset)));
    }

    @Test
    void map_erasedResults_keepTheirClassAndScale() {
        Pool<Integer, Object> p = pool();
        List<Object> expected = IntStream.range(0, 7).mapToObj(ValuesTest::echo).toList();
        List<Object> results = p.map(ValuesTest::echo, IntStream.range(0, 7).boxed().toList());
        assertEquals(expected, results);
        for (int i = 0; i < expected.size(); i++) {
            assertSame(expected.get(i).getClass(), results.get(i).getClass(), "result " + i);
        }
        assertEquals(2, ((BigDecimal) results.get(1)).scale());
    }

    @Test
    void map_erasedInputs_keepTheirClass() {
        Pool<Object, String> p = pool();
        List<Object> inputs = List.of(5L, new BigDecimal("0.10"), 1.5f, new Date(7), NEW_YORK, new Point(1, 2));
        assertEquals(inputs.stream().map(v -> v.getClass().getName() + "=" + v).toList(),
                p.map(v -> v.getClass().getName() + "=" + v, inputs));
    }

    @Test
    void map_mapWithRecordKeys_travelsBothWays() {
        Map<Point, String> named = new LinkedHashMap<>();
        named.put(new Point(1, 2), "a");
        named.put(new Point(3, 4), "b");
        Pool<Map<Point, String>, Map<Point, String>> p = pool();
        assertEquals(List.of(named), p.map(m -> m, List.of(named)));
        Pool<Object, Object> erased = pool();
        assertEquals(List.of(named), erased.map(ValuesTest::same, List.of(named)));
    }

    @Test
    void map_classWithPrivateStateAndNoGetters_travelsByItsFields() {
        Pool<Basket, Basket> p = pool();
        Basket basket = new Basket(List.of("apple", "pear"));
        Basket back = p.map(b -> new Basket(b.items().stream().map(String::toUpperCase).toList()), List.of(basket))
                .get(0);
        assertEquals(List.of("APPLE", "PEAR"), back.items());
        assertFalse(back.isEmpty());
    }

    @Test
    void mapResults_threadResultDeclaredObject_failsThatInputNamingTheClass() {
        Pool<Integer, Object> p = pool();
        List<TaskResult<Object>> results = p.mapResults(i -> i == 1 ? new Thread(() -> {}) : i, List.of(0, 1, 2));
        TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, results.get(1).failure());
        assertEquals(Subject.RESULT, e.what());
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        assertEquals(0, results.get(0).value());
        assertEquals(2, results.get(2).value());
    }

    @Test
    void mapResults_threadInAField_failsNamingTheClassAndTheField() {
        Pool<Integer, Holder> p = pool();
        List<TaskResult<Holder>> results = p.mapResults(i -> new Holder("h" + i, i == 1 ? new Thread(() -> {}) : i),
                List.of(0, 1));
        TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, results.get(1).failure());
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        assertTrue(e.getMessage().contains("payload"), e.getMessage());
        assertEquals(new Holder("h0", 0), results.get(0).value());
    }

    @Test
    void mapResults_classOutsideTheAllowListWhereErased_isRefusedNamingIt() {
        // A record of pool4j-core: neither a JDK value type, nor declared, nor beside the task.
        Pool<Integer, Object> p = pool();
        List<TaskResult<Object>> results = p.mapResults(i -> i == 0 ? new WorkerStats("w", i, 0, 0, true) : i,
                List.of(0, 1));
        TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, results.get(0).failure());
        assertTrue(e.getMessage().contains(WorkerStats.class.getName()), e.getMessage());
        assertEquals(1, results.get(1).value());
        // Declared, it travels.
        Pool<Integer, WorkerStats> declared = pool();
        assertEquals(List.of(new WorkerStats("w", 3, 0, 0, true)),
                declared.map(i -> new WorkerStats("w", i, 0, 0, true), List.of(3)));
        // Named by the builder, it travels where erased too.
        try (Pool<Integer, Object> told = ProcessPool.builder().size(1).valueTypes(WorkerStats.class).build()) {
            assertEquals(List.of(new WorkerStats("w", 4, 0, 0, true), 5),
                    told.map(i -> i == 4 ? new WorkerStats("w", i, 0, 0, true) : i, List.of(4, 5)));
        }
    }

    @Test
    void mapResults_bigIntegerLongerThanTheLimit_failsOnlyThatInputBothWays() {
        BigInteger huge = BigInteger.TEN.pow(1204); // 1,205 digits
        Set<Long> pids = workerPids();
        Pool<BigInteger, BigInteger> in = pool();
        List<TaskResult<BigInteger>> inputs = in.mapResults(b -> b.add(BigInteger.ONE),
                List.of(BigInteger.ONE, huge, BigInteger.TWO));
        TaskSerializationException e = assertInstanceOf(TaskSerializationException.class, inputs.get(1).failure());
        assertEquals(Subject.INPUT, e.what());
        assertEquals(BigInteger.TWO, inputs.get(0).value());
        assertEquals(BigInteger.valueOf(3), inputs.get(2).value());
        Pool<Integer, BigInteger> out = pool();
        List<TaskResult<BigInteger>> results = out.mapResults(i -> i == 1 ? BigInteger.TEN.pow(1204) : BigInteger.valueOf(i),
                List.of(0, 1, 2));
        e = assertInstanceOf(TaskSerializationException.class, results.get(1).failure());
        assertEquals(Subject.RESULT, e.what());
        assertEquals(BigInteger.ZERO, results.get(0).value());
        assertEquals(BigInteger.TWO, results.get(2).value());
        assertEquals(pids, workerPids(), "no worker may die of a value");
    }

    @Test
    void mapResults_valuesNestedAroundTheLimit_arriveOrFailAloneBothWays() {
        Set<Long> pids = workerPids();
        List<Integer> depths = IntStream.rangeClosed(495, 505).boxed().toList();
        Pool<Nest, Integer> in = pool();
        List<TaskResult<Integer>> inputs = in.mapResults(ValuesTest::depth,
                depths.stream().map(Nest::of).collect(Collectors.toList()));
        Pool<Integer, Nest> out = pool();
        List<TaskResult<Nest>> results = out.mapResults(Nest::of, depths);
        for (int k = 0; k < depths.size(); k++) {
            TaskResult<Integer> input = inputs.get(k);
            if (input.isSuccess()) {
                assertEquals(depths.get(k), input.value());
            } else {
                assertInstanceOf(TaskSerializationException.class, input.failure(), "depth " + depths.get(k));
            }
            TaskResult<Nest> result = results.get(k);
            if (result.isSuccess()) {
                assertEquals(depths.get(k), depth(result.value()));
            } else {
                assertInstanceOf(TaskSerializationException.class, result.failure(), "depth " + depths.get(k));
            }
        }
        assertTrue(inputs.get(0).isSuccess() && results.get(0).isSuccess(), "495 levels travel");
        assertFalse(inputs.get(depths.size() - 1).isSuccess() || results.get(depths.size() - 1).isSuccess(),
                "505 levels are refused");
        assertEquals(pids, workerPids(), "no worker may die of a value");
    }

    static int depth(Nest n) {
        int d = 0;
        for (Nest c = n; c != null; c = c.inner()) {
            d++;
        }
        return d;
    }

    @Test
    void mapResults_exceptionWithHugeMessage_failsItsInputKeepingClassAndStack() {
        Set<Long> pids = workerPids();
        Pool<Integer, Integer> p = pool();
        List<TaskResult<Integer>> results = p.mapResults(ValuesTest::throwHuge, List.of(0, 1));
        TaskFailedException e = assertInstanceOf(TaskFailedException.class, results.get(1).failure());
        assertEquals(IllegalStateException.class.getName(), e.remoteClassName());
        assertTrue(e.remoteMessage().length() < 1024 * 1024, "message cut: " + e.remoteMessage().length());
        assertTrue(e.remoteMessage().startsWith("xxxx"), "message kept in part");
        Throwable cause = e.getCause();
        assertNotNull(cause);
        assertTrue(List.of(cause.getStackTrace()).stream().anyMatch(f -> f.getMethodName().equals("throwHuge")),
                "the remote stack is kept");
        assertTrue(e.remoteStackTrace().contains("throwHuge"), "the printed trace keeps the frames");
        assertEquals(0, results.get(0).value());
        assertEquals(pids, workerPids(), "no worker may die of a message");
    }

    static int throwHuge(int i) {
        if (i == 1) {
            throw new IllegalStateException("x".repeat(34 * 1024 * 1024));
        }
        return i;
    }

    @Test
    void map_inputThatCannotTravel_failsInTheCallerNamingTheField() {
        Pool<Holder, String> p = pool();
        TaskSerializationException e = assertThrows(TaskSerializationException.class,
                () -> p.map(Holder::name, List.of(new Holder("x", Thread.currentThread()))));
        assertEquals(Subject.INPUT, e.what());
        assertTrue(e.getMessage().contains("java.lang.Thread") && e.getMessage().contains("payload"), e.getMessage());
    }

    private static Set<Long> workerPids() {
        return pool().stats().workers().stream().filter(WorkerStats::alive).map(WorkerStats::pid)
                .collect(Collectors.toSet());
    }
}
