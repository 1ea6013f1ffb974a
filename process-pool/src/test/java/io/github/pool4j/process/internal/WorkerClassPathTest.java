package io.github.pool4j.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.PoolException;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the workers' class path is derived from {@code java.class.path} and the class loaders. */
class WorkerClassPathTest {

    @TempDir
    Path dir;

    @Test
    void onlyTheJvmsLoaders_javaClassPathAsIs() {
        String javaClassPath = "lib/a.jar" + File.pathSeparator + "classes";
        assertEquals(javaClassPath, WorkerClassPath.derive(javaClassPath,
                List.of(ClassLoader.getSystemClassLoader()), List.of()));
    }

    @Test
    void urlClassLoaders_theirFilesFollowJavaClassPath_once() throws IOException {
        Path onBoth = Files.createDirectories(dir.resolve("both"));
        Path app = Files.createDirectories(dir.resolve("app-classes"));
        Path lib = Files.createFile(dir.resolve("lib.jar"));
        Path parentLib = Files.createFile(dir.resolve("parent.jar"));
        try (URLClassLoader parent = new URLClassLoader(new URL[] {parentLib.toUri().toURL()},
                        ClassLoader.getPlatformClassLoader());
                URLClassLoader loader = new URLClassLoader(new URL[] {
                    app.toUri().toURL(), onBoth.toUri().toURL(), lib.toUri().toURL(), new URL("http://example.com/x.jar")},
                        parent)) {
            String derived = WorkerClassPath.derive(onBoth.toString(), List.of(loader, loader), List.of(lib.toUri().toURL()));

            assertEquals(String.join(File.pathSeparator, onBoth.toString(), app.toString(), lib.toString(),
                    parentLib.toString()), derived);
        }
    }

    @Test
    void pool4jInsideAnArchive_failsSayingWhatToDo() throws IOException {
        URL nested = new URL("jar:file:/srv/app.jar!/BOOT-INF/lib/pool4j-process-pool.jar!/");

        PoolException e = assertThrows(PoolException.class,
                () -> WorkerClassPath.derive("/srv/app.jar", List.of(), List.of(nested)));

        assertTrue(e.getMessage().startsWith("pool4j's worker JVMs cannot load their classes from " + nested), e.getMessage());
        assertTrue(e.getMessage().contains("Spring Boot executable jar"), e.getMessage());
        assertTrue(e.getMessage().contains("ProcessPool.builder().classPath(...)"), e.getMessage());
    }

    @Test
    void explain_mainClassNotFound_saysTheCauseAndTheFix() {
        String line = "Error: Could not find or load main class io.github.pool4j.process.internal.WorkerMain";
        String text = WorkerClassPath.explain(List.of("something", line, "Caused by: java.lang.ClassNotFoundException: x"));

        assertTrue(text.startsWith(": the workers' class path lacks pool4j"), text);
        assertTrue(text.contains("ProcessPool.builder().classPath(...)"), text);
        assertEquals("", WorkerClassPath.explain(List.of("Error: something else")));
    }
}
