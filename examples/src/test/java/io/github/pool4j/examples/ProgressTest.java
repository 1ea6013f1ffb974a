package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pool4j.Pool;
import io.github.pool4j.SerialPool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void progress_printsDoneOverTotalForEachFinishedInput() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
                Pool<Integer, Integer> pool = SerialPool.builder().listener(Progress.to(stream)).build()) {
            pool.map(x -> x + 1, List.of(1, 2, 3));
        }

        assertEquals(List.of("progress 1/3 inputs done", "progress 2/3 inputs done", "progress 3/3 inputs done"),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void onTerminal_outputNotATerminal_isSilent() {
        // Surefire's forked JVM writes into pipes, as `java -jar ... | tee` does.
        assertEquals(false, Progress.isTerminal());
        assertEquals(io.github.pool4j.PoolListener.NONE, Progress.onTerminal());
    }
}
