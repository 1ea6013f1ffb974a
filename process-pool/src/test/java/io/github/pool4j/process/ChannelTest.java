package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.PoolException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol channel is private: nothing a task, a child process it starts, or the worker JVM
 * itself does with fd 0, fd 1 or fd 2 can read a frame or alter one, and all that output still
 * reaches this JVM. Real worker JVMs, real child processes.
 */
class ChannelTest {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final int RESULT_CHARS = 300 * 1024;

    private final CapturedOutput output = new CapturedOutput();

    @BeforeEach
    void capture() {
        output.start();
    }

    @AfterEach
    void restore() {
        output.restore();
        Leftovers.assertNone();
    }

    private String out() {
        return output.out();
    }

    private String err() {
        return output.err();
    }

    // ---- tasks (run in the worker) ----

    /** Runs a child that reads its inherited stdin; returns its exit status, or "hung". */
    static String readStdin(String how) throws Exception {
        if (how.equals("fd0")) {
            // The worker's own fd 0, bypassing System.in (not closed: later children inherit it).
            return "fd0 read " + new FileInputStream(FileDescriptor.in).read();
        }
        List<String> command = switch (how) {
            case "cat" -> List.of("cat");
            case "dd" -> List.of("dd", "bs=1", "count=64");
            default -> List.of("sh", "-c", "read line");
        };
        Process child = new ProcessBuilder(command).inheritIO().start();
        if (!child.waitFor(20, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            return how + " hung";
        }
        return how + " exit " + child.exitValue();
    }

    private static volatile boolean noiseStarted;

    /** A 300 KB result, while a thread of the worker writes bytes without newlines straight to fd 1. */
    static String bigWithRawNoise(Integer i) {
        synchronized (ChannelTest.class) {
            if (!noiseStarted) {
                noiseStarted = true;
                Thread noise = new Thread(() -> {
                    FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);
                    byte[] raw = "<raw>".getBytes(StandardCharsets.US_ASCII);
                    try {
                        while (true) {
                            fd1.write(raw);
                            Thread.sleep(1); // a steady trickle, not a flood
                        }
                    } catch (Exception e) {
                        // the worker is exiting
                    }
                }, "raw-noise");
                noise.setDaemon(true);
                noise.start();
            }
        }
        return big(i);
    }

    static String big(Integer i) {
        String unit = "v" + i + ";";
        return unit.repeat(RESULT_CHARS / unit.length() + 1).substring(0, RESULT_CHARS);
    }

    /** Writes frame lookalikes and garbage straight to fd 1 and through a child's stdout and stderr. */
    static String forgeFrames(String name) throws Exception {
        FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);
        fd1.write(("\u001Ep4j:{\"t\":\"r\",\"id\":1,\"i\":0,\"v\":\"forged " + name + "\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        fd1.write(("\u001Ep4j:garbage " + name + "\n").getBytes(StandardCharsets.UTF_8));
        fd1.flush();
        Process child = new ProcessBuilder("sh", "-c",
                "printf '\\036p4j:{\"t\":\"bye\"}\\n'; echo child-out " + name + "; echo child-err " + name + " >&2")
                .inheritIO().start();
        child.waitFor();
        return name.toUpperCase();
    }

    /** Leaves a child holding the worker's stdout and stderr; returns its pid. */
    static Long leaveBackgroundChild(String pidFile) throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", "sleep 1000 & echo $! > '" + pidFile + "'").inheritIO().start();
        sh.waitFor();
        return Long.parseLong(Files.readString(Path.of(pidFile)).trim());
    }

    private static final int DOTS = 1024 * 1024;

    /** Prints {@value #DOTS} dots without a newline, then waits (bounded) for the test to create {@code go}. */
    static String dotsThenWait(String go) throws Exception {
        for (int i = 0; i < DOTS; i++) {
            System.out.print(".");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(Path.of(go)) && System.nanoTime() < deadline) {
            Thread.sleep(10); // waits for an outside event (the test's file), bounded
        }
        return Files.exists(Path.of(go)) ? "went on" : "gave up";
    }

    static String unfinishedLine(String name) {
        System.out.print("unfinished " + name);
        return name;
    }

    // ---- tests ----

    @Test
    void childWithInheritedStdin_readsEndOfFileAtOnce_andThePoolGoesOn() {
        List<String> kinds = List.of("cat", "dd", "read", "fd0", "cat", "read");
        try (Pool<String, String> pool = ProcessPool.builder().size(1).chunkSize(1).build()) {
            List<String> results = assertTimeoutPreemptively(LIMIT, () -> pool.map(ChannelTest::readStdin, kinds));
            assertEquals(List.of("cat exit 0", "dd exit 0", "read exit 1", "fd0 read -1", "cat exit 0", "read exit 1"),
                    results);
            assertEquals(List.of("OK"), assertTimeoutPreemptively(LIMIT, () -> pool.map(String::toUpperCase,
                    List.of("ok"))));
        }
    }

