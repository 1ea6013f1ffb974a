package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pool4j.Pool;
import io.github.pool4j.SerialPool;
import io.github.pool4j.Task;
import io.github.pool4j.TaskResult;
import io.github.pool4j.TaskSerializationException;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A seeded property: values of many shapes (records, plain classes with private fields, nested
 * collections, maps with keys that are not strings, {@code java.time} with zones and offsets, big
 * and small numbers, erased generics, odd strings) come back from a {@link ProcessPool} exactly as
 * a {@link SerialPool} returns them: equal, and of the same classes. Values holding what cannot
 * travel (threads, streams, locks) fail their own input with {@link TaskSerializationException},
 * never another way and never another input.
 *
 * <p>The seed is printed; {@code -Dpool4j.values.seed=N} replays a run, {@code -Dpool4j.values.tries=N}
 * changes how many values are tried (5,000 by default: about 9 s on an idle 2-core machine, 30 s on a loaded one).
 */
class RoundTripPropertyTest {

    private static final long SEED = Long.getLong("pool4j.values.seed", new Random().nextLong());
    private static final int TRIES = Integer.getInteger("pool4j.values.tries", 5000);
    /** Values per map call: enough to amortise a round trip, few enough to name a failure quickly. */
    private static final int BATCH = 100;
    private static final int MAX_DEPTH = 4;
    private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();

    private static ProcessPool<Object, Object> pool;

    @BeforeAll
    static void start() {
        System.out.println("RoundTripPropertyTest seed: " + SEED + " (replay with -Dpool4j.values.seed=" + SEED + ")");
        pool = ProcessPool.builder().size(2).build();
    }

    @AfterAll
    static void stop() {
        pool.close();
        Leftovers.assertNone();
    }

    // ---- the shapes -------------------------------------------------------------------------------

    enum Color { RED, GREEN, BLUE { @Override public String toString() { return "blue"; } } }

    record Point(int x, Long y) {}

    /** Erased generics: every field's declared type hides the value's class. */
    record Erased(Object any, List<Object> list, Map<?, ?> map, Number number, Temporal when, CharSequence text) {}

    /** A plain class: private fields, no getters, no no-argument constructor. */
    static final class Bag {
        private final String label;
        private final List<Object> items;
        private final Map<Object, Object> index;
        private Object extra;

        Bag(String label, List<Object> items, Map<Object, Object> index, Object extra) {
            this.label = label;
            this.items = items;
            this.index = index;
            this.extra = extra;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bag b && Objects.equals(label, b.label) && Objects.equals(items, b.items)
                    && Objects.equals(index, b.index) && Objects.equals(extra, b.extra);
        }

        @Override
        public int hashCode() {
            return Objects.hash(label, items, index, extra);
        }

        @Override
        public String toString() {
            return "Bag[" + label + ", " + items + ", " + index + ", " + extra + "]";
        }
    }

    static Object identity(Object value) {
        return value;
    }

    static Erased identity(Erased value) {
        return value;
    }

    static Bag identity(Bag value) {
        return value;
    }

    static Map<Point, List<Object>> identity(Map<Point, List<Object>> value) {
        return value;
    }

    // ---- generators ----------------------------------------------------------------------------------

    /** What a shape's values are mapped with: a task whose declared types are that shape's. */
    private record Shape(String name, Task<Object, Object> task, Function<Random, Object> values) {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Shape> shapes() {
        Task<Erased, Erased> erased = RoundTripPropertyTest::identity;
        Task<Bag, Bag> bag = RoundTripPropertyTest::identity;
        Task<Map<Point, List<Object>>, Map<Point, List<Object>>> keyed = RoundTripPropertyTest::identity;
        Task<Object, Object> object = RoundTripPropertyTest::identity;
        return List.of(
                new Shape("Object", object, r -> any(r, 0)),
                new Shape("Erased record", (Task) erased, RoundTripPropertyTest::erased),
                new Shape("plain class", (Task) bag, r -> bag(r, 0)),
                new Shape("Map<Point, List<Object>>", (Task) keyed, r -> {
                    Map<Point, List<Object>> m = new LinkedHashMap<>();
                    for (int i = r.nextInt(4); i > 0; i--) {
                        m.put(point(r), list(r, 1));
                    }
                    return m;
                }));
    }

