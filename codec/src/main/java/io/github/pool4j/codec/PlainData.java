package io.github.pool4j.codec;

import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.TaskSerializationException.Subject;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;

/**
 * Refuses task state that is a live resource rather than data: threads, sockets, streams, locks,
 * executors, class loaders, processes. Jackson would happily write such an object's getters and
 * even build a new one from them, silently shipping a useless copy; pool4j says why instead.
 *
 * <p>The walk follows fields of application classes and elements of collections, maps and arrays,
 * up to {@link #MAX_VISITS} objects, so checking a large captured list stays cheap.
 */
final class PlainData {

    static final int MAX_VISITS = 10_000;

    private static final Class<?>[] RESOURCES = {
        Thread.class, ThreadGroup.class, AutoCloseable.class, ClassLoader.class, Executor.class,
        Process.class, ProcessHandle.class, Lock.class, java.lang.ref.Reference.class, Class.class,
    };

    private PlainData() {}

    /**
     * Throws if {@code value} is or holds a resource.
     *
     * @param value the task or a captured value
     * @param what names the value in the message
     * @param taskName names the task for the exception (its class, or what the user wrote for a lambda)
     */
    static void check(Object value, String what, String taskName) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> work = new ArrayDeque<>();
        if (value != null) {
            work.add(value);
        }
        while (!work.isEmpty() && seen.size() < MAX_VISITS) {
            Object next = work.poll();
            if (!seen.add(next) || isScalar(next)) {
                continue;
            }
            for (Class<?> resource : RESOURCES) {
                if (resource.isInstance(next)) {
                    throw new TaskSerializationException(Subject.TASK, TaskSerializationException.NO_INPUT,
                            taskName, what + " holds a " + next.getClass().getName()
                                    + ", a live resource that cannot travel to another process", null);
                }
            }
            if (next instanceof Collection<?> c) {
                c.stream().limit(MAX_VISITS).filter(e -> e != null).forEach(work::add);
            } else if (next instanceof Map<?, ?> m) {
                m.entrySet().stream().limit(MAX_VISITS).forEach(e -> {
                    if (e.getKey() != null) {
                        work.add(e.getKey());
                    }
                    if (e.getValue() != null) {
                        work.add(e.getValue());
                    }
                });
            } else if (next.getClass().isArray()) {
                if (!next.getClass().getComponentType().isPrimitive()) {
                    int n = Math.min(Array.getLength(next), MAX_VISITS);
                    for (int i = 0; i < n; i++) {
                        Object element = Array.get(next, i);
                        if (element != null) {
                            work.add(element);
                        }
                    }
                }
            } else if (!isPlatformClass(next.getClass())) {
                addFields(next, work);
            }
        }
    }

    /**
     * Tells whether {@code type} is a live resource (a thread, a stream, a lock...) rather than data.
     *
     * @param type a class
     * @return true for resources
     */
    static boolean isResource(Class<?> type) {
        for (Class<?> resource : RESOURCES) {
            if (resource.isAssignableFrom(type)) {
                return true;
            }
        }
        return false;
    }

    static boolean isScalar(Object value) {
        return value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof Enum<?>;
    }

    private static boolean isPlatformClass(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.");
    }

    private static void addFields(Object value, Deque<Object> work) {
        for (Class<?> c = value.getClass(); c != null && !isPlatformClass(c); c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    Object fieldValue = field.get(value);
                    if (fieldValue != null) {
                        work.add(fieldValue);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // An inaccessible field (a named module) is left to Jackson to judge.
                }
            }
        }
    }
}
