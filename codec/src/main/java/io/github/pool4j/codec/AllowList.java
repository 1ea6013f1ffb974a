package io.github.pool4j.codec;

import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JavaType;

/**
 * The classes whose name may travel on the wire, where generics erased the declared type of a
 * value (a result declared {@code Object}, an element of a {@code List<Object>}, a field declared
 * {@code Number}): the JDK's value types, classes the pool was told about (the declared input and
 * result types and their type arguments), and classes from the same code source as one of the
 * pool's tasks. Both sides consult it: the sender refuses to name another class, the receiver
 * refuses to load one, so no JSON, however made, can make either side build an arbitrary class.
 *
 * <p>Where a class is not constructible as named (an immutable {@code List.of(...)}, a zone region),
 * the sender {@linkplain #wireClass names} the public JDK class that reads it back equal.
 *
 * <p>Thread-safety: thread-safe; it only grows as tasks are shipped or loaded.
 */
final class AllowList {

    /** The JDK's value types, by exact class. {@code java.time}'s public classes are allowed as a package. */
    private static final Set<Class<?>> JDK_VALUES = Set.of(
            String.class, Boolean.class, Character.class, Byte.class, Short.class, Integer.class, Long.class,
            Float.class, Double.class, BigInteger.class, BigDecimal.class,
            Date.class, UUID.class, URI.class, Locale.class, Currency.class, Path.class, File.class,
            Optional.class, OptionalInt.class, OptionalLong.class, OptionalDouble.class,
            ArrayList.class, LinkedList.class, ArrayDeque.class, CopyOnWriteArrayList.class,
            HashSet.class, LinkedHashSet.class, TreeSet.class, ConcurrentSkipListSet.class,
            HashMap.class, LinkedHashMap.class, TreeMap.class, ConcurrentHashMap.class, ConcurrentSkipListMap.class);

    private final Set<String> sources = ConcurrentHashMap.newKeySet();
    private final Set<Class<?>> told = ConcurrentHashMap.newKeySet();
    /** The classes the pool's builder named (valueTypes), sent to workers with each task. */
    private final Set<Class<?>> valueTypes = ConcurrentHashMap.newKeySet();

    /**
     * Allows classes from the code source of {@code type} (a task's class, a lambda's declaring class).
     *
     * @param type the class
     */
    void addCodeSourceOf(Class<?> type) {
        String location = location(type);
        if (location != null) {
            sources.add(location);
        }
    }

    /**
     * Allows {@code type}, named by the pool's builder ({@code valueTypes}).
     *
     * @param type the class
     */
    void addValueType(Class<?> type) {
        valueTypes.add(type);
        told.add(type);
    }

    /** The classes named by the pool's builder, to send to workers with each task. */
    List<String> valueTypeNames() {
        return valueTypes.stream().map(Class::getName).sorted().toList();
    }

    /**
     * Allows the classes {@code type} names: its raw class, its type arguments, their type
     * arguments, and so on.
     *
     * @param type a declared input or result type
     */
    void addTold(JavaType type) {
        Deque<JavaType> work = new ArrayDeque<>(List.of(type));
        while (!work.isEmpty()) {
            JavaType next = work.poll();
            told.add(next.getRawClass());
            for (int i = 0; i < next.containedTypeCount(); i++) {
                work.add(next.containedType(i));
            }
            if (next.getContentType() != null) {
                work.add(next.getContentType());
            }
        }
    }

    /**
     * Tells whether {@code name} may be named without loading it, by name alone.
     *
     * @param name a binary class name
     * @return true for the JDK's value types
     */
    static boolean allowsByName(String name) {
        for (Class<?> c : JDK_VALUES) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return isJavaTime(name);
    }

    /**
     * Tells whether instances of {@code type} may travel where a class name travels.
     *
     * @param type the class
     * @return true if allowed
     */
    boolean allows(Class<?> type) {
        while (type.isArray()) {
            type = type.getComponentType();
        }
        if (type.isPrimitive() || JDK_VALUES.contains(type) || told.contains(type)) {
            return true;
        }
        if (isPlatform(type)) {
            return isJavaTime(type.getName()) && java.lang.reflect.Modifier.isPublic(type.getModifiers());
        }
        String location = location(type);
        return location != null && sources.contains(location);
    }

    /**
     * Returns the class to name on the wire for a value of class {@code type}: {@code type} itself,
     * or the public JDK class that reads back equal where {@code type} is a JDK class that cannot be
     * built by name (an immutable or unmodifiable collection, a zone region, an enum constant's body).
     *
     * @param type the value's class
     * @return the class to name
     */
    static Class<?> wireClass(Class<?> type) {
        if (type.isEnum() || type.isAnonymousClass() && type.getSuperclass() != null && type.getSuperclass().isEnum()) {
            return type.isEnum() ? type : type.getSuperclass();
        }
        if (NumberLists.isNumberList(type)) {
            return ArrayList.class; // what the JSON path would have made of it
        }
        if (!isPlatform(type) || JDK_VALUES.contains(type)) {
            return type;
        }
        if (java.time.ZoneId.class.isAssignableFrom(type) && type != java.time.ZoneOffset.class) {
            return java.time.ZoneId.class;
        }
        if (Path.class.isAssignableFrom(type)) {
            return Path.class; // read back through the default file system, as Path.of does
        }
        if (SortedSet.class.isAssignableFrom(type) || NavigableSet.class.isAssignableFrom(type)) {
            return TreeSet.class;
        }
        if (Set.class.isAssignableFrom(type)) {
            return LinkedHashSet.class;
        }
        if (List.class.isAssignableFrom(type)) {
            return ArrayList.class;
        }
        if (java.util.Queue.class.isAssignableFrom(type)) {
            return ArrayDeque.class;
        }
        if (Collection.class.isAssignableFrom(type)) {
            return ArrayList.class;
        }
        if (SortedMap.class.isAssignableFrom(type) || NavigableMap.class.isAssignableFrom(type)) {
            return TreeMap.class;
        }
        if (Map.class.isAssignableFrom(type)) {
            return LinkedHashMap.class;
        }
        if (Date.class.isAssignableFrom(type)) {
            return type; // java.sql's dates carry more than a Date: not allowed, so refused by name
        }
        return type;
    }

    /**
     * Tells whether {@code type} is the platform's (the JDK's) rather than the application's.
     *
     * @param type a class
     * @return true for JDK classes
     */
    static boolean isPlatform(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun.");
    }

    private static boolean isJavaTime(String name) {
        return name.startsWith("java.time.") && name.indexOf('.', "java.time.".length()) < 0
                && !name.equals("java.time.Clock") && !name.contains("$");
    }

    private static String location(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? null : source.getLocation().toString();
        } catch (SecurityException e) {
            return null;
        }
    }
}
