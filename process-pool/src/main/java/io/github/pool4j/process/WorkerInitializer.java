package io.github.pool4j.process;

import java.io.Serializable;

/**
 * Code each worker process runs once, before it takes any input, like the {@code initializer}
 * of Python's {@code Pool}: load a model, open a per-process connection, warm a cache.
 *
 * <p>It is shipped to the workers like a task: a lambda or method reference (its captured values
 * as JSON) or a named class with JSON state. An initializer that throws makes its worker exit; when
 * three workers in a row
 * fail this way, the pool gives up with the initializer's exception instead of respawning forever.
 *
 * <pre>{@code
 * Pool<String, String> pool = ProcessPool.builder()
 *         .initializer(() -> System.setProperty("greeting", "Hi"))
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface WorkerInitializer extends Serializable {

    /**
     * Runs once in a new worker process before it says it is ready.
     *
     * @throws Exception any failure; the worker then exits and the pool reports the exception
     */
    void run() throws Exception;
}