    static Object any(Random r, int depth) {
        int kinds = depth >= MAX_DEPTH ? 4 : 10;
        return switch (r.nextInt(kinds)) {
            case 0, 1 -> number(r);
            case 2 -> time(r);
            case 3 -> scalar(r);
            case 4 -> list(r, depth + 1);
            case 5 -> map(r, depth + 1);
            case 6 -> point(r);
            case 7 -> bag(r, depth + 1);
            case 8 -> set(r);
            default -> Optional.ofNullable(scalar(r));
        };
    }

    static Number number(Random r) {
        return switch (r.nextInt(11)) {
            case 0 -> r.nextInt();
            case 1 -> r.nextBoolean() ? (long) r.nextInt(100) : r.nextLong();
            case 2 -> (short) r.nextInt();
            case 3 -> (byte) r.nextInt();
            case 4 -> pick(r, Float.NaN, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, r.nextFloat());
            case 5 -> pick(r, Double.NaN, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.POSITIVE_INFINITY,
                    r.nextGaussian() * 1e300, r.nextDouble());
            case 6 -> new BigInteger(r.nextInt(3000) + 1, r).multiply(BigInteger.valueOf(r.nextBoolean() ? 1 : -1));
            case 7 -> new BigDecimal(new BigInteger(r.nextInt(300) + 1, r), r.nextInt(60) - 20);
            case 8 -> pick(r, new BigDecimal("0.10"), new BigDecimal("1E+3"), new BigDecimal("-0.000"), BigDecimal.ZERO);
            case 9 -> pick(r, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, 0L);
            default -> r.nextInt(10);
        };
    }

    static Temporal time(Random r) {
        Instant instant = Instant.ofEpochSecond(r.nextLong() % 8_000_000_000L, r.nextInt(1_000_000_000));
        ZoneId zone = switch (r.nextInt(4)) {
            case 0 -> ZoneOffset.ofTotalSeconds((r.nextInt(36) - 18) * 3600 + (r.nextBoolean() ? 1800 : 0));
            case 1 -> ZoneId.of("UTC");
            case 2 -> ZoneOffset.UTC;
            default -> ZoneId.of(ZONES.get(r.nextInt(ZONES.size())));
        };
        ZonedDateTime zoned = instant.atZone(zone);
        return switch (r.nextInt(9)) {
            case 0 -> instant;
            case 1 -> zoned;
            case 2 -> zoned.toOffsetDateTime();
            case 3 -> zoned.toLocalDateTime();
            case 4 -> zoned.toLocalDate();
            case 5 -> zoned.toLocalTime();
            case 6 -> zoned.toOffsetDateTime().toOffsetTime();
            case 7 -> Year.of(zoned.getYear());
            default -> YearMonth.from(zoned);
        };
    }

    static Object scalar(Random r) {
        return switch (r.nextInt(16)) {
            case 0 -> oddString(r);
            case 1 -> r.nextBoolean();
            case 2 -> (char) r.nextInt(0x10000);
            case 3 -> null;
            case 4 -> new Date(r.nextLong() % 100_000_000_000_000L);
            case 5 -> new UUID(r.nextLong(), r.nextLong());
            case 6 -> URI.create("https://example.org/p?q=" + r.nextInt() + "#f");
            case 7 -> Color.values()[r.nextInt(3)];
            case 8 -> DayOfWeek.of(r.nextInt(7) + 1);
            case 9 -> Month.of(r.nextInt(12) + 1);
            case 10 -> Duration.ofSeconds(r.nextLong() % 1_000_000_000L, r.nextInt(1_000_000_000));
            case 11 -> Period.of(r.nextInt(100) - 50, r.nextInt(24) - 12, r.nextInt(60) - 30);
            case 12 -> MonthDay.of(r.nextInt(12) + 1, r.nextInt(28) + 1);
            case 13 -> ZoneId.of(ZONES.get(r.nextInt(ZONES.size())));
            case 14 -> ZoneOffset.ofHours(r.nextInt(36) - 18);
            default -> time(r);
        };
    }

