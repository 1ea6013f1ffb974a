package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * pool4j's jars as a modular application sees them: the module graph resolves from the library
 * jars and their dependencies alone, only the API packages are exported to everyone, the engine and
 * the codec only to pool4j's own modules, and a pool works when loaded from a module layer.
 */
class ModulePathTest {

    private static final Set<String> POOL4J_MODULES = Set.of("io.github.pool4j.core", "io.github.pool4j.codec",
            "io.github.pool4j.thread", "io.github.pool4j.process", "io.github.pool4j.micrometer",
            "io.github.pool4j.hazelcast");

    /** The library modules and what they need, from this test's class path (reactor jars or class dirs). */
    private static ModuleFinder libraryFinder() {
        Path[] entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.matches(".*(/(core|codec|thread-pool|process-pool|micrometer)/target/classes"
                        + "|pool4j-(core|codec|thread-pool|process-pool|micrometer)-[^/]*[0-9T](-SNAPSHOT)?\\.jar"
                        + "|/slf4j-api-[^/]*|/jackson-(core|databind|annotations)-[^/]*|/micrometer-(core|commons|observation)-[^/]*"
                        + "|/HdrHistogram-[^/]*|/LatencyUtils-[^/]*)"))
                .map(Path::of)
                .toArray(Path[]::new);
        return ModuleFinder.of(entries);
    }

    private static ModuleLayer layer(String... roots) {
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolve(libraryFinder(), ModuleFinder.of(), Set.of(roots));
        return ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void everyLibraryModuleResolvesOnTheModulePath() {
        ModuleLayer layer = layer("io.github.pool4j.thread", "io.github.pool4j.process", "io.github.pool4j.micrometer");
        Set<String> resolved = layer.modules().stream().map(Module::getName).collect(Collectors.toSet());
        assertTrue(resolved.containsAll(Set.of("io.github.pool4j.core", "io.github.pool4j.codec",
                "io.github.pool4j.thread", "io.github.pool4j.process", "io.github.pool4j.micrometer")), resolved.toString());
    }

    @Test
    void onlyTheApiIsExportedToEveryone_engineAndCodecOnlyToPool4jModules() {
        Map<String, ModuleDescriptor> descriptors = libraryFinder().findAll().stream()
                .map(reference -> reference.descriptor())
                .filter(descriptor -> POOL4J_MODULES.contains(descriptor.name()))
                .collect(Collectors.toMap(ModuleDescriptor::name, descriptor -> descriptor));
        assertEquals(Set.of("io.github.pool4j", "io.github.pool4j.timing", "io.github.pool4j.os"),
                unqualifiedExports(descriptors.get("io.github.pool4j.core")));
        assertEquals(Set.of(), unqualifiedExports(descriptors.get("io.github.pool4j.codec")));
        assertEquals(Set.of("io.github.pool4j.thread"), unqualifiedExports(descriptors.get("io.github.pool4j.thread")));
        assertEquals(Set.of("io.github.pool4j.process"), unqualifiedExports(descriptors.get("io.github.pool4j.process")));
        for (ModuleDescriptor descriptor : descriptors.values()) {
            assertFalse(descriptor.isAutomatic(), descriptor.name() + " has no module-info");
            for (Exports exports : descriptor.exports()) {
                assertTrue(POOL4J_MODULES.containsAll(exports.targets()),
                        descriptor.name() + " exports " + exports.source() + " beyond pool4j: " + exports.targets());
            }
        }
    }

    private static Set<String> unqualifiedExports(ModuleDescriptor descriptor) {
        return descriptor.exports().stream().filter(exports -> !exports.isQualified())
                .map(Exports::source).collect(Collectors.toSet());
    }

    @Test
    void threadPoolMapsWhenLoadedFromAModuleLayer() throws Exception {
        ModuleLayer layer = layer("io.github.pool4j.thread");
        ClassLoader loader = layer.findLoader("io.github.pool4j.thread");
        Class<?> threadPool = loader.loadClass("io.github.pool4j.thread.ThreadPool");
        Class<?> task = loader.loadClass("io.github.pool4j.Task");
        Class<?> pool = loader.loadClass("io.github.pool4j.Pool");
        assertTrue(threadPool.getModule().isNamed());
        Object doubling = Proxy.newProxyInstance(loader, new Class<?>[] {task}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals") ? proxy == args[0]
                        : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "doubling";
            }
            return (Integer) args[0] * 2;
        });
        Object created = threadPool.getMethod("create", int.class).invoke(null, 2);
        Method close = pool.getMethod("close");
        try {
            Object mapped = pool.getMethod("map", task, Iterable.class).invoke(created, doubling, List.of(1, 2, 3));
            assertEquals(List.of(2, 4, 6), mapped);
        } finally {
            close.invoke(created);
        }
    }
}
