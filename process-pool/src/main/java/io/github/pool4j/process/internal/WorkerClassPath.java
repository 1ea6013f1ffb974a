package io.github.pool4j.process.internal;

import io.github.pool4j.PoolException;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The class path of worker JVMs: one that can load {@link WorkerMain}, its dependencies and the
 * caller's tasks.
 *
 * <p>Usually that is this JVM's {@code java.class.path}. It is not when pool4j or the application
 * was loaded by a class loader of its own: {@code mvn exec:java} runs the application in Maven's
 * JVM from a {@link URLClassLoader}, some IDE and test runners do the same, and a Spring Boot
 * executable jar loads everything from jars nested in the application jar. So the class path is
 * {@code java.class.path} followed by what the class loaders of the caller's thread (its context
 * class loader) and of pool4j see beyond the JVM's own loaders: the {@code file:} URLs of every
 * {@link URLClassLoader} up their parent chain, and the code sources of pool4j, Jackson and slf4j.
 * Locations a worker cannot use ({@code jar:nested:...}, {@code jar:file:...!/BOOT-INF/lib/...})
 * for pool4j itself fail the pool's build with what to do; the builder's
 * {@code classPath(...)} overrides all of this.
 *
 * <p>Thread-safety: stateless; thread-safe.
 */
public final class WorkerClassPath {

    /** What {@code java} prints when the main class is not on the class path. */
    static final String NOT_FOUND = "Could not find or load main class";

    /** Classes a worker needs, one per jar: pool4j's three, Jackson's three, slf4j's API. */
    private static final List<String> NEEDED = List.of(
            "io.github.pool4j.process.internal.WorkerMain",
            "io.github.pool4j.Pool",
            "io.github.pool4j.codec.Json",
            "tools.jackson.databind.ObjectMapper",
            "tools.jackson.core.JsonParser",
            "com.fasterxml.jackson.annotation.JsonCreator",
            "org.slf4j.LoggerFactory");

    private WorkerClassPath() {}

    /**
     * Returns the workers' class path: {@code explicit} if not null, else the one derived as the
     * class description says.
     *
     * @param explicit the builder's class path, or null
     * @param context the caller's context class loader, or null
     * @return the class path, entries joined with {@link File#pathSeparator}
     * @throws PoolException if pool4j is loaded from where a worker cannot load it, saying what to do
     */
    public static String resolve(String explicit, ClassLoader context) {
        if (explicit != null) {
            return explicit;
        }
        List<ClassLoader> loaders = new ArrayList<>();
        if (context != null) {
            loaders.add(context);
        }
        loaders.add(WorkerClassPath.class.getClassLoader());
        List<URL> sources = new ArrayList<>();
        for (String name : NEEDED) {
            URL source = codeSource(name, WorkerClassPath.class.getClassLoader());
            if (source != null) {
                sources.add(source);
            }
        }
        return derive(System.getProperty("java.class.path", ""), loaders, sources);
    }

    /**
     * Derives the class path (tests).
     *
     * @param javaClassPath this JVM's {@code java.class.path}
     * @param loaders the class loaders whose URLs the workers need
     * @param codeSources where the classes a worker needs were loaded from; the first is pool4j's
     * @return {@code javaClassPath} (as is) followed by the entries it lacks
     * @throws PoolException if a code source is not a plain file or directory
     */
    static String derive(String javaClassPath, List<ClassLoader> loaders, List<URL> codeSources) {
        Set<String> known = new HashSet<>();
        for (String entry : javaClassPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                known.add(normalize(entry));
            }
        }
        Set<String> entries = new LinkedHashSet<>();
        ClassLoader system = ClassLoader.getSystemClassLoader();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (ClassLoader loader : loaders) {
            for (ClassLoader l = loader; l != null && l != system && l != platform; l = l.getParent()) {
                if (l instanceof URLClassLoader urls) {
                    for (URL url : urls.getURLs()) {
                        Path file = toFile(url);
                        if (file != null) {
                            entries.add(file.toString());
                        }
                    }
                }
            }
        }
        for (URL source : codeSources) {
            Path file = toFile(source);
            if (file == null) {
                throw new PoolException("pool4j's worker JVMs cannot load their classes from " + source
                        + ": that is inside an archive, not a jar or directory a JVM can put on its class path"
                        + " (a Spring Boot executable jar loads its libraries so). Give the workers a class path"
                        + " with ProcessPool.builder().classPath(...), for example the jars of the application"
                        + " extracted with `java -Djarmode=tools -jar app.jar extract`, or run it from such an"
                        + " extracted copy (`java -jar app/app.jar`), where every jar is a file.", null);
            }
            entries.add(file.toString());
        }
        entries.removeAll(known);
        if (entries.isEmpty()) {
            return javaClassPath;
        }
        return javaClassPath.isEmpty() ? String.join(File.pathSeparator, entries)
                : javaClassPath + File.pathSeparator + String.join(File.pathSeparator, entries);
    }

    /**
     * Returns what to add to the description of a worker that died before saying hello, given its
     * last lines of stderr (which the description quotes): the cause and the fix when the JVM could
     * not load the worker's main class, else "".
     */
    public static String explain(List<String> stderrTail) {
        for (String line : stderrTail) {
            if (line.contains(NOT_FOUND)) {
                return ": the workers' class path lacks pool4j (by default it is java.class.path plus what"
                        + " the caller's class loaders see); set it with ProcessPool.builder().classPath(...)"
                        + " to the jars and directories of pool4j, its dependencies and the tasks";
            }
        }
        return "";
    }

    private static URL codeSource(String className, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(className, false, loader);
            if (type.getClassLoader() == ClassLoader.getSystemClassLoader()) {
                return null; // on java.class.path already
            }
            CodeSource source = type.getProtectionDomain().getCodeSource();
            return source == null ? null : source.getLocation();
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            return null;
        }
    }

    /** The file or directory of a {@code file:} URL, or null for any other. */
    private static Path toFile(URL url) {
        if (url == null || !"file".equals(url.getProtocol())) {
            return null;
        }
        try {
            return Paths.get(url.toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Paths.get(url.getPath()).toAbsolutePath().normalize();
        }
    }

    private static String normalize(String entry) {
        if (entry.endsWith("*")) {
            return entry; // a wildcard entry stays as the user wrote it
        }
        try {
            return Paths.get(entry).toAbsolutePath().normalize().toString();
        } catch (RuntimeException e) {
            return entry;
        }
    }
}
