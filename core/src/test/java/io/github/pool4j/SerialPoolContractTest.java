package io.github.pool4j;

import io.github.pool4j.contract.PoolContract;
import io.github.pool4j.contract.PoolSpec;

/** Runs the pool contract against {@link SerialPool}, the reference implementation. */
class SerialPoolContractTest extends PoolContract {

    @Override
    protected <T, R> Pool<T, R> newPool(PoolSpec spec) {
        return spec.applyTo(SerialPool.builder()).build();
    }

    @Override
    protected boolean isConcurrent() {
        return false;
    }
}
