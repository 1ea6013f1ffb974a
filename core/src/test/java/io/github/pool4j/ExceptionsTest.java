package io.github.pool4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exceptions carry their context and print where the task failed. */
class ExceptionsTest {

    @Test
    void taskFailed_of_describesTheTasksException() {
        IllegalStateException cause = new IllegalStateException("bad 3");
        TaskFailedException e = TaskFailedException.of(3, cause);
        assertEquals(3, e.inputIndex());
        assertEquals("java.lang.IllegalStateException", e.remoteClassName());
        assertEquals("bad 3", e.remoteMessage());
        assertSame(cause, e.getCause());
        assertEquals("Task failed for input #3: java.lang.IllegalStateException: bad 3", e.getMessage());
        assertTrue(e.remoteStackTrace().startsWith("java.lang.IllegalStateException: bad 3"), e.remoteStackTrace());
        assertTrue(e.remoteStackTrace().contains("taskFailed_of_describesTheTasksException"));
    }

    @Test
    void taskFailed_of_exceptionWithoutMessage_hasNoTrailingColon() {
        TaskFailedException e = TaskFailedException.of(0, new NullPointerException());
        assertNull(e.remoteMessage());
        assertEquals("Task failed for input #0: java.lang.NullPointerException", e.getMessage());
    }

    @Test
    void taskFailed_of_exceptionWhoseMessageAndToStringThrow_isStillDescribed() {
        RuntimeException nasty = new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException("no message for you");
            }

            @Override
            public String toString() {
                throw new IllegalStateException("no string for you");
            }
        };
        TaskFailedException e = TaskFailedException.of(1, nasty);
        assertTrue(e.remoteMessage().contains("getMessage() threw java.lang.IllegalStateException"), e.remoteMessage());
        assertTrue(e.remoteStackTrace().contains("\tat "), e.remoteStackTrace());
    }

    @Test
    void remoteTaskException_printsTheRemoteClassAndFrames() {
        StackTraceElement frame = new StackTraceElement("com.example.Hello", "sayHello", "Hello.java", 12);
        RemoteTaskException root = new RemoteTaskException("java.io.IOException", "disk", List.of(frame), null);
        RemoteTaskException top = new RemoteTaskException("java.lang.IllegalStateException", "wrapped", List.of(frame), root);
        assertEquals("java.lang.IllegalStateException: wrapped", top.toString());
        assertEquals("java.io.IOException", root.remoteClassName());
        assertSame(root, top.getCause());
        TaskFailedException e = new TaskFailedException(4, "java.lang.IllegalStateException", "wrapped", "remote text", top);
        StringWriter printed = new StringWriter();
        e.printStackTrace(new PrintWriter(printed));
        assertTrue(printed.toString().contains("Caused by: java.lang.IllegalStateException: wrapped"), printed.toString());
        assertTrue(printed.toString().contains("at com.example.Hello.sayHello(Hello.java:12)"), printed.toString());
        assertTrue(printed.toString().contains("Caused by: java.io.IOException: disk"), printed.toString());
        assertThrows(NullPointerException.class, () -> new RemoteTaskException(null, "m", List.of(), null));
    }

    @Test
    void taskTimeout_carriesTimeoutIndexAndStuckStack() {
        StackTraceElement frame = new StackTraceElement("com.example.Slow", "spin", "Slow.java", 3);
        TaskTimeoutException e = new TaskTimeoutException(5, Duration.ofMillis(1500), List.of(frame));
        assertEquals(5, e.inputIndex());
        assertEquals(Duration.ofMillis(1500), e.timeout());
        assertEquals(List.of(frame), e.taskStackTrace());
        assertEquals("Task for input #5 timed out after 1500 ms", e.getMessage());
        assertEquals("stuck task", ((RemoteTaskException) e.getCause()).remoteClassName());
        assertNull(new TaskTimeoutException(0, Duration.ofSeconds(1), List.of()).getCause());
    }

    @Test
    void poolException_withoutInput_hasNoInputIndex() {
        assertEquals(PoolException.NO_INPUT, new PoolException("x", null).inputIndex());
        assertEquals(PoolException.NO_INPUT, new PoolClosedException("closed").inputIndex());
        assertEquals(9, new PoolClosedException("closed", 9).inputIndex());
    }

    @Test
    void taskResult_successAndFailure() {
        TaskResult<String> ok = TaskResult.success(2, "v");
        assertTrue(ok.isSuccess());
        assertEquals("v", ok.value());
        assertNull(ok.failure());
        assertEquals(2, ok.inputIndex());
        assertEquals(ok, TaskResult.success(2, "v"));
        assertEquals(ok.hashCode(), TaskResult.success(2, "v").hashCode());
        assertEquals("TaskResult[#2 = v]", ok.toString());

        TaskFailedException failure = TaskFailedException.of(3, new RuntimeException("x"));
        TaskResult<String> bad = TaskResult.failure(failure);
        assertEquals(3, bad.inputIndex());
        assertSame(failure, bad.failure());
        assertSame(failure, assertThrows(TaskFailedException.class, bad::value));
        assertThrows(NullPointerException.class, () -> TaskResult.failure(null));
    }

    @Test
    void poolStats_pendingIsWhatIsNeitherCompletedNorFailed() {
        PoolStats stats = new PoolStats(2, 10, 6, 3, List.of());
        assertEquals(1, stats.pending());
        assertThrows(UnsupportedOperationException.class, () -> stats.workers().add(null));
    }
}
