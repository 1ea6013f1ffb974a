package io.github.pool4j.hazelcast;

import io.github.pool4j.Pool;
import io.github.pool4j.contract.PoolContract;
import io.github.pool4j.contract.PoolSpec;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the pool contract against {@link HazelcastPool} on a cluster of 3 member JVMs on 127.0.0.1,
 * the test JVM being a Hazelcast client. The spec's size is not the pool's: a cluster pool's size is
 * its members' executor threads.
 */
class HazelcastPoolContractTest extends PoolContract {

    @RegisterExtension
    static final LocalCluster cluster = new LocalCluster(3);

    @Override
    protected <T, R> Pool<T, R> newPool(PoolSpec spec) {
        HazelcastPool.Builder builder = HazelcastPool.builder(cluster.client()).listener(spec.listener());
        if (spec.chunkSize() > 0) {
            builder.chunkSize(spec.chunkSize());
        }
        if (spec.taskTimeout() != null) {
            builder.taskTimeout(spec.taskTimeout());
        }
        return builder.build();
    }

    @Override
    protected boolean ownsWorkers() {
        return false;
    }
}
