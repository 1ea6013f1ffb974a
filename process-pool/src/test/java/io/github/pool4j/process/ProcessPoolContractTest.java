package io.github.pool4j.process;

import io.github.pool4j.Pool;
import io.github.pool4j.contract.PoolContract;
import io.github.pool4j.contract.PoolSpec;

/** Runs the pool contract, unchanged, against {@link ProcessPool}; also checks no worker process is left. */
class ProcessPoolContractTest extends PoolContract {

    @Override
    protected <T, R> Pool<T, R> newPool(PoolSpec spec) {
        return spec.applyTo(ProcessPool.builder()).build();
    }

    @Override
    protected void assertNoLeftovers() {
        super.assertNoLeftovers();
        Leftovers.awaitNoProcesses("worker processes", Leftovers::workerProcesses);
    }
}
