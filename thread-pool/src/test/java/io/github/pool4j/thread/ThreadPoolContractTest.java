package io.github.pool4j.thread;

import io.github.pool4j.Pool;
import io.github.pool4j.contract.PoolContract;
import io.github.pool4j.contract.PoolSpec;

/** Runs the pool contract against a {@link ThreadPool} that owns its threads. */
class ThreadPoolContractTest extends PoolContract {

    @Override
    protected <T, R> Pool<T, R> newPool(PoolSpec spec) {
        return spec.applyTo(ThreadPool.builder()).build();
    }
}
