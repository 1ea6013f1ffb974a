package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.SerialPool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void progress_printsTheCallsFinalLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
                Pool<Integer, Integer> pool = SerialPool.builder().listener(Progress.to(stream)).build()) {
            pool.map(x -> x + 1, List.of(1, 2, 3));
        }

        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("map 3/3 100% ["), lines.get(0));
    }

    @Test
    void onTerminal_outputNotATerminal_isSilent() {
        // Surefire's forked JVM writes into pipes, as `java -jar ... | tee` does.
        assertEquals(false, Progress.isTerminal());
        assertEquals(io.github.pool4j.PoolListener.NONE, Progress.onTerminal());
    }
}
