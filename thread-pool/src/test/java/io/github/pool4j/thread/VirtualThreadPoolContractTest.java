package io.github.pool4j.thread;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.contract.PoolContract;
import io.github.pool4j.contract.PoolSpec;
import io.github.pool4j.spi.PoolOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs the pool contract against {@link ThreadPool#wrap} on a virtual-thread-per-task executor;
 * skipped on JDKs without virtual threads (before 21).
 */
class VirtualThreadPoolContractTest extends PoolContract {

    private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void requireVirtualThreads() {
        assumeTrue(VirtualThreads.available(), "virtual threads need JDK 21+, running " + Runtime.version());
    }

    @Override
    protected <T, R> Pool<T, R> newPool(PoolSpec spec) {
        ExecutorService executor = VirtualThreads.newExecutor();
        executors.add(executor);
        return ThreadPool.wrap(executor, new PoolOptions(spec.size(), spec.chunkSize(), spec.taskTimeout(), spec.listener()));
    }

    @Override
    protected void assertNoLeftovers() {
        super.assertNoLeftovers();
        for (ExecutorService executor : executors) {
            assertFalse(executor.isShutdown(), "the pool never shuts down a borrowed executor");
            executor.shutdown();
            try {
                // Terminates only once every virtual thread, so every pool task, has ended.
                assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS), "pool tasks still running on virtual threads");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
