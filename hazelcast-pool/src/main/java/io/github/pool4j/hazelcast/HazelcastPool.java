package io.github.pool4j.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.PoolListener;
import io.github.pool4j.PoolStats;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.Task;
import io.github.pool4j.TaskResult;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.hazelcast.internal.Dispatcher;
import io.github.pool4j.spi.AbstractPool;
import io.github.pool4j.spi.Chunk;
import io.github.pool4j.spi.PoolOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Pool} whose workers are the members of a Hazelcast cluster: the same contract as a
 * {@code ProcessPool}, spread over machines. Change one line to scale out:
 *
 * <pre>{@code
 * HazelcastInstance client = HazelcastClient.newHazelcastClient(clientConfig);
 * try (Pool<String, String> pool = HazelcastPool.create(client)) {
 *     List<String> greetings = pool.map(Hello::sayHello, List.of("Kai", "Tessa", "Jess"));
 * }
 * client.shutdown(); // the pool never shuts down the instance it was given
 * }</pre>
 *
 * <h2>How work travels</h2>
 * Inputs go to the members in chunks, through the cluster's {@code IExecutorService} (named
 * {@code "pool4j"} unless {@linkplain Builder#executorName set}), to members the pool picks: the
 * one with the fewest chunks in flight, each holding at most
 * {@linkplain Builder#chunksInFlightPerMember a bounded number}. A task and its values travel
 * exactly as to a {@code ProcessPool} worker: the task as its class name or lambda reference plus
 * its state as JSON, inputs and results as JSON within the same limits
 * ({@linkplain Builder#maxFrameBytes maxFrameBytes}); Java serialization is never used. Whatever
 * cannot travel fails in the caller with a {@link io.github.pool4j.TaskSerializationException}.
 *
 * <p><b>Class path rule:</b> a member runs only code on its own class path. Each member needs
 * {@code pool4j-hazelcast} and its dependencies (pool4j-core, pool4j-codec, Jackson, slf4j-api),
 * Hazelcast, and the jars holding the tasks' classes and value types; {@link MemberMain} starts
 * such a member. Hazelcast's open-source edition cannot ship code to members.
 *
 * <h2>Size</h2>
 * {@link #size()} is the number of executor threads of the cluster's data members when the pool was
 * created (Hazelcast's default is 16 per member; {@link MemberMain} sets it). It sets the automatic
 * chunk size ({@code ceil(n / (4 * size))} for {@code map}). Members that join later get work
 * too; the size does not change.
 *
 * <h2>Members that leave</h2>
 * When a member leaves (crash, {@code kill -9}, network loss, shutdown) while it holds chunks, those
 * chunks are sent to other members, each resend counting against {@linkplain Builder#retries
 * retries} (default 2): a chunk may therefore run more than once (at-least-once), and a task with
 * side effects must tolerate that, or use {@code retries(0)}. Once the retries are spent, its inputs
 * fail with a {@link io.github.pool4j.WorkerCrashedException} whose message names the member
 * (address and pid); its {@code pid()} is the member's. A task's own exception is never retried.
 * How soon a loss is noticed is Hazelcast's: a killed member within moments, a stopped one
 * ({@code SIGSTOP}) after its heartbeat timeout (60 s by default).
 *
 * <h2>Timeouts</h2>
 * With a {@linkplain Builder#taskTimeout task timeout}, the member interrupts a task running past it
 * and that input fails with a {@link io.github.pool4j.TaskTimeoutException}; the rest of its chunk
 * runs on. A member can interrupt a task but not kill it: a task that ignores interrupts keeps its
 * executor thread until it returns (the pool stops waiting for it after its chunk's timeouts plus a
 * grace period, failing its unfinished inputs with a timeout). Output a task prints goes to its
 * member's standard output, not to the caller.
 *
 * <h2>Lifecycle</h2>
 * RUNNING when created. {@link #close()}: SHUTDOWN (new calls fail with
 * {@link io.github.pool4j.PoolClosedException}; accepted inputs finish on the members), then
 * TERMINATED. {@link #terminate()}: TERMINATED at once; pending calls fail with
 * {@code PoolClosedException} and chunks in flight are cancelled (their members interrupt the
 * running tasks). Neither shuts down the {@link HazelcastInstance}, which stays the caller's; shut
 * it down after closing the pool (a pool whose instance was shut down fails its inputs).
 *
 * <p>Thread-safety: thread-safe; many threads may call the pool at once.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public final class HazelcastPool<T, R> implements Pool<T, R> {

    /** The name of the members' executor the pool uses by default. */
    public static final String DEFAULT_EXECUTOR_NAME = "pool4j";

    /** How often a chunk is resent after its member left, by default. */
    public static final int DEFAULT_RETRIES = 2;

    /** The default bound on a JSON document (a chunk's inputs, its results), as for a {@code ProcessPool}. */
    public static final long DEFAULT_MAX_FRAME_BYTES = 64L * 1024 * 1024;

    /** Held, not extended, so this class shows only the Pool operations and no engine hook. */
    private final Engine engine;
    private final Dispatcher dispatcher;

    private HazelcastPool(Builder builder) {
        this.dispatcher = new Dispatcher(builder.instance, new Dispatcher.Config(builder.executorName,
                builder.chunksInFlightPerMember, builder.retries, builder.taskTimeout, builder.maxFrameBytes));
        this.engine = new Engine(new PoolOptions(dispatcher.size(), builder.chunkSize, builder.taskTimeout,
                builder.listener));
    }

    /**
     * Creates a pool on the cluster of {@code instance} (a client or a member), with every option at
     * its default. Asks the data members for their executor threads first (see {@link #size()}).
     *
     * @param instance the Hazelcast instance; the pool never shuts it down
     * @param <T> the input type
     * @param <R> the result type
     * @return a new, running pool
     * @throws NullPointerException if {@code instance} is null
     * @throws IllegalStateException if the cluster has no data member, or a member cannot run pool4j
     *     tasks (pool4j-hazelcast is not on its class path), saying which
     */
    public static <T, R> HazelcastPool<T, R> create(HazelcastInstance instance) {
        return builder(instance).build();
    }

    /**
     * Returns a builder for a pool on the cluster of {@code instance}.
     *
     * @param instance the Hazelcast instance (a client or a member); the pool never shuts it down
     * @return a new builder
     * @throws NullPointerException if {@code instance} is null
     */
    public static Builder builder(HazelcastInstance instance) {
        return new Builder(Objects.requireNonNull(instance, "instance"));
    }

    // ---- Pool: every call goes to the engine --------------------------------------------------

    @Override
    public List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return engine.map(task, inputs, options);
    }

    @Override
    public ResultIterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return engine.imap(task, inputs, options);
    }

    @Override
    public ResultIterator<R> imapUnordered(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return engine.imapUnordered(task, inputs, options);
    }

    @Override
    public CompletableFuture<R> submit(Task<? super T, ? extends R> task, T input, CallOptions options) {
        return engine.submit(task, input, options);
    }

    @Override
    public CompletableFuture<List<R>> mapAsync(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return engine.mapAsync(task, inputs, options);
    }

    @Override
    public List<TaskResult<R>> mapResults(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return engine.mapResults(task, inputs, options);
    }

    @Override
    public <A, B> Pool<A, B> typed() {
        // A view of this pool, not of the engine: it prints and compares as this pool's view.
        return Pool.super.typed();
    }

    /**
     * Returns the number of executor threads the cluster's data members had when this pool was
     * created: the sum, over members, of the pool size of the executor this pool uses.
     *
     * @return at least 1
     */
    @Override
    public int size() {
        return engine.size();
    }

    /**
     * Returns the pool's counters and one {@link WorkerStats} per data member seen (named
     * {@code member host:port}, with its pid; {@code alive} is whether it is still in the cluster;
     * resident memory is not known, -1).
     *
     * @return a snapshot
     */
    @Override
    public PoolStats stats() {
        return engine.stats();
    }

    @Override
    public boolean isClosed() {
        return engine.isClosed();
    }

    /**
     * Refuses new work, waits for the accepted inputs to finish on the members, and stops. Does not
     * shut down the Hazelcast instance.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Stops now: pending calls fail with {@link io.github.pool4j.PoolClosedException}, chunks in
     * flight are cancelled (their members interrupt the running tasks). Does not shut down the
     * Hazelcast instance.
     */
    @Override
    public void terminate() {
        engine.terminate();
    }

    /**
     * Returns the pool's name, size and state, such as {@code HazelcastPool[size=6, RUNNING]}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return engine.toString();
    }

    /** The engine: calls, chunks and lifecycle; its hooks hand chunks to the dispatcher. */
    private final class Engine extends AbstractPool<T, R> {

        Engine(PoolOptions options) {
            super("HazelcastPool", options);
        }

        @Override
        protected Object prepare(Task<?, ?> task) {
            return dispatcher.prepare(task);
        }

        @Override
        protected void dispatch(Chunk chunk) {
            dispatcher.dispatch(chunk);
        }

        @Override
        protected void onCancel(Chunk chunk) {
            dispatcher.cancel(chunk);
        }

        @Override
        protected void stopWorkers() {
            dispatcher.stop(false);
        }

        @Override
        protected void killWorkers() {
            dispatcher.stop(true);
        }

        @Override
        protected List<WorkerStats> workerStats() {
            return dispatcher.workerStats();
        }
    }

    /**
     * Builds a {@link HazelcastPool}. Setters check their argument at once and name the bound that
     * was broken. Not thread-safe; {@link #build()} copies the options, so a builder can build
     * several pools.
     */
    public static final class Builder {

        private final HazelcastInstance instance;
        private String executorName = DEFAULT_EXECUTOR_NAME;
        private int chunkSize = PoolOptions.AUTO_CHUNK_SIZE;
        private int chunksInFlightPerMember;
        private int retries = DEFAULT_RETRIES;
        private Duration taskTimeout;
        private PoolListener listener = PoolListener.NONE;
        private long maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;

        private Builder(HazelcastInstance instance) {
            this.instance = instance;
        }

        /**
         * Sets the name of the members' {@code IExecutorService} that runs the chunks (default
         * {@value HazelcastPool#DEFAULT_EXECUTOR_NAME}); its pool size on each member is that member's
         * share of {@link HazelcastPool#size()}.
         *
         * @param name the executor's name, not blank
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder executorName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("executorName must not be blank");
            }
            this.executorName = name;
            return this;
        }

        /**
         * Sets how many inputs travel to a member together. By default {@code map} uses Python's
         * rule, {@code ceil(n / (4 * size))}, and {@code imap} starts at 1 and doubles while chunks
         * come back fast. A round trip to a member costs far more than to a local worker: chunks of
         * a few inputs are slow for tiny tasks.
         *
         * @param chunkSize inputs per chunk, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code chunkSize < 1}
         */
        public Builder chunkSize(int chunkSize) {
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunkSize must be >= 1, was " + chunkSize);
            }
            this.chunkSize = chunkSize;
            return this;
        }

        /**
         * Sets the most chunks a member holds at once (running or queued in its executor). Hazelcast
         * has no back-pressure of its own; this bound keeps the rest of a call in this JVM until a
         * member has room. Default: twice the member's executor threads.
         *
         * @param chunks at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code chunks < 1}
         */
        public Builder chunksInFlightPerMember(int chunks) {
            if (chunks < 1) {
                throw new IllegalArgumentException("chunksInFlightPerMember must be >= 1, was " + chunks);
            }
            this.chunksInFlightPerMember = chunks;
            return this;
        }

        /**
         * Sets how often a chunk is sent again after the member holding it left the cluster (default
         * {@value HazelcastPool#DEFAULT_RETRIES}: a member's loss is routine in a cluster). An input
         * therefore runs at most {@code n + 1} times; with 0 it never runs twice, and the lost
         * member's inputs fail with a {@link io.github.pool4j.WorkerCrashedException} at once. A
         * task's own exception is never retried.
         *
         * @param n at least 0
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 0}
         */
        public Builder retries(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("retries must be >= 0, was " + n);
            }
            this.retries = n;
            return this;
        }

        /**
         * Sets the longest a task may run for one input; past it the member interrupts the task and
         * that input fails with a {@link io.github.pool4j.TaskTimeoutException}. By default tasks
         * have no timeout.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder taskTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("taskTimeout must be > 0, was " + timeout);
            }
            this.taskTimeout = timeout;
            return this;
        }

        /**
         * Sets the listener that receives progress and lifecycle events.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(PoolListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets the largest JSON document (a chunk's inputs, or its results) either side accepts, as
         * for a {@code ProcessPool}; the members apply the same bound. A chunk too large is split;
         * a single input too large fails with a {@link io.github.pool4j.TaskSerializationException},
         * and so does a result.
         *
         * @param bytes at least 1024 (default 64 MiB)
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes < 1024} or above 2 GiB
         */
        public Builder maxFrameBytes(long bytes) {
            if (bytes < 1024 || bytes > Integer.MAX_VALUE - 1024L) {
                throw new IllegalArgumentException(
                        "maxFrameBytes must be between 1024 and " + (Integer.MAX_VALUE - 1024L) + ", was " + bytes);
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * Builds the pool: asks the cluster's data members for their executor threads.
         *
         * @param <T> the input type
         * @param <R> the result type
         * @return a new, running pool
         * @throws IllegalStateException if the cluster has no data member, or a member cannot run
         *     pool4j tasks (pool4j-hazelcast is not on its class path), saying which
         */
        public <T, R> HazelcastPool<T, R> build() {
            return new HazelcastPool<>(this);
        }
    }
}
