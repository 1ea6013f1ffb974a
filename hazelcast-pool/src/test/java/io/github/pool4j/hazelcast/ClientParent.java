package io.github.pool4j.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.github.pool4j.Pool;
import java.util.Collections;

/**
 * A client JVM that starts a long map on a cluster and waits to be killed: args are the cluster
 * name and the member addresses. Prints {@code mapping} once the map's chunks are on the members.
 */
public final class ClientParent {

    private ClientParent() {}

    /**
     * Runs the client.
     *
     * @param args cluster name, then member addresses
     * @throws Exception never on purpose
     */
    public static void main(String[] args) throws Exception {
        ClientConfig config = new ClientConfig();
        config.setClusterName(args[0]);
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        for (int i = 1; i < args.length; i++) {
            config.getNetworkConfig().addAddress(args[i]);
        }
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        Pool<Integer, Integer> pool = HazelcastPool.builder(client).chunkSize(1).build();
        pool.mapAsync(ClusterTasks::sleep, Collections.nCopies(1_000, 100));
        while (pool.stats().completed() == 0) {
            Thread.sleep(10); // polling: the members are running its chunks once some came back
        }
        System.out.println("mapping");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
