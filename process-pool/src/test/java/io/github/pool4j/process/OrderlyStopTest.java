package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pool's own stop of its workers, when the JVM is told to end, is not reported as a fault. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrderlyStopTest {

    @TempDir
    Path dir;

    @Test
    void sigtermToParent_workersStoppedWithoutWarningsOrCrashCauses() throws Exception {
        Path output = dir.resolve("parent.out");
        // This module's test logging shows the pool's errors only; the parent shows its warnings too.
        Process parent = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx128m",
                "-Dorg.slf4j.simpleLogger.log.io.github.pool4j.process.internal.WorkerGroup=info",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", System.getProperty("java.class.path"), TerminatedParent.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            Leftovers.await("the parent to be ready", () -> read(output).contains("READY"));
            parent.destroy(); // SIGTERM
            assertTrue(parent.waitFor(60, TimeUnit.SECONDS), "the parent did not exit");
        } finally {
            parent.destroyForcibly();
        }
        List<String> lines = read(output).lines().toList();
        String all = String.join("\n", lines);
        assertTrue(lines.contains("STOPPED none none"), all);
        assertEquals(List.of(), lines.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList(), all);
        Leftovers.assertNone();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
