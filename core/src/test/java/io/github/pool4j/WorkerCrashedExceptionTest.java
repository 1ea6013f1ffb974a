package io.github.pool4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker description every pool gives a lost input's exception. */
class WorkerCrashedExceptionTest {

    @Test
    void worker_givenByThePool_isKeptAsGiven() {
        WorkerCrashedException e = new WorkerCrashedException("lost", 3, "member 127.0.0.1:5702 (pid 42)", 42, -1,
                null, List.of());
        assertEquals("member 127.0.0.1:5702 (pid 42)", e.worker());
        assertEquals(42, e.pid());
        assertEquals(3, e.inputIndex());
    }

    @Test
    void worker_notGiven_isDescribedByItsPidOrAsAWorker() {
        assertEquals("pid 42", new WorkerCrashedException("lost", 0, 42, 137, "SIGKILL", List.of()).worker());
        assertEquals("a worker", new WorkerCrashedException("lost", 0, -1, -1, null, List.of()).worker());
    }

    @Test
    void worker_null_isRefused() {
        assertThrows(NullPointerException.class,
                () -> new WorkerCrashedException("lost", 0, null, 1, -1, null, List.of()));
    }
}
