package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class SecondsTest {

    private final Seconds seconds = new Seconds();

    @Test
    void convert_decimalSeconds_exactDuration() {
        assertEquals(Duration.ofSeconds(10), seconds.convert("10"));
        assertEquals(Duration.ofMillis(250), seconds.convert("0.25"));
        assertEquals(Duration.ofMillis(1), seconds.convert("1e-3"));
        assertEquals(Duration.ZERO, seconds.convert("0"));
    }

    @Test
    void convert_negativeOrNotANumberOrHuge_rejectedWithTheBound() {
        assertEquals("seconds must be >= 0, was -1",
                assertThrows(TypeConversionException.class, () -> seconds.convert("-1")).getMessage());
        assertThrows(TypeConversionException.class, () -> seconds.convert("ten"));
        assertThrows(TypeConversionException.class, () -> seconds.convert("1,5"));
        assertThrows(TypeConversionException.class, () -> seconds.convert("100000"));
    }

    @Test
    void short1_oneDecimalWithADot_whateverTheLocale() {
        // Surefire runs with a German default locale, where String.format would print "10,0".
        assertEquals("10.0", Seconds.short1(Duration.ofSeconds(10)));
        assertEquals("0.3", Seconds.short1(Duration.ofMillis(251)));
    }
}