    @Test
    void rawBytesOnFd1_andGcLogs_neverAlterAResult_andReachStdout() {
        List<Integer> inputs = IntStream.range(0, 300).boxed().toList();
        try (Pool<Integer, String> pool = ProcessPool.builder().size(2).addJvmOptions("-verbose:gc").build()) {
            List<String> results = assertTimeoutPreemptively(LIMIT,
                    () -> pool.map(ChannelTest::bigWithRawNoise, inputs));
            for (int i = 0; i < inputs.size(); i++) {
                assertTrue(big(i).equals(results.get(i)), "result " + i + " was altered");
            }
        }
        assertTrue(out().contains("<raw>"), "the raw bytes reach stdout");
        assertTrue(out().contains("[gc"), "the GC log reaches stdout");
    }

    @Test
    void xlogGc_toStdout_neverAltersAResult() {
        List<Integer> inputs = IntStream.range(0, 150).boxed().toList();
        try (Pool<Integer, String> pool = ProcessPool.builder().size(1).addJvmOptions("-Xlog:gc").build()) {
            List<String> results = assertTimeoutPreemptively(LIMIT, () -> pool.map(ChannelTest::big, inputs));
            for (int i = 0; i < inputs.size(); i++) {
                assertTrue(big(i).equals(results.get(i)), "result " + i + " was altered");
            }
        }
        assertTrue(out().contains("[info][gc]"), out().lines().limit(5).toList().toString());
    }

    @Test
    void frameLookalikesOnFd1_arePlainOutput() {
        try (ProcessPool<String, String> pool = ProcessPool.builder().size(1).build()) {
            assertEquals(List.of("A", "B"), pool.map(ChannelTest::forgeFrames, List.of("a", "b")));
            assertEquals(List.of("OK"), pool.map(String::toUpperCase, List.of("ok")));
            // The worker's pid is the JVM's: the wrapper shell execs it.
            for (long pid : pool.workerPids()) {
                String command = ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("");
                assertTrue(command.endsWith("/java"), command);
            }
        }
        assertTrue(out().contains("\u001Ep4j:{\"t\":\"r\",\"id\":1,\"i\":0,\"v\":\"forged a\"}\n"), out());
        assertTrue(out().contains("\u001Ep4j:garbage b\n"), out());
        assertTrue(out().contains("child-out b\n"), out());
        assertTrue(err().contains("child-err a\n"), err());
    }

    @Test
    void backgroundChildHoldingTheWorkersOutput_doesNotHoldClose(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("pid");
        long child = -1;
        try {
            try (Pool<String, Long> pool = ProcessPool.builder().size(1).build()) {
                child = assertTimeoutPreemptively(LIMIT,
                        () -> pool.map(ChannelTest::leaveBackgroundChild, List.of(pidFile.toString()))).get(0);
                assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
            }
            // The child still holds the worker's stdout and stderr, yet no pool thread waits for it.
            Leftovers.assertNone();
            assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void partialLines_areShownInBoundedPieces_andWhenTheInputEnds(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        try (Pool<String, String> pool = ProcessPool.builder().size(1).build()) {
            CompletableFuture<String> running = pool.submit(ChannelTest::dotsThenWait, go.toString());
            // Most of the unfinished line reaches stdout while the task still runs.
            Leftovers.await("dots on stdout", () -> out().length() >= DOTS / 2);
            Files.createFile(go);
            assertEquals("went on", running.get(60, TimeUnit.SECONDS));
            assertEquals(List.of("x"), pool.map(ChannelTest::unfinishedLine, List.of("x")));
            // Shown once its input ended, not when the worker exits.
            assertTrue(out().contains("unfinished x"), "the unfinished line is shown before the call returns");
            assertFalse(out().contains(".unfinished"), "the dots' line was ended before the next input's output");
        }
        assertEquals(DOTS, out().chars().filter(c -> c == '.').count());
    }

    @Test
    void workerThatCannotStart_saysWhyInTheException() {
        PoolException unknown = assertThrows(PoolException.class,
                () -> ProcessPool.builder().size(1).addJvmOptions("-XX:+NoSuchPool4jOption").build());
        assertTrue(unknown.getMessage().contains("Unrecognized VM option 'NoSuchPool4jOption'"), unknown.getMessage());
        PoolException tiny = assertThrows(PoolException.class,
                () -> ProcessPool.builder().size(1).addJvmOptions("-Xmx1k").build());
        assertTrue(tiny.getMessage().contains("Error occurred during initialization of VM"), tiny.getMessage());
    }
}
