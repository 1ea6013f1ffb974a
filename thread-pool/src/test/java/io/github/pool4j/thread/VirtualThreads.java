package io.github.pool4j.thread;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Reaches {@code Executors.newVirtualThreadPerTaskExecutor()} by reflection, so tests compile on 17. */
final class VirtualThreads {

    private VirtualThreads() {}

    static boolean available() {
        return factory() != null;
    }

    static ExecutorService newExecutor() {
        try {
            return (ExecutorService) factory().invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method factory() {
        try {
            return Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
