package io.github.pool4j.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    @Test
    void lineReader_cutsOverlongLinesAndKeepsReading() throws Exception {
        byte[] input = ("short\n" + "x".repeat(3000) + "\nafter\n").getBytes(StandardCharsets.UTF_8);
        LineReader reader = new LineReader(new ByteArrayInputStream(input), 1024);
        assertEquals(5, reader.next());
        assertEquals(1024, reader.next());
        assertTrue(reader.overflowed());
        int rest = 0;
        int n;
        while ((n = reader.next()) == 1024 && reader.overflowed()) {
            rest += n;
        }
        rest += n;
        assertEquals(3000, 1024 + rest);
        assertEquals(5, reader.next());
        assertEquals("after", new String(reader.buffer(), 0, 5, StandardCharsets.UTF_8));
        assertEquals(-1, reader.next());
    }
}
