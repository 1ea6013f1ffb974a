package io.github.pool4j.process.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the parent JVM dies, its workers and the processes those workers started
 * are gone within 5 seconds: after {@code kill -9} of the parent (no shutdown hook runs; the
 * workers see their stdin end and their parent go) and after a {@code System.exit} that never
 * closed the pool (the shutdown hook kills them). The process pool's own orphan test checks the
 * workers; this one also checks their children.
 */
@Tag("reliability")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParentDeathTest {

    private static final long BOUND_MILLIS = 5000;

    @TempDir
    Path dir;

    private List<Long> pids = List.of();
    private Process parent;

    @AfterEach
    void killEverything() {
        if (parent != null) {
            parent.destroyForcibly();
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        Abuse.assertNothingLeft();
    }

    private void startParent(String mode) throws Exception {
        parent = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), DyingParent.class.getName(), mode, dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        // Read in another thread: a blocked pipe read ignores interrupts, and a parent that never
        // prints must fail the test, not hang it.
        CompletableFuture<String> pidsLine = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("PIDS ")) {
                    // anything else the parent prints
                }
                return line;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String line;
        try {
            line = pidsLine.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            parent.destroyForcibly();
            throw new AssertionError("the parent printed no pids within 60 s", e);
        }
        assertNotNull(line, "the parent printed no pids");
        pids = Arrays.stream(line.substring(5).trim().split(" ")).map(Long::parseLong).toList();
        assertEquals(4, pids.size(), "two workers and a child each: " + pids);
    }

    private long alive() {
        return pids.stream().filter(Abuse::alive).count();
    }

    /** Milliseconds from now until none of the pids is alive (failing after 30 s). */
    private long millisUntilAllGone() {
        long start = System.nanoTime();
        Abuse.await("workers and their children to exit", 30, () -> alive() == 0);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void parentKilledWithSigkill_workersAndTheirChildrenGoneWithinFiveSeconds() throws Exception {
        startParent("kill");
        assertEquals(4, alive());
        parent.destroyForcibly(); // SIGKILL
        assertTrue(parent.waitFor(30, TimeUnit.SECONDS));
        long millis = millisUntilAllGone();
        Abuse.figure("parent-death", "sigkill-ms-until-gone", millis);
        assertTrue(millis < BOUND_MILLIS, "workers or their children outlived the parent by " + millis + " ms");
    }

    @Test
    void parentKilledWhileWorkersStart_leavesNoProgressFiles() throws Exception {
        parent = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), BootingParent.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> workersLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String line;
        try {
            line = workersLine.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the parent printed no workers within 60 s", e);
        }
        assertNotNull(line, "the parent printed no workers");
        parent.destroyForcibly(); // SIGKILL, most likely before either worker said hello
        assertTrue(parent.waitFor(30, TimeUnit.SECONDS));
        String[] parts = line.substring("WORKERS ".length()).trim().split(" ");
        assertEquals(4, parts.length, line);
        pids = List.of(Long.parseLong(parts[0]), Long.parseLong(parts[2]));
        millisUntilAllGone();
        for (Path file : List.of(Path.of(parts[1]), Path.of(parts[3]))) {
            assertTrue(file.getFileName().toString().endsWith(".progress"), "the last worker argument: " + file);
            assertTrue(java.nio.file.Files.notExists(file), "left behind: " + file);
        }
    }

    @Test
    void parentExitsWithoutClosingPool_workersAndTheirChildrenGoneWithinFiveSeconds() throws Exception {
        startParent("exit");
        assertTrue(parent.waitFor(30, TimeUnit.SECONDS));
        long millis = millisUntilAllGone();
        Abuse.figure("parent-death", "exit-ms-until-gone", millis);
        assertTrue(millis < BOUND_MILLIS, "workers or their children outlived the parent by " + millis + " ms");
    }
}
