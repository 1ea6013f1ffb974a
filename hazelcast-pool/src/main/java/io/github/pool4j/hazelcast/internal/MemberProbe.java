package io.github.pool4j.hazelcast.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * Asks a member how many threads its executor has and which process it is, as
 * {@code "threads pid"}: a pool's size is the sum of its members' executor threads, and a member's
 * pid names it in a {@code WorkerCrashedException}.
 *
 * <p>Thread-safety: not thread-safe; built by one thread, then sent.
 */
public final class MemberProbe implements Callable<String>, DataSerializable, HazelcastInstanceAware {

    private String executorName;
    private transient HazelcastInstance instance;

    /** For Hazelcast's deserialization. */
    public MemberProbe() {}

    /**
     * Creates a probe of the executor called {@code executorName}.
     *
     * @param executorName the executor's name
     */
    public MemberProbe(String executorName) {
        this.executorName = executorName;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    /**
     * Returns the member's executor threads and pid, separated by a space.
     *
     * @return {@code "threads pid"}
     */
    @Override
    public String call() {
        int threads = instance.getConfig().getExecutorConfig(executorName).getPoolSize();
        return threads + " " + ProcessHandle.current().pid();
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(executorName);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        executorName = in.readString();
    }
}
