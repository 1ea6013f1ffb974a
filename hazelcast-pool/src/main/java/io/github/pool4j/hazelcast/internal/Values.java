package io.github.pool4j.hazelcast.internal;

import io.github.pool4j.codec.Json;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.JavaType;

/**
 * Inputs and results as they travel in a {@link ChunkCall} and its {@link ChunkReply}: one JSON
 * array per chunk, written and read with the shared codec's mappers and limits.
 *
 * <p>The whole array is written (and read) in one call; only when a value cannot be written or read
 * is the array handled value by value, so one bad value fails alone.
 *
 * <p>Thread-safety: stateless.
 */
public final class Values {

    private Values() {}

    /**
     * The encoded values of a chunk; values that could not be written travel as {@code null} and
     * are listed with why.
     *
     * @param bytes the JSON array
     * @param failedOffsets the positions that could not be written, ascending
     * @param reasons why each could not, in the user's words
     * @param overflowed whether the array was cut because it passed the byte limit
     */
    public record Encoded(byte[] bytes, int[] failedOffsets, String[] reasons, boolean overflowed) {}

    /** A value that could not be read as the declared type. */
    public record Unreadable(String reason) {}

    /**
     * Writes {@code values} declared as {@code type} as one JSON array of at most {@code limit} bytes.
     *
     * @param json the mappers
     * @param values the values
     * @param type their declared type
     * @param limit the most bytes the array may take
     * @return the array; {@link Encoded#overflowed()} if it would pass {@code limit}
     */
    public static Encoded write(Json json, List<?> values, JavaType type, long limit) {
        try {
            byte[] all = json.writer(json.data().getTypeFactory().constructCollectionType(List.class, type))
                    .writeValueAsBytes(values);
            return new Encoded(all, new int[0], new String[0], all.length > limit);
        } catch (JacksonException | StackOverflowError e) {
            // Some value cannot be written: find which, value by value.
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> failed = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        out.write('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            byte[] one;
            try {
                one = json.writer(type).writeValueAsBytes(values.get(i));
            } catch (JacksonException e) {
                failed.add(i);
                reasons.add(Json.describe(e));
                one = new byte[] {'n', 'u', 'l', 'l'};
            } catch (StackOverflowError e) {
                failed.add(i);
                reasons.add("it is nested too deeply to be written as JSON");
                one = new byte[] {'n', 'u', 'l', 'l'};
            }
            out.writeBytes(one);
            if (out.size() > limit) {
                return new Encoded(null, new int[0], new String[0], true);
            }
        }
        out.write(']');
        return new Encoded(out.toByteArray(), failed.stream().mapToInt(Integer::intValue).toArray(),
                reasons.toArray(new String[0]), out.size() > limit);
    }

    /**
     * Reads a JSON array of values of {@code type}; a value that does not fit the type becomes an
     * {@link Unreadable}.
     *
     * @param json the mappers
     * @param bytes the array
     * @param type the declared type
     * @return one element per value of the array
     * @throws JacksonException if the bytes are not a JSON array at all
     */
    public static List<Object> read(Json json, byte[] bytes, JavaType type) {
        try {
            return json.data().readValue(bytes,
                    json.data().getTypeFactory().constructCollectionType(ArrayList.class, type));
        } catch (JacksonException e) {
            // Some value does not fit: read value by value.
        }
        List<Object> values = new ArrayList<>();
        try (JsonParser p = json.data().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("not a JSON array");
            }
            TokenStreamContext array = p.streamReadContext();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                try {
                    values.add(json.data().readValue(p, type));
                } catch (JacksonException e) {
                    values.add(new Unreadable("it cannot be read as " + type.toCanonical() + ": "
                            + Json.describe(e)));
                    // Skip what is left of this value, wherever inside it reading stopped.
                    while (p.streamReadContext() != array) {
                        if (p.nextToken() == null) {
                            throw new IllegalArgumentException("the array ends inside a value");
                        }
                    }
                }
            }
        }
        return values;
    }
}
