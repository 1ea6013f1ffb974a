package io.github.pool4j.codec;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two JSON mappers of one side of the wire (parent or worker), built once, and the limits both
 * sides apply.
 *
 * <p>{@link #data()} carries inputs and results; {@link #state} carries a task's own state and a
 * lambda's captured values, which may hold other tasks. Both follow {@link ValueModule}'s rules: an
 * application class travels by its fields, a JDK value as itself (a zone stays a zone, a scale a
 * scale), and a class name travels only where generics erased the declared type and only for
 * classes the {@link AllowList} allows. Neither enables default typing of arbitrary classes.
 *
 * <p>Limits: one place defines them, and the writer is never more lenient than the reader, so a
 * value one side accepts to send never fails the other side's parser. The reader allows the frame
 * around a value {@value #FRAME_NESTING} more levels of nesting than the writer allows the value.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class Json {

    /** How deep a value may nest, read and written, before it is refused. */
    public static final int MAX_NESTING_DEPTH = 500;

    /** How many levels of nesting a frame adds around its values ({@code {"vs":[...]}}). */
    static final int FRAME_NESTING = 2;

    /** The most characters a number may have on the wire, read and written. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /** How many declared types' writers are kept; a pool rarely sees more than a few. */
    private static final int MAX_CACHED_WRITERS = 256;

    private final JsonMapper data;
    final JsonMapper state;
    private final AllowList allowList = new AllowList();
    private final ConcurrentMap<JavaType, ObjectWriter> writers = new ConcurrentHashMap<>();

    /**
     * Creates the mappers for frames of at most {@code maxFrameBytes}.
     *
     * @param maxFrameBytes the largest frame accepted
     */
    public Json(long maxFrameBytes) {
        // A string or a name can be no longer than the frame that carries it: the frame's bound is
        // theirs, the same on both sides.
        int maxString = (int) Math.min(Integer.MAX_VALUE - 64L, maxFrameBytes);
        // One buffer recycler per thread: the shared default pool is a concurrent deque that every
        // frame of every pipe thread would contend on.
        JsonFactory factory = JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.threadLocalPool())
                // A worker writes its results one after another through one generator, each
                // into its own bytes: nothing may come between them.
                .rootValueSeparator((String) null)
                // NaN and the infinities travel as numbers, not as strings an Object slot would keep.
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH + FRAME_NESTING)
                        .maxDocumentLength(maxFrameBytes)
                        .maxStringLength(maxString)
                        .maxNameLength(maxString)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .streamWriteConstraints(StreamWriteConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build())
                .build();
        // Payloads are read in place inside a frame, with the rest of the frame after them.
        this.data = JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // A subclass's extra fields read as its declared superclass fail rather than vanish.
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(MapperFeature.ALLOW_FINAL_FIELDS_AS_MUTATORS)
                // A date-time keeps its zone and offset both ways.
                .disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DateTimeFeature.NORMALIZE_DESERIALIZED_ZONE_ID)
                .enable(DateTimeFeature.WRITE_DATES_WITH_ZONE_ID)
                .annotationIntrospector(new ValueModule.FieldsIntrospector())
                .setDefaultTyping(new ValueModule.Typing(allowList))
                .addModule(ValueModule.module(allowList))
                .build();
        this.state = data.rebuild()
                .addModule(NestedTasks.module(() -> this))
                .build();
    }

    /** The classes whose names may travel where erasure hides a value's type. */
    AllowList allowList() {
        return allowList;
    }

    /**
     * Returns the mapper of values and frames: it reads and writes a value as the class
     * description says, within the limits given to the constructor.
     *
     * @return the mapper, shared and thread-safe
     */
    public JsonMapper data() {
        return data;
    }

    /**
     * Allows {@code type}'s name to travel where erasure hides a value's type, as the pool's
     * builder was told.
     *
     * @param type a value class the user named
     */
    public void allowValueType(Class<?> type) {
        allowList.addValueType(type);
    }

    /**
     * Says in a user's words why Jackson could not write or read a value: which class cannot
     * travel and where it sat, rather than Jackson's own class name.
     *
     * @param e the exception Jackson threw
     * @return the explanation
     */
    public static String describe(JacksonException e) {
        return ValueModule.describe(e);
    }

    /**
     * Returns the writer of values declared as {@code type}: it names a value's class where
     * {@code type} does not tell it.
     *
     * @param type the declared type
     * @return the writer
     */
    public ObjectWriter writer(JavaType type) {
        ObjectWriter writer = writers.get(type);
        if (writer == null) {
            if (writers.size() >= MAX_CACHED_WRITERS) {
                writers.clear(); // a pool with ever new task types: stay bounded, rebuild on demand
            }
            writer = writers.computeIfAbsent(type, data::writerFor);
        }
        return writer;
    }
}
