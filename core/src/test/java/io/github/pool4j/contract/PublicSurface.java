package io.github.pool4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pool4j.Pool;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks what a pool class shows its users: a pool built on the engine holds it rather than
 * extends it, so its public page lists the {@link Pool} operations and the pool's own documented
 * extras, and no engine hook or {@code spi} type.
 */
public final class PublicSurface {

    private static final String SPI_PACKAGE = "io.github.pool4j.spi";

    private PublicSurface() {}

    /**
     * Asserts that {@code poolClass} is final, implements {@link Pool}, extends nothing but
     * {@link Object}, declares every abstract {@code Pool} method itself (so its page lists them as its own),
     * and has no public or protected method beyond those of {@code Pool}, {@code Object} and
     * {@code extras}, nor a public or protected member whose type is in the {@code spi} package.
     *
     * @param poolClass the pool class
     * @param extras the names of its documented public methods beyond {@code Pool}'s, such as
     *     {@code create} or {@code builder}
     */
    public static void assertShowsPoolOperationsOnly(Class<?> poolClass, String... extras) {
        assertTrue(Modifier.isFinal(poolClass.getModifiers()), poolClass + " must be final");
        assertTrue(Pool.class.isAssignableFrom(poolClass), poolClass + " must implement Pool");
        assertEquals(Object.class, poolClass.getSuperclass(),
                poolClass + " must hold its engine, not extend it");

        List<String> missing = new ArrayList<>();
        for (Method operation : Pool.class.getMethods()) {
            if (Modifier.isStatic(operation.getModifiers()) || operation.isDefault()) {
                continue; // a default (the overloads without CallOptions) is Pool's to document
            }
            try {
                poolClass.getDeclaredMethod(operation.getName(), operation.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(signature(operation));
            }
        }
        assertTrue(missing.isEmpty(), poolClass.getSimpleName() + " must declare these Pool methods itself: " + missing);

        Set<String> allowedExtras = Set.of(extras);
        Set<String> unexpected = new TreeSet<>();
        for (Method method : visibleMethods(poolClass)) {
            if (method.isSynthetic() || method.isBridge()) {
                continue;
            }
            if (!isPoolOrObjectMethod(method) && !allowedExtras.contains(method.getName())) {
                unexpected.add(signature(method));
            }
            mentionsNoSpiType(poolClass, method.getReturnType(), signature(method));
            for (Class<?> parameter : method.getParameterTypes()) {
                mentionsNoSpiType(poolClass, parameter, signature(method));
            }
        }
        assertTrue(unexpected.isEmpty(),
                poolClass.getSimpleName() + " shows methods that are neither Pool's nor its documented extras: " + unexpected);

        for (Field field : poolClass.getDeclaredFields()) {
            if (isVisible(field.getModifiers())) {
                mentionsNoSpiType(poolClass, field.getType(), field.getName());
            }
        }
    }

    /** Public methods, inherited ones included, plus the class's own protected ones. */
    private static List<Method> visibleMethods(Class<?> poolClass) {
        List<Method> methods = new ArrayList<>(Arrays.asList(poolClass.getMethods()));
        for (Method method : poolClass.getDeclaredMethods()) {
            if (Modifier.isProtected(method.getModifiers())) {
                methods.add(method);
            }
        }
        return methods;
    }

    private static boolean isPoolOrObjectMethod(Method method) {
        for (Class<?> owner : List.of(Pool.class, AutoCloseable.class, Object.class)) {
            try {
                owner.getMethod(method.getName(), method.getParameterTypes());
                return true;
            } catch (NoSuchMethodException e) {
                // not this owner's
            }
        }
        return false;
    }

    private static void mentionsNoSpiType(Class<?> poolClass, Class<?> type, String where) {
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (element.getPackageName().equals(SPI_PACKAGE)) {
            fail(poolClass.getSimpleName() + "." + where + " shows the spi type " + element.getName());
        }
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String signature(Method method) {
        StringBuilder text = new StringBuilder(method.getName()).append('(');
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            text.append(i == 0 ? "" : ", ").append(parameters[i].getSimpleName());
        }
        return text.append(')').toString();
    }
}
