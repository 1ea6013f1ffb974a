package io.github.pool4j.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.github.pool4j.Task;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TreeNode;
import tools.jackson.core.type.WritableTypeId;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.bean.BeanDeserializerBase;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.introspect.AnnotatedClass;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.introspect.VisibilityChecker;
import tools.jackson.databind.jsontype.NamedType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;
import tools.jackson.databind.jsontype.TypeDeserializer;
import tools.jackson.databind.jsontype.TypeIdResolver;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.jsontype.impl.ClassNameIdResolver;
import tools.jackson.databind.jsontype.impl.DefaultTypeResolverBuilder;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.module.SimpleValueInstantiators;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.bean.BeanSerializerBase;
import tools.jackson.databind.ser.jdk.NumberSerializer;
import tools.jackson.databind.ser.std.StdSerializer;
import tools.jackson.databind.type.MapType;

/**
 * The Jackson rules that make a value arrive equal to what was sent, as pickle would, or fail
 * with a reason in the sender:
 * <ul>
 *   <li>an application class travels by its fields (private ones included, getters ignored) and is
 *       rebuilt from them without running a constructor where it has no no-argument one, as Java
 *       serialization rebuilds an object; records go through their canonical constructor;
 *   <li>where generics erased the declared type ({@code Object}, an interface, an abstract class,
 *       {@code List<Object>}'s elements), the value's class name travels beside it, only for classes
 *       the {@link AllowList} allows, checked by the sender and by the receiver;
 *   <li>a map whose keys are not strings, numbers, UUIDs or enums travels as a list of key/value
 *       pairs, so records, dates or erased keys come back as themselves;
 *   <li>a JDK object that is not a value (a thread, a socket, a stream) and a lambda are refused
 *       with their class, never written as their getters;
 *   <li>numbers longer than the reader accepts are refused by the writer, so no value that one side
 *       sends can fail the other side's parser.
 * </ul>
 *
 * <p>Thread-safety: immutable once built; the caches are concurrent.
 */
final class ValueModule {

    private ValueModule() {}

    /** A map entry on the wire, as {@code [key, value]}. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"key", "value"})
    record Pair<K, V>(K key, V value) {}

    /** Thrown by the sender for a value that cannot travel; its message names the class. */
    static final class Refused extends DatabindException {
        private static final long serialVersionUID = 1L;
        private final String className;

        Refused(String className, String message) {
            super(message);
            this.className = className;
        }

        /** The refused value's class name. */
        String className() {
            return className;
        }
    }

