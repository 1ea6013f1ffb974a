package io.github.pool4j.process.internal;

import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.process.internal.protocol.Message;
import io.github.pool4j.process.internal.protocol.Wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.RemoteTaskException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteErrorTest {

    static final java.util.concurrent.atomic.AtomicBoolean NOT_THROWABLE_INITIALISED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Not a Throwable: its name on the wire must never get it built, nor even initialised. */
    static final class NotThrowable {
        static {
            NOT_THROWABLE_INITIALISED.set(true);
        }

        public NotThrowable(String message) {}
    }

    /** Rewrites its message: rebuilt as it, it would misreport the failure. */
    static final class RewritingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RewritingException(String code) {
            super("code " + code);
        }
    }

    /** No (String) constructor. */
    static final class CodeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CodeException(int code) {
            super("code " + code);
        }
    }

    private static final List<StackTraceElement> FRAMES = List.of(new StackTraceElement("a.B", "run", "B.java", 7));

    private static RemoteError error(String className, String message, RemoteError cause) {
        return new RemoteError(className, message, null, FRAMES, cause, List.of());
    }

    @Test
    void rebuild_loadableThrowable_isOfItsClassWithFramesCauseAndSuppressed() throws Exception {
        IOException thrown = new IOException("disk", new IllegalArgumentException("root"));
        thrown.addSuppressed(new IllegalStateException("closing"));
        // Through the wire, as a worker sends it.
        Wire wire = new Wire(new Json(1 << 20));
        byte[] frame = wire.encode(new Message.Failed(1, 0, RemoteError.of(thrown), -1));
        RemoteError read = ((Message.Failed) wire.read(frame, Wire.SENTINEL.length, frame.length - Wire.SENTINEL.length - 1,
                new Wire.Types() {
                    @Override
                    public tools.jackson.databind.JavaType resultType(long id) {
                        return null;
                    }

                    @Override
                    public tools.jackson.databind.JavaType inputType(long task) {
                        return null;
                    }
                })).error();
        IOException rebuilt = assertInstanceOf(IOException.class, read.rebuild());
        assertEquals("disk", rebuilt.getMessage());
        assertEquals(frames(thrown), frames(rebuilt));
        assertEquals("root", assertInstanceOf(IllegalArgumentException.class, rebuilt.getCause()).getMessage());
        assertEquals("closing", assertInstanceOf(IllegalStateException.class, rebuilt.getSuppressed()[0]).getMessage());
    }

    private static List<String> frames(Throwable t) {
        return java.util.Arrays.stream(t.getStackTrace())
                .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber()).toList();
    }

    @Test
    void rebuild_notAThrowable_isNeverBuiltNorInitialised() {
        Throwable rebuilt = error(NotThrowable.class.getName(), "m", null).rebuild();
        RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, rebuilt);
        assertEquals(NotThrowable.class.getName(), remote.remoteClassName());
        assertFalse(NOT_THROWABLE_INITIALISED.get(), "a class named by the wire that is not a Throwable was initialised");
    }

    @Test
    void rebuild_unknownOrUnsafeClasses_becomeRemoteTaskExceptionsKeepingTheChain() {
        RemoteError root = error("com.example.Missing", "gone", null);
        Throwable unknown = error(RewritingException.class.getName(), "x", root).rebuild();
        RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, unknown);
        assertEquals("x", remote.getMessage());
        assertEquals(FRAMES, List.of(remote.getStackTrace()));
        assertEquals("com.example.Missing",
                assertInstanceOf(RemoteTaskException.class, remote.getCause()).remoteClassName());
        assertInstanceOf(RemoteTaskException.class, error(CodeException.class.getName(), "code 3", null).rebuild());
    }

    @Test
    void of_hugeMessage_isCutKeepingClassAndFrames() {
        String huge = "y".repeat(RemoteError.MAX_MESSAGE_CHARS * 8);
        RemoteError error = RemoteError.of(new IllegalStateException(huge));
        assertEquals(IllegalStateException.class.getName(), error.className());
        assertTrue(error.message().length() < RemoteError.MAX_MESSAGE_CHARS + 100, "cut: " + error.message().length());
        assertTrue(error.message().contains("characters cut"), "says it was cut");
        assertFalse(error.frames().isEmpty());
        assertTrue(error.printed().length() < RemoteError.MAX_PRINTED_CHARS);
        assertTrue(error.printed().contains("of_hugeMessage_isCutKeepingClassAndFrames"), "printed trace keeps frames");
    }
}
