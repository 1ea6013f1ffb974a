package io.github.pool4j.timing;

import io.github.pool4j.Pool;
import io.github.pool4j.SerialPool;
import io.github.pool4j.contract.PoolContract;
import io.github.pool4j.contract.PoolSpec;

/** The timing decorator must keep the whole pool contract: it runs unchanged against {@code Timed.pool(SerialPool)}. */
class TimedPoolContractTest extends PoolContract {

    private final CollectingSink sink = TimingSink.collecting();

    @Override
    protected <T, R> Pool<T, R> newPool(PoolSpec spec) {
        return Timed.pool(sink, spec.applyTo(SerialPool.builder()).build());
    }

    @Override
    protected boolean isConcurrent() {
        return false;
    }
}
