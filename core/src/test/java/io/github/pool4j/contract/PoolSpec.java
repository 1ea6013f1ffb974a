package io.github.pool4j.contract;

import io.github.pool4j.PoolBuilder;
import io.github.pool4j.PoolListener;
import java.time.Duration;
import java.util.Objects;

/**
 * The options a {@link PoolContract} test asks its pool factory for: size, chunk size, per-task
 * timeout and listener. Immutable; the {@code with...} methods return copies.
 *
 * <p>{@link #applyTo} copies every option onto a pool builder, so most factories are one line:
 * {@code return spec.applyTo(ThreadPool.builder()).build();}
 */
public final class PoolSpec {

    private final int size;
    private final int chunkSize;
    private final Duration taskTimeout;
    private final PoolListener listener;

    private PoolSpec(int size, int chunkSize, Duration taskTimeout, PoolListener listener) {
        this.size = size;
        this.chunkSize = chunkSize;
        this.taskTimeout = taskTimeout;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Returns the default spec: 2 workers, automatic chunks, no timeout, no listener.
     *
     * @return the default spec
     */
    public static PoolSpec defaults() {
        return new PoolSpec(2, 0, null, PoolListener.NONE);
    }

    /**
     * Returns a copy with another size.
     *
     * @param size the number of workers
     * @return the new spec
     */
    public PoolSpec withSize(int size) {
        return new PoolSpec(size, chunkSize, taskTimeout, listener);
    }

    /**
     * Returns a copy with another chunk size; 0 means automatic.
     *
     * @param chunkSize inputs per chunk, or 0
     * @return the new spec
     */
    public PoolSpec withChunkSize(int chunkSize) {
        return new PoolSpec(size, chunkSize, taskTimeout, listener);
    }

    /**
     * Returns a copy with a per-task timeout.
     *
     * @param taskTimeout the timeout
     * @return the new spec
     */
    public PoolSpec withTaskTimeout(Duration taskTimeout) {
        return new PoolSpec(size, chunkSize, taskTimeout, listener);
    }

    /**
     * Returns a copy with a listener.
     *
     * @param listener the listener
     * @return the new spec
     */
    public PoolSpec withListener(PoolListener listener) {
        return new PoolSpec(size, chunkSize, taskTimeout, listener);
    }

    /** @return the number of workers */
    public int size() {
        return size;
    }

    /** @return inputs per chunk, or 0 for automatic */
    public int chunkSize() {
        return chunkSize;
    }

    /** @return the per-task timeout, or {@code null} for none */
    public Duration taskTimeout() {
        return taskTimeout;
    }

    /** @return the listener, {@link PoolListener#NONE} by default */
    public PoolListener listener() {
        return listener;
    }

    /**
     * Sets every option of this spec on {@code builder}.
     *
     * @param builder a pool builder
     * @param <B> the builder type
     * @return {@code builder}
     */
    public <B extends PoolBuilder<B>> B applyTo(B builder) {
        builder.size(size).listener(listener);
        if (chunkSize > 0) {
            builder.chunkSize(chunkSize);
        }
        if (taskTimeout != null) {
            builder.taskTimeout(taskTimeout);
        }
        return builder;
    }

    @Override
    public String toString() {
        return "PoolSpec[size=" + size + ", chunkSize=" + (chunkSize == 0 ? "auto" : chunkSize)
                + ", taskTimeout=" + taskTimeout + "]";
    }
}
