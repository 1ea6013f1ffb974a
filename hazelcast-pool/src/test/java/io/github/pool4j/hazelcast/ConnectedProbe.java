package io.github.pool4j.hazelcast;

import com.hazelcast.client.Client;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * Asks a member whether a client is connected to it directly. A client without a connection to a
 * member sends that member's work through another one, and then loses it with that other member:
 * fault tests wait until the client is connected to every member, so a kill hits what it aims at.
 */
public final class ConnectedProbe implements Callable<Boolean>, DataSerializable, HazelcastInstanceAware {

    private String clientUuid;
    private transient HazelcastInstance instance;

    /** For Hazelcast's deserialization. */
    public ConnectedProbe() {}

    ConnectedProbe(String clientUuid) {
        this.clientUuid = clientUuid;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    @Override
    public Boolean call() {
        for (Client client : instance.getClientService().getConnectedClients()) {
            if (client.getUuid().toString().equals(clientUuid)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(clientUuid);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        clientUuid = in.readString();
    }
}
