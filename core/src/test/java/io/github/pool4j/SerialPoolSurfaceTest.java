package io.github.pool4j;

import io.github.pool4j.contract.PublicSurface;
import org.junit.jupiter.api.Test;

/** {@link SerialPool}'s public page shows the Pool operations and its factories, no engine hook. */
class SerialPoolSurfaceTest {

    @Test
    void holdsTheEngine_andShowsOnlyPoolOperationsAndFactories() {
        PublicSurface.assertShowsPoolOperationsOnly(SerialPool.class, "create", "builder");
    }
}
