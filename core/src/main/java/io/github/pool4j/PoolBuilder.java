package io.github.pool4j;

import io.github.pool4j.spi.PoolOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * The options every pool implementation shares: size, chunk size, per-task timeout and listener.
 *
 * <p>Each pool's builder extends this class and adds its own options and a generic
 * {@code build()}. Setters check their argument at once and name the bound that was broken.
 * Not thread-safe; {@code build()} copies the options, so a builder can be reused.
 *
 * @param <B> the concrete builder type, returned by every setter for chaining
 */
public abstract class PoolBuilder<B extends PoolBuilder<B>> {

    static {
        PoolOptions.installBuilderReader(PoolBuilder::options);
    }

    private int size = Runtime.getRuntime().availableProcessors();
    private int chunkSize = PoolOptions.AUTO_CHUNK_SIZE;
    private Duration taskTimeout;
    private PoolListener listener = PoolListener.NONE;

    /** Creates a builder with the defaults: one worker per available processor, automatic chunks. */
    protected PoolBuilder() {}

    /**
     * Sets the number of workers.
     *
     * @param size the number of threads or processes, at least 1 (default: available processors)
     * @return this builder
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public final B size(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, was " + size);
        }
        this.size = size;
        return self();
    }

    /**
     * Sets how many inputs travel to a worker together.
     *
     * <p>By default {@code map} uses Python's rule, {@code ceil(n / (4 * size))} for {@code n}
     * inputs, and {@code imap} starts at 1 and doubles the size while chunks come back fast (see
     * {@link Pool}). Larger chunks cost less per input; smaller ones balance uneven tasks better and
     * stream {@code imap} results sooner. A call can set its own with {@link CallOptions}.
     *
     * @param chunkSize inputs per chunk, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public final B chunkSize(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, was " + chunkSize);
        }
        this.chunkSize = chunkSize;
        return self();
    }

    /**
     * Sets the longest a task may run for one input; past it, that input fails with a
     * {@link TaskTimeoutException}. By default tasks have no timeout.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public final B taskTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("taskTimeout must be > 0, was " + timeout);
        }
        this.taskTimeout = timeout;
        return self();
    }

    /**
     * Sets the listener that receives progress and lifecycle events.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public final B listener(PoolListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /** An immutable copy of the shared options; pools in other packages read it with {@code PoolOptions.of}. */
    final PoolOptions options() {
        return new PoolOptions(size, chunkSize, taskTimeout, listener);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
