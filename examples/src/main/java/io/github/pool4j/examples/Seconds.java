package io.github.pool4j.examples;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads and writes durations as decimal seconds, the unit of the post ({@code sleep(10)}).
 *
 * <p>Parsing and formatting ignore the default locale, so {@code --sleep 0.5} means half a second
 * everywhere and timing lines always read {@code name 0.000241258}.
 */
final class Seconds implements ITypeConverter<Duration> {

    /**
     * Parses {@code text} such as {@code 10}, {@code 0.25} or {@code 1e-3} as seconds.
     *
     * @throws TypeConversionException if it is not a number, negative, or over a day
     */
    @Override
    public Duration convert(String text) {
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a number of seconds");
        }
        if (seconds.signum() < 0) {
            throw new TypeConversionException("seconds must be >= 0, was " + text);
        }
        if (seconds.compareTo(BigDecimal.valueOf(86_400)) > 0) {
            throw new TypeConversionException("seconds must be <= 86400, was " + text);
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    /** Formats a duration as seconds with one decimal, e.g. {@code 10.0}. */
    static String short1(Duration duration) {
        return String.format(Locale.ROOT, "%.1f", duration.toNanos() / 1e9);
    }
}