    /**
     * Builds the module for one side.
     *
     * @param allowList the classes whose names may travel
     * @return the module
     */
    static SimpleModule module(AllowList allowList) {
        SimpleModule module = new SimpleModule("pool4j-values");
        module.addSerializer(BigInteger.class, new CheckedNumber(BigInteger.class));
        module.addSerializer(BigDecimal.class, new CheckedNumber(BigDecimal.class));
        module.setSerializerModifier(new ValueSerializerModifier() {
            @Override
            public ValueSerializer<?> modifySerializer(SerializationConfig config, BeanDescription.Supplier beanDesc,
                    ValueSerializer<?> serializer) {
                Class<?> type = beanDesc.getBeanClass();
                String why = notData(type, serializer instanceof BeanSerializerBase);
                if (why != null) {
                    return new RefusingSerializer(type, why);
                }
                return type == Optional.class ? new TypedOptional(serializer) : serializer;
            }

            @Override
            public ValueSerializer<?> modifyMapSerializer(SerializationConfig config, MapType type,
                    BeanDescription.Supplier beanDesc, ValueSerializer<?> serializer) {
                return isPlainKey(type.getKeyType()) ? serializer : new PairsSerializer(type);
            }
        });
        module.setDeserializerModifier(new ValueDeserializerModifier() {
            @Override
            public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                    BeanDescription.Supplier beanDesc, ValueDeserializer<?> deserializer) {
                Class<?> type = beanDesc.getBeanClass();
                String why = notData(type, deserializer instanceof BeanDeserializerBase);
                return why == null ? deserializer : new RefusingDeserializer(type, why);
            }

            @Override
            public ValueDeserializer<?> modifyMapDeserializer(DeserializationConfig config, MapType type,
                    BeanDescription.Supplier beanDesc, ValueDeserializer<?> deserializer) {
                return isPlainKey(type.getKeyType()) ? deserializer : new PairsDeserializer(type);
            }
        });
        module.setValueInstantiators(new SimpleValueInstantiators() {
            private static final long serialVersionUID = 1L;

            @Override
            public ValueInstantiator modifyValueInstantiator(DeserializationConfig config,
                    BeanDescription.Supplier beanDesc, ValueInstantiator defaultInstantiator) {
                Class<?> type = beanDesc.getBeanClass();
                if (defaultInstantiator.canCreateUsingDefault() || !isFieldBased(type) || hasExplicitCreator(type)) {
                    return defaultInstantiator;
                }
                return new Allocating(type);
            }
        });
        return module;
    }

    /**
     * Describes why a value could not be written or read: the reason, and where in the value (the
     * class and field, or the element) it stopped.
     *
     * @param e the failure
     * @return its description
     */
    static String describe(JacksonException e) {
        String path = e.getPathReference();
        String message = e.getOriginalMessage();
        return path == null || path.isEmpty() ? message : message + " (at " + path + ")";
    }

    /** Returns why values of {@code type} cannot travel, or {@code null} if they can. */
    private static String notData(Class<?> type, boolean asBean) {
        if (type.isHidden() || type.isSynthetic()) {
            return "it is a lambda or another hidden class, which has no form another process can rebuild";
        }
        if (type == Class.class || ClassLoader.class.isAssignableFrom(type)) {
            // Reading one would load (and initialise) whatever class the JSON names.
            return "a class or class loader is code, not data";
        }
        if (asBean && AllowList.isPlatform(type)) {
            return "it is a JDK " + (PlainData.isResource(type) ? "resource (a thread, a stream, a lock...)"
                    : "object that is not a value") + ", which cannot travel to another process";
        }
        return null;
    }

    /** Tells whether map keys of {@code type} round-trip as JSON property names. */
    private static boolean isPlainKey(JavaType type) {
        Class<?> raw = type.getRawClass();
        return raw == String.class || raw == Integer.class || raw == Long.class || raw == Short.class
                || raw == Byte.class || raw == UUID.class || raw.isEnum();
    }

    /** Tells whether instances of {@code type} travel by their fields. */
    static boolean isFieldBased(Class<?> type) {
        return !AllowList.isPlatform(type) && !type.isRecord() && !type.isEnum() && !type.isInterface()
                && !Modifier.isAbstract(type.getModifiers()) && !type.isArray() && !type.isPrimitive()
                && !TreeNode.class.isAssignableFrom(type);
    }

    private static boolean hasExplicitCreator(Class<?> type) {
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (c.isAnnotationPresent(JsonCreator.class)) {
                return true;
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.isAnnotationPresent(JsonCreator.class)) {
                return true;
            }
        }
        return false;
    }

    // ---- fields, not getters ----------------------------------------------------------------------

    /** Application classes are seen through their fields, as Java serialization sees them. */
    static final class FieldsIntrospector extends JacksonAnnotationIntrospector {
        private static final long serialVersionUID = 1L;

        @Override
        public VisibilityChecker findAutoDetectVisibility(MapperConfig<?> config, AnnotatedClass ac,
                VisibilityChecker checker) {
            VisibilityChecker found = super.findAutoDetectVisibility(config, ac, checker);
            Class<?> type = ac.getRawType();
            if (!isFieldBased(type)) {
                return found;
            }
            return found.withFieldVisibility(Visibility.ANY)
                    .withGetterVisibility(Visibility.NONE)
                    .withIsGetterVisibility(Visibility.NONE)
                    .withSetterVisibility(Visibility.NONE);
        }
    }

    /** Builds an object without running a constructor, as Java serialization does; its fields follow. */
    static final class Allocating extends ValueInstantiator.Base {
        private static final ConcurrentMap<Class<?>, Constructor<?>> CONSTRUCTORS = new ConcurrentHashMap<>();

        Allocating(Class<?> type) {
            super(type);
        }

        @Override
        public boolean canCreateUsingDefault() {
            return true;
        }

        @Override
        public Object createUsingDefault(DeserializationContext ctxt) {
            try {
                return CONSTRUCTORS.computeIfAbsent(_valueType, Allocating::serializationConstructor).newInstance();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return ctxt.handleInstantiationProblem(_valueType, null, e);
            }
        }

        private static Constructor<?> serializationConstructor(Class<?> type) {
            try {
                Class<?> factoryClass = Class.forName("sun.reflect.ReflectionFactory");
                Object factory = factoryClass.getMethod("getReflectionFactory").invoke(null);
                Method make = factoryClass.getMethod("newConstructorForSerialization", Class.class, Constructor.class);
                Constructor<?> constructor = (Constructor<?>) make.invoke(factory, type, Object.class.getConstructor());
                constructor.setAccessible(true);
                return constructor;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                throw new IllegalStateException(type.getName() + " has no no-argument constructor and this JVM"
                        + " cannot build it from its fields (" + e + ")", e);
            }
        }
    }

    // ---- class names where erasure hides the type ---------------------------------------------------

    /**
     * Names the class of values whose declared type is {@code Object}, an interface or an abstract
     * class (but not of collections and maps declared by their interface: their elements carry
     * their own), checked against the allow-list both ways.
     */
    static final class Typing extends DefaultTypeResolverBuilder {
        private static final long serialVersionUID = 1L;
        /**
         * The JDK's abstract types that erase what they hold. (A List, Set or Map reads back equal as
         * ArrayList, HashSet, LinkedHashMap; a bare Collection or Iterable could be either.)
         */
        private static final Set<Class<?>> ERASING_JDK_TYPES = Set.of(Number.class, CharSequence.class,
                Comparable.class, java.io.Serializable.class, Cloneable.class, Enum.class, Record.class,
                Collection.class, Iterable.class, java.time.temporal.Temporal.class,
                java.time.temporal.TemporalAccessor.class, java.time.temporal.TemporalAmount.class,
                java.time.temporal.TemporalAdjuster.class, java.time.chrono.ChronoLocalDate.class,
                java.time.chrono.ChronoLocalDateTime.class, java.time.chrono.ChronoZonedDateTime.class);
        private final transient AllowList allowList;

        Typing(AllowList allowList) {
            super(new Validator(allowList), DefaultTyping.OBJECT_AND_NON_CONCRETE, JsonTypeInfo.As.WRAPPER_ARRAY);
            this.allowList = allowList;
        }

        private Typing(Typing base, Class<?> defaultImpl) {
            super(base, defaultImpl);
            this.allowList = base.allowList;
        }

        @Override
        public DefaultTypeResolverBuilder withDefaultImpl(Class<?> defaultImpl) {
            return _defaultImpl == defaultImpl ? this : new Typing(this, defaultImpl);
        }

        @Override
        public boolean useForType(JavaType t) {
            if (t.isPrimitive()) {
                return false;
            }
            while (t.isReferenceType()) {
                t = t.getReferencedType();
            }
            if (t.isJavaLangObject()) {
                return true;
            }
            Class<?> raw = t.getRawClass();
            // A task held by a task travels as a nested task definition (NestedTasks), not by class name.
            if (t.isConcrete() || TreeNode.class.isAssignableFrom(raw) || Task.class.isAssignableFrom(raw)) {
                return false;
            }
            if (AllowList.isPlatform(raw)) {
                // A JDK abstract type such as Path, InetAddress or TimeZone has a reader that builds
                // the right class; only the umbrella types say nothing of what they hold.
                return ERASING_JDK_TYPES.contains(raw);
            }
            return !Map.Entry.class.isAssignableFrom(raw);
        }

        @Override
        protected TypeIdResolver idResolver(DatabindContext ctxt, JavaType baseType,
                PolymorphicTypeValidator subtypeValidator, Collection<NamedType> subtypes, boolean forSer,
                boolean forDeser) {
            return new Ids(baseType, subtypes, subtypeValidator, allowList);
        }
    }

    /** Writes the allowed class name of a value, refusing others. */
    static final class Ids extends ClassNameIdResolver {
        private static final long serialVersionUID = 1L;
        private final transient AllowList allowList;

        Ids(JavaType baseType, Collection<NamedType> subtypes, PolymorphicTypeValidator validator,
                AllowList allowList) {
            super(baseType, subtypes, validator);
            this.allowList = allowList;
        }

        @Override
        public String idFromValue(DatabindContext ctxt, Object value) {
            return idFor(value.getClass());
        }

        @Override
        public String idFromValueAndType(DatabindContext ctxt, Object value, Class<?> type) {
            return idFor(value == null ? type : value.getClass());
        }

        private String idFor(Class<?> type) {
            Class<?> named = AllowList.wireClass(type);
            if (allowList.allows(named)) {
                return named.getName();
            }
            String why = notData(type, true);
            throw new Refused(type.getName(), type.getName() + (why != null ? " cannot travel: " + why
                    : " cannot travel where its declared type is erased (Object, an interface, List<Object>...):"
                    + " only the JDK's value types, the pool's declared input and result types and classes"
                    + " from the task's own code source may be named there; declare the type"
                    + " (resultType/inputType) or keep the class beside the task"));
        }
    }

    /** The receiver's check: a class name from the wire is loaded only if the allow-list allows it. */
    static final class Validator extends PolymorphicTypeValidator.Base {
        private static final long serialVersionUID = 1L;
        private final transient AllowList allowList;

        Validator(AllowList allowList) {
            this.allowList = allowList;
        }

        @Override
        public Validity validateSubClassName(DatabindContext ctxt, JavaType baseType, String subClassName) {
            if (AllowList.allowsByName(subClassName)) {
                return Validity.ALLOWED;
            }
            // Loaded without running its static initializer, only to see where it comes from.
            try {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                Class<?> type = Class.forName(subClassName, false,
                        loader != null ? loader : ValueModule.class.getClassLoader());
                return allowList.allows(type) ? Validity.ALLOWED : Validity.DENIED;
            } catch (ClassNotFoundException | LinkageError e) {
                return Validity.DENIED;
            }
        }

        @Override
        public Validity validateSubType(DatabindContext ctxt, JavaType baseType, JavaType subType) {
            return allowList.allows(subType.getRawClass()) ? Validity.ALLOWED : Validity.DENIED;
        }
    }

    // ---- refusals ---------------------------------------------------------------------------------

    private static final class RefusingSerializer extends StdSerializer<Object> {
        private final String why;

        RefusingSerializer(Class<?> type, String why) {
            super(Object.class);
            this.why = type.getName() + " cannot travel: " + why;
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializationContext ctxt) {
            throw new Refused(value.getClass().getName(), why);
        }

        @Override
        public void serializeWithType(Object value, JsonGenerator gen, SerializationContext ctxt,
                TypeSerializer typeSer) {
            serialize(value, gen, ctxt);
        }
    }

    private static final class RefusingDeserializer extends StdDeserializer<Object> {
        private final String why;

        RefusingDeserializer(Class<?> type, String why) {
            super(type);
            this.why = type.getName() + " cannot travel: " + why;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) {
            return ctxt.reportInputMismatch(this, why);
        }
    }

    /**
     * An {@code Optional} where its declared type is erased: Jackson would name the class of its
     * content and drop the {@code Optional}; this names {@code java.util.Optional}, then writes the
     * content as an {@code Object}.
     */
    private static final class TypedOptional extends StdSerializer<Optional<?>> {
        private final ValueSerializer<Object> plain;

        @SuppressWarnings("unchecked")
        TypedOptional(ValueSerializer<?> plain) {
            super(Optional.class);
            this.plain = (ValueSerializer<Object>) plain;
        }

        @Override
        public ValueSerializer<?> createContextual(SerializationContext ctxt, tools.jackson.databind.BeanProperty property) {
            ValueSerializer<?> contextual = plain.createContextual(ctxt, property);
            return contextual == plain ? this : new TypedOptional(contextual);
        }

        @Override
        public boolean isEmpty(SerializationContext ctxt, Optional<?> value) {
            return plain.isEmpty(ctxt, value);
        }

        @Override
        public void serialize(Optional<?> value, JsonGenerator gen, SerializationContext ctxt) {
            plain.serialize(value, gen, ctxt);
        }

        @Override
        public void serializeWithType(Optional<?> value, JsonGenerator gen, SerializationContext ctxt,
                TypeSerializer typeSer) {
            WritableTypeId id = typeSer.writeTypePrefix(gen, ctxt, typeSer.typeId(value, JsonToken.VALUE_EMBEDDED_OBJECT));
            Object content = value.orElse(null);
            if (content == null) {
                gen.writeNull();
            } else {
                TypeSerializer contentTypes = ctxt.findTypeSerializer(ctxt.constructType(Object.class));
                ctxt.findPrimaryPropertySerializer(content.getClass(), null)
                        .serializeWithType(content, gen, ctxt, contentTypes);
            }
            typeSer.writeTypeSuffix(gen, ctxt, id);
        }
    }

    // ---- numbers ----------------------------------------------------------------------------------

    /** Refuses a number the reader would refuse, so that the writer is never the lenient side. */
    private static final class CheckedNumber extends NumberSerializer {
        /** Numbers with fewer bits than this have fewer digits than any sensible limit: not measured. */
        private static final int SHORT_BITS = 64 * 8;

        CheckedNumber(Class<? extends Number> type) {
            super(type);
        }

        @Override
        public void serialize(Number value, JsonGenerator g, SerializationContext ctxt) {
            int length = length(value);
            if (length > Json.MAX_NUMBER_LENGTH) {
                throw new Refused(value.getClass().getName(), "a " + value.getClass().getName() + " of " + length
                        + " characters is longer than the " + Json.MAX_NUMBER_LENGTH
                        + " a number may have on the wire");
            }
            super.serialize(value, g, ctxt);
        }

        private static int length(Number value) {
            if (value instanceof BigInteger i) {
                return i.bitLength() < SHORT_BITS ? 0 : i.abs().toString().length();
            }
            BigDecimal d = (BigDecimal) value;
            if (d.unscaledValue().bitLength() < SHORT_BITS && Math.abs(d.scale()) < SHORT_BITS) {
                return 0;
            }
            return d.abs().toString().length();
        }
    }

    // ---- maps with keys that are not names --------------------------------------------------------

    private static JavaType pairsType(DatabindContext ctxt, MapType type) {
        var factory = ctxt.getTypeFactory();
        return factory.constructCollectionType(List.class,
                factory.constructParametricType(Pair.class, type.getKeyType(), type.getContentType()));
    }

    private static final class PairsSerializer extends StdSerializer<Map<?, ?>> {
        private final MapType type;

        PairsSerializer(MapType type) {
            super(type);
            this.type = type;
        }

        @Override
        public boolean isEmpty(SerializationContext ctxt, Map<?, ?> value) {
            return value.isEmpty();
        }

        @Override
        public void serialize(Map<?, ?> value, JsonGenerator gen, SerializationContext ctxt) {
            List<Pair<Object, Object>> pairs = new ArrayList<>(value.size());
            for (Map.Entry<?, ?> e : value.entrySet()) {
                pairs.add(new Pair<>(e.getKey(), e.getValue()));
            }
            ctxt.findTypedValueSerializer(pairsType(ctxt, type), true).serialize(pairs, gen, ctxt);
        }

        @Override
        public void serializeWithType(Map<?, ?> value, JsonGenerator gen, SerializationContext ctxt,
                TypeSerializer typeSer) {
            // The pairs write their own array: the type id wraps it as it wraps a scalar.
            WritableTypeId id = typeSer.writeTypePrefix(gen, ctxt, typeSer.typeId(value, JsonToken.VALUE_EMBEDDED_OBJECT));
            serialize(value, gen, ctxt);
            typeSer.writeTypeSuffix(gen, ctxt, id);
        }
    }

    private static final class PairsDeserializer extends StdDeserializer<Map<Object, Object>> {
        private final MapType type;

        PairsDeserializer(MapType type) {
            super(type);
            this.type = type;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<Object, Object> deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            List<Pair<Object, Object>> pairs = (List<Pair<Object, Object>>)
                    ctxt.findRootValueDeserializer(pairsType(ctxt, type)).deserialize(p, ctxt);
            Map<Object, Object> map = newMap(ctxt);
            for (Pair<Object, Object> pair : pairs) {
                map.put(pair.key(), pair.value());
            }
            return map;
        }

        @Override
        public Object deserializeWithType(JsonParser p, DeserializationContext ctxt, TypeDeserializer typeDeserializer) {
            return typeDeserializer.deserializeTypedFromAny(p, ctxt);
        }

        @SuppressWarnings("unchecked")
        private Map<Object, Object> newMap(DeserializationContext ctxt) {
            Class<?> raw = type.getRawClass();
            if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
                return SortedMap.class.isAssignableFrom(raw) || NavigableMap.class.isAssignableFrom(raw)
                        ? new TreeMap<>() : raw.isAssignableFrom(ConcurrentHashMap.class) && raw != Map.class
                        ? new ConcurrentHashMap<>() : new LinkedHashMap<>();
            }
            try {
                return (Map<Object, Object>) raw.getConstructor().newInstance();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return (Map<Object, Object>) ctxt.handleInstantiationProblem(raw, null, e);
            }
        }
    }
}
