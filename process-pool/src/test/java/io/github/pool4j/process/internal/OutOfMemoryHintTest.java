package io.github.pool4j.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The heap an out-of-memory message names, and the larger one it suggests. */
class OutOfMemoryHintTest {

    @Test
    void heapOption_isTheLastOneGiven() {
        assertEquals("-Xmx2g", WorkerGroup.heapOption(List.of("-Xms4m", "-Xmx256m", "-Dx=y", "-Xmx2g")));
        assertEquals("-XX:MaxHeapSize=1073741824", WorkerGroup.heapOption(List.of("-Xmx256m", "-XX:MaxHeapSize=1073741824")));
        assertNull(WorkerGroup.heapOption(List.of("-Xms4m", "-XX:+UseSerialGC")));
    }

    @Test
    void raisedHeap_isOneGigabyteOrTwiceALargerHeap() {
        assertEquals("-Xmx1g", WorkerGroup.raisedHeap("-Xmx256m"));
        assertEquals("-Xmx1g", WorkerGroup.raisedHeap(null));
        assertEquals("-Xmx1g", WorkerGroup.raisedHeap("-Xmxnonsense"));
        assertEquals("-Xmx2g", WorkerGroup.raisedHeap("-Xmx1g"));
        assertEquals("-Xmx8g", WorkerGroup.raisedHeap("-Xmx4G"));
        assertEquals("-Xmx3g", WorkerGroup.raisedHeap("-Xmx1536m"));
        assertEquals("-Xmx2g", WorkerGroup.raisedHeap("-XX:MaxHeapSize=1073741824"));
    }
}
