package io.github.pool4j;

import java.io.Serializable;

/**
 * Code each worker runs once, before it takes any input, like the {@code initializer} of Python's
 * {@code Pool} and {@code ThreadPool}: load a model, open a per-worker connection, warm a cache.
 *
 * <p>A worker is whatever runs inputs for the pool: a worker process of a process pool, a worker
 * thread of a thread pool that owns its threads. A process pool ships the initializer to its
 * workers like a task: a lambda or method reference (its captured values as JSON) or a named class
 * with JSON state. An initializer that throws makes its worker exit; when three workers in a row
 * fail this way, the pool gives up with the initializer's exception instead of respawning forever.
 *
 * <pre>{@code
 * Pool<String, String> pool = ProcessPool.builder()
 *         .initializer(() -> System.setProperty("greeting", "Hi"))
 *         .build();
 * }</pre>
 *
 * <p>Implementations are called once per worker, from that worker; they need no synchronisation
 * of their own unless they touch state shared between workers (possible only in a thread pool).
 */
@FunctionalInterface
public interface WorkerInitializer extends Serializable {

    /**
     * Runs once in a new worker before it takes its first input.
     *
     * @throws Exception any failure; the worker then exits and the pool reports the exception
     */
    void run() throws Exception;
}
