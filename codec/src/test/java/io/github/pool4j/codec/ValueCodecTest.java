package io.github.pool4j.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Type;
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
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;

class ValueCodecTest {

    record Point(int x, int y) {}

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

    private final Json sender = new Json(1 << 24);
    private final Json receiver = new Json(1 << 24);

    ValueCodecTest() {
        sender.allowList().addCodeSourceOf(ValueCodecTest.class);
        receiver.allowList().addCodeSourceOf(ValueCodecTest.class);
    }

    private Object roundTrip(Object value, Type declared) {
        JavaType type = sender.data().constructType(declared);
        String text = sender.writer(type).writeValueAsString(value);
        return receiver.data().readValue(text, receiver.data().constructType(declared));
    }

    private void same(Object value, Type declared) {
        Object back = roundTrip(value, declared);
        assertEquals(value, back);
        assertEquals(value == null ? null : value.getClass(), back == null ? null : back.getClass());
    }

    record Named(Class<?> type) {}

    @Test
    void classValues_areRefusedBothWays() {
        tools.jackson.core.JacksonException e = org.junit.jupiter.api.Assertions.assertThrows(
                tools.jackson.core.JacksonException.class,
                () -> sender.writer(sender.data().constructType(Named.class)).writeValueAsString(new Named(String.class)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("java.lang.Class"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(tools.jackson.core.JacksonException.class,
                () -> receiver.data().readValue("{\"type\":\"java.lang.String\"}", Named.class));
    }

    @Test
    void jdkValuesRecordsAndMaps_comeBackAsTheSameClass() {
        same(ZonedDateTime.of(2024, 6, 3, 9, 0, 0, 0, ZoneId.of("America/New_York")), ZonedDateTime.class);
        same(ZonedDateTime.of(2024, 6, 3, 9, 0, 0, 0, ZoneId.of("America/New_York")), Object.class);
        same(ZonedDateTime.of(2024, 6, 3, 9, 0, 0, 0, ZoneOffset.ofHours(-4)), Object.class);
        same(ZonedDateTime.of(2024, 6, 3, 9, 0, 0, 0, ZoneId.of("UTC")), Object.class);
        same(OffsetDateTime.of(2024, 6, 3, 9, 0, 0, 0, ZoneOffset.ofHours(-4)), Object.class);
        same(new BigDecimal("0.10"), Object.class);
        same(new BigDecimal("0.10"), BigDecimal.class);
        same(5L, Object.class);
        same(1.5f, Object.class);
        same(Double.NaN, Object.class);
        same('c', Object.class);
        same((short) 3, Object.class);
        same(Instant.parse("2024-06-03T13:00:00.123456789Z"), Object.class);
        same(new Date(1717419600123L), Object.class);
        same(new BigInteger("123456789012345678901234567890"), Object.class);
        same(new Point(1, 2), Object.class);
        same(new Basket(List.of("a", "b")), Basket.class);
        same(new Basket(List.of("a", "b")), Object.class);
        Map<Point, String> map = new LinkedHashMap<>();
        map.put(new Point(1, 2), "a");
        same(map, new TypeReference<Map<Point, String>>() {}.getType());
        same(map, Object.class);
        same(new ArrayList<>(List.of(1L, "x", new Point(3, 4))), Object.class);
        same("\uD800 lone \u0000 nul \uD83D\uDE00", Object.class);
        same(ZoneId.of("Europe/Paris"), Object.class);
        same(java.util.Optional.of(5L), Object.class);
        same(java.util.Optional.empty(), Object.class);
        same(java.nio.file.Path.of("/tmp", "a b"), java.nio.file.Path.class);
        same(java.nio.file.Path.of("/tmp", "a b"), Object.class);
        same(new java.io.File("/tmp/x"), Object.class);
        same(java.util.TimeZone.getTimeZone("Europe/Paris"), java.util.TimeZone.class);
        same(java.nio.charset.StandardCharsets.UTF_8, java.nio.charset.Charset.class);
    }
}
