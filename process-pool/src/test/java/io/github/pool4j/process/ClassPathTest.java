package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolException;
import io.github.pool4j.process.internal.WorkerClassPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers' class path where {@code java.class.path} does not hold the application, as under
 * {@code mvn exec:java}, and where it holds no pool4j at all.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClassPathTest {

    @AfterEach
    void nothingLeft() {
        Leftovers.assertNone();
    }

    @Test
    void applicationInAClassLoaderOfItsOwn_likeExecJava_workersGetItsClassPath(@TempDir Path dir) throws Exception {
        // The JVM's class path holds only the launcher class, as Maven's holds only its own jars.
        String name = IsolatedMain.class.getName().replace('.', '/') + ".class";
        Path launcher = dir.resolve(name);
        Files.createDirectories(launcher.getParent());
        try (InputStream in = IsolatedMain.class.getClassLoader().getResourceAsStream(name)) {
            Files.copy(in, launcher);
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", dir.toString(), IsolatedMain.class.getName(),
                System.getProperty("java.class.path"), IsolatedApp.class.getName())
                .redirectErrorStream(true).start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), output);

        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("lengths [3, 5, 4]"), output);
    }

    @Test
    void classPathWithoutPool4j_buildFails_namingTheJvmsMessageAndTheFix(@TempDir Path empty) {
        PoolException e = assertThrows(PoolException.class,
                () -> ProcessPool.builder().size(1).classPath(empty.toString()).build());

        assertTrue(e.getMessage().contains("Could not find or load main class io.github.pool4j.process.internal.WorkerMain"),
                e.getMessage());
        assertTrue(e.getMessage().contains("set it with ProcessPool.builder().classPath(...)"), e.getMessage());
    }

    @Test
    void explicitClassPath_isTheWorkers() throws IOException {
        String classPath = System.getProperty("java.class.path");
        try (Pool<String, Integer> pool = ProcessPool.builder().size(1).classPath(classPath).build()) {
            assertEquals(List.of(3), pool.map(IsolatedApp::length, List.of("Kai")));
        }
        assertEquals("x.jar", WorkerClassPath.resolve("x.jar", null));
    }

    @Test
    void blankClassPath_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcessPool.builder().classPath(" "));
        assertEquals("classPath must not be blank", e.getMessage());
    }
}
