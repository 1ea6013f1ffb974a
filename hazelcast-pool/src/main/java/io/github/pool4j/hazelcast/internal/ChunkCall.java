package io.github.pool4j.hazelcast.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * The envelope a {@code HazelcastPool} sends to a member through {@code IExecutorService}: the task
 * definition and a chunk of inputs, both as the JSON a {@code ProcessPool} worker receives, plus
 * the limits the member applies. Run on the member, it answers with a {@link ChunkReply}.
 *
 * <p>A {@link DataSerializable} with a public no-argument constructor, so a member needs no
 * serializer registered, only this module on its class path. Java serialization is never used.
 *
 * <p>Thread-safety: not thread-safe; built by one thread, then sent.
 */
public final class ChunkCall implements Callable<ChunkReply>, DataSerializable {

    private String definition;
    private long maxFrameBytes;
    private long timeoutMillis;
    private byte[] inputs;
    private int[] skip;

    /** For Hazelcast's deserialization. */
    public ChunkCall() {}

    /**
     * Creates a call.
     *
     * @param definition the task definition as JSON text
     * @param maxFrameBytes the largest JSON document either side accepts
     * @param timeoutMillis the per-input timeout, or 0 for none
     * @param inputs the inputs as one JSON array
     * @param skip positions not to run (inputs the parent could not write)
     */
    public ChunkCall(String definition, long maxFrameBytes, long timeoutMillis, byte[] inputs, int[] skip) {
        this.definition = definition;
        this.maxFrameBytes = maxFrameBytes;
        this.timeoutMillis = timeoutMillis;
        this.inputs = inputs;
        this.skip = skip;
    }

    String definition() {
        return definition;
    }

    long maxFrameBytes() {
        return maxFrameBytes;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    byte[] inputs() {
        return inputs;
    }

    int[] skip() {
        return skip;
    }

    /**
     * Runs the chunk on this member.
     *
     * @return the results and failures
     */
    @Override
    public ChunkReply call() {
        return MemberRunner.run(this);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(definition);
        out.writeLong(maxFrameBytes);
        out.writeLong(timeoutMillis);
        out.writeByteArray(inputs);
        out.writeIntArray(skip);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        definition = in.readString();
        maxFrameBytes = in.readLong();
        timeoutMillis = in.readLong();
        inputs = in.readByteArray();
        skip = in.readIntArray();
    }
}
