package io.github.pool4j.process;

import io.github.pool4j.contract.PublicSurface;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcessPool}'s public page shows the Pool operations, its factories and
 * {@link ProcessPool#workerPids()}, no engine hook.
 */
class ProcessPoolSurfaceTest {

    @Test
    void holdsTheEngine_andShowsOnlyPoolOperationsFactoriesAndWorkerPids() {
        PublicSurface.assertShowsPoolOperationsOnly(ProcessPool.class, "create", "builder", "workerPids");
    }
}
