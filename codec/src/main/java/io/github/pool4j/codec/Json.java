package io.github.pool4j.codec;

import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
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
import tools.jackson.databind.type.TypeFactory;

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
 * <p>The mappers are built on first use: most of a worker's start is Jackson's databind setting
 * itself up, and a worker whose tasks take and return plain values never needs it. Frames are read
 * and written with {@link #parser} and {@link #generator}, declared types made with {@link #types()},
 * none of which builds the mappers.
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

    private final JsonFactory factory;
    private final TypeFactory types = TypeFactory.createDefaultInstance();
    /** Both mappers, built together on first use; see {@link #mappers()}. */
    private volatile Mappers mappers;
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
        this.factory = JsonFactory.builder()
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
    }

    private record Mappers(JsonMapper data, JsonMapper state) {}

    private Mappers mappers() {
        Mappers built = mappers;
        if (built == null) {
            synchronized (this) {
                built = mappers;
                if (built == null) {
                    built = buildMappers();
                    mappers = built;
                }
            }
        }
        return built;
    }

    /**
     * Builds the mappers if nothing did yet and runs a few sample values through them, so that
     * the classes values need are loaded: a worker about to write its loaded classes into an
     * archive calls it, since a worker of plain values would leave them out and every later
     * worker whose values need them would load them from the jars.
     *
     * @throws JacksonException if a sample cannot be written or read (a broken set-up)
     */
    public void loadValueClasses() {
        Sample sample = new Sample("text", 1, 2L, 3.5, true, List.of(4, 5), Map.of("k", 6L), Optional.of("o"),
                Instant.ofEpochSecond(7), LocalDate.of(2026, 12, 6), new int[] {8}, new byte[] {9});
        JavaType type = types.constructType(Sample.class);
        data().readValue(writer(type).writeValueAsBytes(sample), type);
        // Where erasure hides the type: JDK values travel as themselves.
        JavaType object = types.constructType(Object.class);
        data().readValue(writer(object).writeValueAsBytes(List.of(1, "two", 3.0, List.of(4L))), object);
    }

    /** A value of the shapes tasks often take, for {@link #loadValueClasses}. */
    private record Sample(String text, int number, long big, double real, boolean flag, List<Integer> list,
            Map<String, Long> map, Optional<String> maybe, Instant instant, LocalDate date, int[] ints,
            byte[] bytes) {}

    /** Whether the mappers were built; for tests of what does not need them. */
    boolean mappersBuilt() {
        return mappers != null;
    }

    private Mappers buildMappers() {
        // Payloads are read in place inside a frame, with the rest of the frame after them.
        JsonMapper data = JsonMapper.builder(factory)
                .typeFactory(types)
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
        JsonMapper state = data.rebuild()
                .addModule(NestedTasks.module(() -> this))
                .build();
        return new Mappers(data, state);
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
        return mappers().data();
    }

    /** The mapper of a task's own state and a lambda's captured values; see the class description. */
    JsonMapper state() {
        return mappers().state();
    }

    /**
     * Returns the type factory of both mappers; using it does not build them.
     *
     * @return the type factory, shared and thread-safe
     */
    public TypeFactory types() {
        return types;
    }

    /**
     * Returns a parser of {@code len} bytes of {@code buf} from {@code off}, within the limits
     * given to the constructor. It reads tokens; a value is read into a Java type by passing the
     * parser to {@link #data()}'s {@code readValue} (the parser itself cannot bind values or trees).
     *
     * @param buf the bytes
     * @param off where the JSON starts
     * @param len how many bytes it has
     * @return a new parser, for one thread
     */
    public JsonParser parser(byte[] buf, int off, int len) {
        return factory.createParser(ObjectReadContext.empty(), buf, off, len);
    }

    /**
     * Returns a generator writing to {@code out}, within the limits given to the constructor. It
     * writes tokens; a value is written by passing the generator to a {@link #writer}'s
     * {@code writeValue} (the generator itself cannot write objects or trees).
     *
     * @param out where the JSON goes
     * @return a new generator, for one thread
     */
    public JsonGenerator generator(OutputStream out) {
        return factory.createGenerator(ObjectWriteContext.empty(), out);
    }

    /**
     * Returns the longest document, in bytes, that a parser reads.
     *
     * @return the limit given to the constructor
     */
    public long maxDocumentBytes() {
        return factory.streamReadConstraints().getMaxDocumentLength();
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
            writer = writers.computeIfAbsent(type, data()::writerFor);
        }
        return writer;
    }
}
