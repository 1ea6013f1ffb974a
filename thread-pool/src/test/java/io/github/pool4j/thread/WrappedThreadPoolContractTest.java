package io.github.pool4j.thread;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.contract.PoolContract;
import io.github.pool4j.contract.PoolSpec;
import io.github.pool4j.spi.PoolOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the pool contract against {@link ThreadPool#wrap} on a borrowed fixed thread pool: after
 * each test the pool is terminated, and the borrowed executor must still be running, with none of
 * the pool's tasks left on it.
 */
class WrappedThreadPoolContractTest extends PoolContract {

    private final List<ThreadPoolExecutor> executors = new CopyOnWriteArrayList<>();

    @Override
    protected <T, R> Pool<T, R> newPool(PoolSpec spec) {
        AtomicInteger ids = new AtomicInteger();
        ThreadPoolExecutor executor = (ThreadPoolExecutor) Executors.newFixedThreadPool(
                spec.size(), r -> new Thread(r, "borrowed-" + ids.incrementAndGet()));
        executors.add(executor);
        return ThreadPool.wrap(executor, new PoolOptions(spec.size(), spec.chunkSize(), spec.taskTimeout(), spec.listener()));
    }

    @Override
    protected void assertNoLeftovers() {
        super.assertNoLeftovers();
        for (ThreadPoolExecutor executor : executors) {
            assertFalse(executor.isShutdown(), "the pool never shuts down a borrowed executor");
            awaitCondition(Duration.ofSeconds(10), () -> executor.getActiveCount() == 0,
                    () -> "pool tasks still running on the borrowed executor: " + executor);
        }
        // Runs after the pools were terminated (JUnit runs a subclass's @AfterEach first).
        for (ExecutorService executor : executors) {
            executor.shutdownNow();
            try {
                assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