    static String oddString(Random r) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            switch (r.nextInt(9)) {
                case 0 -> s.append('\uD800'); // lone high surrogate
                case 1 -> s.append('\uDC00'); // lone low surrogate
                case 2 -> s.append('\0');
                case 3 -> s.append("\uD83D\uDE00"); // an emoji
                case 4 -> s.append("\u001Ep4j:");
                case 5 -> s.append("\r\n\t\"\\");
                case 6 -> s.append((char) r.nextInt(0x10000));
                case 7 -> s.append("\u00e9\u4e2d");
                default -> s.append((char) ('a' + r.nextInt(26)));
            }
        }
        return s.toString();
    }

    static List<Object> list(Random r, int depth) {
        List<Object> list = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            list.add(any(r, depth));
        }
        return r.nextInt(4) == 0 ? List.copyOf(list.stream().filter(Objects::nonNull).toList()) : list;
    }

    static Set<Object> set(Random r) {
        Set<Object> set = new LinkedHashSet<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            set.add(r.nextBoolean() ? number(r) : point(r));
        }
        return set;
    }

    /** A map whose keys are strings, numbers, records, enums or dates. */
    static Map<Object, Object> map(Random r, int depth) {
        Map<Object, Object> map = switch (r.nextInt(3)) {
            case 0 -> new HashMap<>();
            case 1 -> new TreeMap<>();
            default -> new LinkedHashMap<>();
        };
        int keyKind = r.nextInt(6);
        for (int i = r.nextInt(4); i > 0; i--) {
            Object key = switch (map instanceof TreeMap ? 0 : keyKind) {
                case 0 -> "k" + r.nextInt(100);
                case 1 -> number(r) instanceof Integer n ? n : r.nextLong();
                case 2 -> point(r);
                case 3 -> Color.values()[r.nextInt(3)];
                case 4 -> time(r);
                default -> new Date(r.nextInt());
            };
            map.put(key, any(r, depth));
        }
        return map;
    }

    static Point point(Random r) {
        return new Point(r.nextInt(), r.nextBoolean() ? null : r.nextLong());
    }

    static Bag bag(Random r, int depth) {
        return new Bag(r.nextBoolean() ? oddString(r) : null, list(r, depth + 1), map(r, depth + 1),
                depth < MAX_DEPTH ? any(r, depth + 1) : null);
    }

    static Erased erased(Random r) {
        Object map = r.nextBoolean() ? map(r, 1) : Map.of(point(r), number(r));
        return new Erased(any(r, 1), list(r, 1), (Map<?, ?>) map, number(r), time(r),
                r.nextBoolean() ? oddString(r) : new StringBuilder("not a String").toString());
    }

    @SafeVarargs
    static <T> T pick(Random r, T... values) {
        return values[r.nextInt(values.length)];
    }

    // ---- the property ----------------------------------------------------------------------------

    @Test
    void everyShape_comesBackFromAProcessPoolAsFromASerialPool() {
        Random random = new Random(SEED);
        List<Shape> shapes = shapes();
        int tried = 0;
        try (SerialPool<Object, Object> serial = SerialPool.create()) {
            while (tried < TRIES) {
                Shape shape = shapes.get(random.nextInt(shapes.size()));
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < BATCH && tried < TRIES; i++, tried++) {
                    values.add(shape.values().apply(random));
                }
                List<TaskResult<Object>> expected = serial.mapResults(shape.task(), values);
                List<TaskResult<Object>> actual = pool.mapResults(shape.task(), values);
                for (int i = 0; i < values.size(); i++) {
                    String where = "seed " + SEED + ", shape " + shape.name() + ", value " + abbreviate(values.get(i));
                    if (!actual.get(i).isSuccess()) {
                        fail(where + ": failed with " + actual.get(i).failure(), actual.get(i).failure());
                    }
                    assertSame(expected.get(i).value(), actual.get(i).value(), where, "value");
                }
            }
        }
        assertEquals(TRIES, tried);
    }

    /** Things that hold native state or live threads: they may only fail, as the input they are. */
    static Object cannotTravel(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> new Thread(() -> {});
            case 1 -> new ByteArrayInputStream(new byte[] {1});
            case 2 -> new ReentrantLock();
            default -> Thread.currentThread().getContextClassLoader();
        };
    }

    @Test
    void valuesHoldingWhatCannotTravel_failOnlyTheirInputWithTaskSerializationException() {
        Random random = new Random(SEED ^ 0x5DEECE66DL);
        List<Object> values = new ArrayList<>();
        List<Boolean> bad = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            boolean poisoned = random.nextInt(3) == 0;
            Object good = any(random, 2);
            Object poison = cannotTravel(random);
            Object value = !poisoned ? good : switch (random.nextInt(5)) {
                case 0 -> poison;
                case 1 -> new ArrayList<>(List.of(good == null ? 1 : good, poison));
                case 2 -> new Bag("b", new ArrayList<>(), new LinkedHashMap<>(Map.of("k", poison)), null);
                case 3 -> new Erased(poison, List.of(), Map.of(), 1, Instant.EPOCH, "t");
                default -> new Bag("b", new ArrayList<>(), new HashMap<>(), poison);
            };
            values.add(value);
            bad.add(poisoned);
        }
        Task<Object, Object> object = RoundTripPropertyTest::identity;
        List<TaskResult<Object>> results = pool.mapResults(object, values);
        for (int i = 0; i < values.size(); i++) {
            String where = "seed " + SEED + ", value " + abbreviate(values.get(i));
            if (bad.get(i)) {
                TaskSerializationException e = assertInstanceOf(TaskSerializationException.class,
                        results.get(i).failure(), where);
                assertTrue(e.getMessage().contains("cannot travel"), e.getMessage());
            } else {
                assertTrue(results.get(i).isSuccess(), where + ": " + results.get(i).failure());
                assertSame(values.get(i), results.get(i).value(), where, "value");
            }
        }
        // The same, made in the worker: a result holding what cannot travel fails as that input's result.
        List<Integer> indexes = java.util.stream.IntStream.range(0, 30).boxed().toList();
        Pool<Integer, Object> typed = cast(pool);
        List<TaskResult<Object>> made = typed.mapResults(RoundTripPropertyTest::poisonedResult, indexes);
        for (int i : indexes) {
            if (i % 3 == 0) {
                assertInstanceOf(TaskSerializationException.class, made.get(i).failure(), "result " + i);
            } else {
                assertEquals(List.of(i, "ok"), made.get(i).value(), "result " + i);
            }
        }
    }

    static Object poisonedResult(int i) {
        Object poison = cannotTravel(new Random(i));
        return switch (i % 3) {
            case 0 -> i % 2 == 0 ? poison : new ArrayList<>(List.of(i, poison));
            default -> List.of(i, "ok");
        };
    }

    // ---- equal and of the same classes -------------------------------------------------------------

    /** Asserts {@code actual} equals {@code expected} and its values are of the same classes. */
    static void assertSame(Object expected, Object actual, String where, String path) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, where + " at " + path);
            return;
        }
        if (expected instanceof List<?> e) {
            List<?> a = assertInstanceOf(List.class, actual, where + " at " + path);
            assertEquals(e.size(), a.size(), where + " at " + path);
            for (int i = 0; i < e.size(); i++) {
                assertSame(e.get(i), a.get(i), where, path + "[" + i + "]");
            }
            return;
        }
        if (expected instanceof Set<?> e) {
            Set<?> a = assertInstanceOf(Set.class, actual, where + " at " + path);
            assertEquals(e, a, where + " at " + path);
            for (Object element : e) {
                assertSame(element, a.stream().filter(element::equals).findFirst().orElse(null), where, path + "{}");
            }
            return;
        }
        if (expected instanceof Map<?, ?> e) {
            Map<?, ?> a = assertInstanceOf(Map.class, actual, where + " at " + path);
            assertEquals(e.size(), a.size(), where + " at " + path);
            for (Map.Entry<?, ?> entry : e.entrySet()) {
                Object key = a.keySet().stream().filter(k -> Objects.equals(k, entry.getKey())).findFirst()
                        .orElseThrow(() -> new AssertionError(where + " at " + path + ": no key " + entry.getKey()));
                assertSame(entry.getKey(), key, where, path + ".key");
                assertSame(entry.getValue(), a.get(key), where, path + "[" + entry.getKey() + "]");
            }
            return;
        }
        if (expected instanceof Optional<?> e) {
            Optional<?> a = assertInstanceOf(Optional.class, actual, where + " at " + path);
            assertSame(e.orElse(null), a.orElse(null), where, path + ".get()");
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), where + " at " + path);
        assertEquals(expected, actual, where + " at " + path);
    }

    @SuppressWarnings("unchecked")
    private static <T, R> Pool<T, R> cast(Pool<?, ?> pool) {
        return (Pool<T, R>) pool;
    }

    /** The value as text short enough for a message, control characters and surrogates escaped. */
    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 300; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || Character.isSurrogate(c) || c == 0x7F ? String.format("\\u%04x", (int) c) : c);
        }
        return out.length() >= 300 ? out + "..." : out.toString();
    }
}
