package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutputTest {

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

    static String printBoth(String name) {
        System.out.println("Hi " + name + "!");
        System.err.println("err " + name);
        System.out.print("no newline " + name);
        return name;
    }

    static String rawFd(String name) throws Exception {
        FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);
        fd1.write(("raw " + name + "\n").getBytes(StandardCharsets.UTF_8));
        // A partial line right before the result frame: the frame must still be found.
        fd1.write(("partial-" + name).getBytes(StandardCharsets.UTF_8));
        fd1.flush();
        Process child = new ProcessBuilder("sh", "-c", "echo child " + name)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        child.waitFor();
        return name.toUpperCase();
    }

    @Test
    void map_taskPrints_linesShowUpWholeOnParentStreams() {
        try (Pool<String, String> pool = ProcessPool.builder().size(2).build()) {
            assertEquals(List.of("Kai", "Ana"), pool.map(OutputTest::printBoth, List.of("Kai", "Ana")));
        }
        List<String> outLines = out().lines().toList();
        assertTrue(outLines.contains("Hi Kai!"), out());
        assertTrue(out().contains("Hi Ana!\n"), out());
        assertTrue(out().contains("no newline Kai"), out());
        assertTrue(err().lines().toList().contains("err Kai"), err());
    }

    @Test
    void map_bytesWrittenStraightToFd1_areForwardedAndDoNotCorruptTheProtocol() {
        try (Pool<String, String> pool = ProcessPool.builder().size(1).build()) {
            assertEquals(List.of("A", "B"), pool.map(OutputTest::rawFd, List.of("a", "b")));
            assertEquals(List.of("OK"), pool.map(String::toUpperCase, List.of("ok")));
        }
        List<String> outLines = out().lines().toList();
        assertTrue(outLines.contains("raw a"), out());
        assertTrue(out().contains("child b\n"), out());
        assertTrue(out().contains("partial-a"), out());
    }
}
