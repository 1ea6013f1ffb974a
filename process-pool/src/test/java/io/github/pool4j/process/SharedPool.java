package io.github.pool4j.process;

import io.github.pool4j.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One two-worker {@link ProcessPool} shared by all tests of a class, for tests whose inputs never
 * hurt a worker: starting worker JVMs per test would dominate their run time.
 */
abstract class SharedPool {

    private static ProcessPool<Object, Object> pool;

    @BeforeAll
    static void start() {
        pool = ProcessPool.builder().size(2).build();
    }

    @AfterAll
    static void stop() {
        pool.close();
        Leftovers.assertNone();
    }

    /** The shared pool, typed for the caller's task. */
    @SuppressWarnings("unchecked")
    static <T, R> Pool<T, R> pool() {
        return (Pool<T, R>) (Pool<?, ?>) pool;
    }
}
