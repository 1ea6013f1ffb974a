package io.github.pool4j.process.internal.protocol;

/**
 * Thrown when the other side of a pipe breaks the wire protocol: a malformed, oversized or
 * unexpected frame. The side that sees it stops trusting the pipe: the parent retires the worker.
 */
public final class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong
     * @param cause the parser's exception, or {@code null}
     */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
