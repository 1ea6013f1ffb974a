package io.github.pool4j.process.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerArgsTest {

    @Test
    void args_roundTripWithAndWithoutProgressFile() {
        WorkerArgs plain = new WorkerArgs(8 << 20, 0, false, 3 << 20, null);
        assertEquals(List.of(Long.toString(8 << 20), "0", "0", Long.toString(3 << 20)), plain.toList());
        assertEquals(plain, WorkerArgs.parse(plain.toList().toArray(new String[0])));
        WorkerArgs full = plain.withProgressFile(Path.of("/tmp/p.progress"));
        full = new WorkerArgs(full.maxFrameBytes(), 1500, true, full.maxPayloadBytes(), full.progressFile());
        assertEquals(full, WorkerArgs.parse(full.toList().toArray(new String[0])));
    }

    @Test
    void tooFewArgs_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> WorkerArgs.parse(new String[] {"1024", "0", "0"}));
    }
}
