package io.github.pool4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pool4j.spi.PoolOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shared builder options and the automatic chunk size. */
class PoolBuilderTest {

    @Test
    void setters_rejectOutOfBoundValuesNamingTheBound() {
        assertEquals("size must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> SerialPool.builder().size(0)).getMessage());
        assertEquals("chunkSize must be >= 1, was -2",
                assertThrows(IllegalArgumentException.class, () -> SerialPool.builder().chunkSize(-2)).getMessage());
        assertEquals("taskTimeout must be > 0, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> SerialPool.builder().taskTimeout(Duration.ofSeconds(-1))).getMessage());
        assertThrows(NullPointerException.class, () -> SerialPool.builder().taskTimeout(null));
        assertThrows(NullPointerException.class, () -> SerialPool.builder().listener(null));
    }

    @Test
    void build_copiesTheOptions_soABuilderCanBeReused() {
        SerialPool.Builder builder = SerialPool.builder().size(3).chunkSize(5).taskTimeout(Duration.ofSeconds(2));
        try (SerialPool<Integer, Integer> first = builder.build()) {
            builder.size(4);
            try (SerialPool<Integer, Integer> second = builder.build()) {
                PoolOptions options = first.options();
                assertEquals(3, options.size());
                assertEquals(5, options.chunkSize());
                assertEquals(Duration.ofSeconds(2), options.taskTimeout());
                assertEquals(4, second.size());
            }
        }
    }

    @Test
    void chunkSizeFor_auto_isPythonsCeilOfNOverFourTimesSize() {
        PoolOptions auto = PoolOptions.ofSize(3);
        assertNull(auto.taskTimeout());
        assertEquals(1, auto.chunkSizeFor(0));
        assertEquals(1, auto.chunkSizeFor(-1), "unknown length (imap): one input per chunk");
        assertEquals(1, auto.chunkSizeFor(12));
        assertEquals(2, auto.chunkSizeFor(13));
        assertEquals(834, auto.chunkSizeFor(10_000));
        assertEquals(7, new PoolOptions(3, 7, null, PoolListener.NONE).chunkSizeFor(10_000));
    }

    @Test
    void poolOptions_rejectBadValues() {
        assertThrows(IllegalArgumentException.class, () -> new PoolOptions(0, 0, null, PoolListener.NONE));
        assertThrows(IllegalArgumentException.class, () -> new PoolOptions(1, -1, null, PoolListener.NONE));
        assertThrows(NullPointerException.class, () -> new PoolOptions(1, 0, null, null));
    }
}
