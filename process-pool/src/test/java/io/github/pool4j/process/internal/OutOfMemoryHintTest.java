package io.github.pool4j.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The heap an out-of-memory message names, and the larger one it suggests. */
class OutOfMemoryHintTest {

    @Test
    void heapOption_isTheLastOneGiven() {
        assertEquals("-Xmx2g", CrashPolicy.heapOption(List.of("-Xms4m", "-Xmx256m", "-Dx=y", "-Xmx2g")));
        assertEquals("-XX:MaxHeapSize=1073741824", CrashPolicy.heapOption(List.of("-Xmx256m", "-XX:MaxHeapSize=1073741824")));
        assertNull(CrashPolicy.heapOption(List.of("-Xms4m", "-XX:+UseSerialGC")));
    }

    @Test
    void raisedHeap_isOneGigabyteOrTwiceALargerHeap() {
        assertEquals("-Xmx1g", CrashPolicy.raisedHeap("-Xmx256m"));
        assertEquals("-Xmx1g", CrashPolicy.raisedHeap(null));
        assertEquals("-Xmx1g", CrashPolicy.raisedHeap("-Xmxnonsense"));
        assertEquals("-Xmx2g", CrashPolicy.raisedHeap("-Xmx1g"));
        assertEquals("-Xmx8g", CrashPolicy.raisedHeap("-Xmx4G"));
        assertEquals("-Xmx3g", CrashPolicy.raisedHeap("-Xmx1536m"));
        assertEquals("-Xmx2g", CrashPolicy.raisedHeap("-XX:MaxHeapSize=1073741824"));
    }
}
