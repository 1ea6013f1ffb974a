package io.github.pool4j.hazelcast.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;

/**
 * What a member sends back for a {@link ChunkCall}: the results as one JSON array (a {@code null}
 * where an input failed), and the failures as JSON (see {@link Outcomes}).
 *
 * <p>A {@link DataSerializable} with a public no-argument constructor, so a member needs no
 * serializer registered. Thread-safety: not thread-safe; built by one thread, then read.
 */
public final class ChunkReply implements DataSerializable {

    private byte[] values;
    private byte[] failures;
    private long runNanos;

    /** For Hazelcast's deserialization. */
    public ChunkReply() {}

    ChunkReply(byte[] values, byte[] failures, long runNanos) {
        this.values = values;
        this.failures = failures;
        this.runNanos = runNanos;
    }

    /**
     * Returns the results as a JSON array, one element per input of the call.
     *
     * @return the array, or {@code null} if no input succeeded
     */
    public byte[] values() {
        return values;
    }

    /**
     * Returns the failed inputs as JSON, or {@code null} if none failed.
     *
     * @return the failures
     */
    public byte[] failures() {
        return failures;
    }

    /**
     * Returns how long the member spent running the call's inputs.
     *
     * @return nanoseconds
     */
    public long runNanos() {
        return runNanos;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(values);
        out.writeByteArray(failures);
        out.writeLong(runNanos);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        values = in.readByteArray();
        failures = in.readByteArray();
        runNanos = in.readLong();
    }
}
