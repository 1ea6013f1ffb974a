package io.github.pool4j.thread;

import io.github.pool4j.contract.PublicSurface;
import org.junit.jupiter.api.Test;

/** {@link ThreadPool}'s public page shows the Pool operations and its factories, no engine hook. */
class ThreadPoolSurfaceTest {

    @Test
    void holdsTheEngine_andShowsOnlyPoolOperationsAndFactories() {
        PublicSurface.assertShowsPoolOperationsOnly(ThreadPool.class, "create", "builder", "wrap");
    }
}
