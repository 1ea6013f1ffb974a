package io.github.pool4j.process;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.PoolBuilder;
import io.github.pool4j.PoolException;
import io.github.pool4j.PoolStats;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.Task;
import io.github.pool4j.TaskResult;
import io.github.pool4j.WorkerInitializer;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.process.internal.WorkerClassPath;
import io.github.pool4j.process.internal.WorkerConfig;
import io.github.pool4j.process.internal.WorkerGroup;
import io.github.pool4j.spi.AbstractPool;
import io.github.pool4j.spi.Chunk;
import io.github.pool4j.spi.PoolOptions;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Pool} whose tasks run in separate worker JVM processes, like Python's
 * {@code multiprocessing.Pool}: each worker owns its heap, a crash or {@code System.exit} in a task
 * costs only that worker, and memory is given back when the pool closes.
 *
 * <pre>{@code
 * try (Pool<String, String> pool = ProcessPool.create(3)) {
 *     List<String> greetings = pool.map(Hello::sayHello, List.of("Kai", "Ana", "Bo"));
 * }
 * }</pre>
 *
 * <p><b>Workers.</b> Each worker is {@code java} of this JVM started with the same class path (plus
 * what the caller's class loaders see beyond it, as under {@code mvn exec:java}; see
 * {@link Builder#classPath}), the
 * builder's {@linkplain Builder#jvmOptions JVM options} and {@code -XX:+ExitOnOutOfMemoryError}.
 * All start in parallel when the pool is built, and {@link Builder#build()} returns as soon as one
 * is ready. On JDK 13+ they start from an AppCDS archive kept in {@code ~/.cache/pool4j} (created
 * by the first worker that exits normally, one per class path, JDK and option list; skipped when the
 * class path holds directories, the options turn class data sharing off, or they or the
 * {@code JAVA_TOOL_OPTIONS}/{@code JDK_JAVA_OPTIONS} variables load an agent), which roughly halves
 * their start-up and saves 2–3 MiB per worker on JDK 17. The system property
 * {@code pool4j.cacheDir} moves the cache, {@code pool4j.cacheMaxMb} bounds it (default 100 MiB: the
 * least recently used archives go, and any unused for 30 days) and {@code pool4j.noCds=true} turns
 * the archives off. They talk JSON over their stdin/stdout pipes only; what task code
 * prints appears on this JVM's {@code System.out}/{@code System.err}, line by line.
 *
 * <p><b>One pool, many task types.</b> Worker JVMs are costly to start: keep one pool and run tasks
 * of other input and result types through a {@linkplain #typed() typed view}, which shares the
 * workers ({@code Pool<String, Integer> lengths = pool.typed();}). Callbacks on the futures of
 * {@code submit}/{@code mapAsync} run on a {@code pool4j-callback-N} thread, never on a thread that
 * reads a worker's results, so they may call the pool again.
 *
 * <p><b>Tasks.</b> A task travels as a lambda or method reference (its implementing method and
 * captured values as JSON) or as a named class implementing {@link Task} (its fields as JSON).
 * Inputs and results travel as JSON of the task's declared types; where erasure hides them (a
 * lambda taking {@code List<Long>}), set {@link Builder#inputType} / {@link Builder#resultType}.
 * Java object serialization is never used. Anything that cannot travel fails in the caller with
 * {@link io.github.pool4j.TaskSerializationException}.
 *
 * <p><b>Faults.</b> A worker that dies ({@code kill -9}, {@code System.exit}, out of memory, a
 * native crash) or breaks the protocol fails the input it was running, with a
 * {@link io.github.pool4j.WorkerCrashedException} (unless {@link Builder#retries} runs it again),
 * and is replaced; inputs it held but had not started run elsewhere. A worker sends the results of
 * quick inputs together (within about 2 ms): inputs that finished just before a sudden death
 * ({@code kill -9}, {@code Runtime.halt}, out of memory) lose their result with it, and fail the
 * same way, saying so, rather than run twice. An input never runs more than {@code retries + 1}
 * times (at most once by default). A worker whose task thread can no longer run tasks exits and
 * is reported the same way; a result or exception that cannot be described fails only its input
 * ({@link io.github.pool4j.TaskSerializationException}, {@link io.github.pool4j.TaskFailedException}).
 * A task past its
 * {@linkplain Builder#taskTimeout timeout} gets its worker killed and fails with a
 * {@link io.github.pool4j.TaskTimeoutException} showing where it was stuck. Nothing waits forever.
 *
 * <p><b>Lifecycle.</b> RUNNING → SHUTDOWN ({@link #close()}: accepted work finishes, workers get a
 * shutdown message and exit) → TERMINATED ({@link #terminate()}: workers are killed). After either,
 * no worker process and no {@code pool4j-} thread remains. Workers also exit when their stdin
 * closes or their parent process dies, and a shutdown hook kills them when this JVM exits.
 *
 * <p>Thread-safety: thread-safe; many threads may call it at once.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public final class ProcessPool<T, R> implements Pool<T, R> {

    private static final AtomicInteger ids = new AtomicInteger();

    /** Held, not extended, so this class shows only the Pool operations and no engine hook. */
    private final Engine<T, R> engine;
    private final WorkerGroup group;

    private ProcessPool(String name, WorkerConfig config) {
        this.group = new WorkerGroup(name, config);
        this.engine = new Engine<>(name, config, group);
    }

    /**
     * Creates a pool of {@code size} worker processes with every other option at its default.
     *
     * @param size the number of worker processes, at least 1
     * @param <T> the input type
     * @param <R> the result type
     * @return a running pool
     * @throws IllegalArgumentException if {@code size < 1}
     * @throws PoolException if no worker process could start
     */
    public static <T, R> ProcessPool<T, R> create(int size) {
        return builder().size(size).build();
    }

    /**
     * Returns a builder with the defaults: one worker per available processor, automatic chunks,
     * no timeout, small-heap JVM options, no retries.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the process ids of the live workers, oldest first.
     *
     * @return the pids; empty after the pool stopped
     */
    public List<Long> workerPids() {
        return group.pids();
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

    @Override
    public int size() {
        return engine.size();
    }

    @Override
    public PoolStats stats() {
        return engine.stats();
    }

    @Override
    public boolean isClosed() {
        return engine.isClosed();
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public void terminate() {
        engine.terminate();
    }

    /**
     * Returns the pool's name, size and state, such as {@code ProcessPool-1[size=4, RUNNING]}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return engine.toString();
    }

    /** The engine: calls, chunks and lifecycle; its hooks hand chunks to the worker processes. */
    private static final class Engine<T, R> extends AbstractPool<T, R> {

        private final WorkerGroup group;

        Engine(String name, WorkerConfig config, WorkerGroup group) {
            super(name, config.options());
            this.group = group;
        }

        @Override
        protected Object prepare(Task<?, ?> task) {
            return group.prepare(task);
        }

        @Override
        protected void dispatch(Chunk chunk) {
            group.dispatch(chunk);
        }

        /** A chunk's inputs are encoded by {@link #dispatch}, in the caller's thread; a resend sends those bytes. */
        @Override
        protected boolean readsInputsOnDispatch() {
            return true;
        }

        @Override
        protected void onCancel(Chunk chunk) {
            group.cancel(chunk);
        }

        @Override
        protected void stopWorkers() throws InterruptedException {
            group.stop();
        }

        @Override
        protected void killWorkers() {
            group.kill();
        }

        @Override
        protected List<WorkerStats> workerStats() {
            return group.stats();
        }
    }

    /**
     * Builds a {@link ProcessPool}. Setters check their argument at once and name the bound that was
     * broken. Not thread-safe; {@link #build()} copies the options, so a builder can be reused.
     */
    public static final class Builder extends PoolBuilder<Builder> {

        /**
         * The default worker JVM options, each there for a worker that starts quickly and stays small:
         * <ul>
         *   <li>{@code -Xms32m -Xmx256m}: the heap is reserved at 32 MiB but its pages are taken only
         *       as they are used, and its young generation of about 10 MiB takes a value of a
         *       megabyte without a collection that promotes it into fresh pages (at {@code -Xms4m} a
         *       1 MB {@code String} round trip took 1.3–1.6× as long). The price is the young
         *       generation's pages once used: an idle worker that maps its class archive is as small
         *       as at {@code -Xms4m}, one that does not (a directory on the class path) keeps about
         *       6 MiB more of its start's garbage, and a worker that has run many tasks 3–5 MiB more.
         *       {@code -Xms4m} among the options gives the smaller heap back; a larger start (say
         *       {@code -Xms128m}, or {@code -Xms64m -XX:NewRatio=1}, whose young generation of
         *       32 MiB takes a 10 MB value from the first one) suits values of 10 MB and more. The
         *       bound keeps a runaway task from taking the machine (it ends the worker instead). It
         *       is also what a worker that passes values of 10 MB and more comes to keep on JDK 24
         *       and later, whose serial collector grows the old generation up to {@code -Xmx} before
         *       it collects it (a worker echoing 10 MB {@code byte[]}s: about 300 MiB resident on
         *       JDK 25, 115 MiB on JDK 17): a larger {@code -Xmx} costs its size in memory there, a
         *       smaller one bounds it.
         *   <li>{@code -XX:+UseSerialGC}: one collector thread and the least collector memory; a worker
         *       runs one task at a time, so a parallel collector would buy little.
         *   <li>{@code -XX:-UsePerfData}: no shared-memory performance file per worker.
         *   <li>{@code -XX:CompileThresholdScaling=5}: the JIT compiles code once it ran five times as
         *       often as by default, so a worker compiles far less of the start-up code it runs once
         *       (it starts sooner and keeps less compiled code), while a task's hot code is still
         *       compiled by both JIT compilers, only a little later. {@code -XX:TieredStopAtLevel=1}
         *       would save a little more but slows compiled task code.
         *   <li>{@code -Xshare:auto}: class data sharing where the JVM can map an archive, never an error
         *       where it cannot.
         * </ul>
         * Besides these, a worker always gets {@code -XX:+ExitOnOutOfMemoryError} (after the options,
         * so an out-of-memory worker always ends and is reported) and, on JDKs where it is known to
         * work and CDS is on, {@code -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0}
         * (before the options, so they can override it): the JVM maps its class data archives at
         * the address they were written for instead of a random one, so the workers share those
         * pages instead of each keeping a private, relocated copy. This gives up the random
         * placement of the archives inside workers; {@code -XX:ArchiveRelocationMode=1} among the
         * options restores it. A worker also gets {@code -XX:CompileCommand} options that make the
         * JIT compile pool4j's and Jackson's methods after a tenth of the calls it waits for by
         * default, so the code every call crosses is compiled within a worker's first calls; they
         * go before these options, so a {@code -XX:CompileCommand=CompileThresholdScaling,...}
         * among them for the same methods wins. Unless the options (or {@code JAVA_TOOL_OPTIONS}) set
         * {@code -XX:MinHeapFreeRatio} or {@code -XX:MaxHeapFreeRatio}, a worker gets
         * {@code -XX:MinHeapFreeRatio=60 -XX:MaxHeapFreeRatio=90}: its heap grows more at a full
         * collection and shrinks less after one, so values of a megabyte or more do not cost a full
         * collection each (on JDK 17; JDK 25 did not collect that often).
         */
        public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "-XX:CompileThresholdScaling=5", "-Xshare:auto");

        /** The default {@link #maxFrameBytes}: 64 MiB. */
        public static final long DEFAULT_MAX_FRAME_BYTES = 64L * 1024 * 1024;

        /** The default {@link #maxPayloadBytes}: 64 MiB. */
        public static final long DEFAULT_MAX_PAYLOAD_BYTES = 64L * 1024 * 1024;

        private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
        private int maxTasksPerWorker;
        private int retries;
        private WorkerInitializer initializer;
        private Type inputType;
        private Type resultType;
        private long maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private long maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private final List<Class<?>> valueTypes = new ArrayList<>();
        private String classPath;

        private Builder() {}

        /**
         * Replaces the worker JVM options (default {@link #DEFAULT_JVM_OPTIONS}).
         * {@code -XX:+ExitOnOutOfMemoryError} is always added, and the class data sharing options
         * {@link #DEFAULT_JVM_OPTIONS} describes go before these, so these win.
         *
         * @param options options such as {@code "-Xmx1g"}
         * @return this builder
         * @throws NullPointerException if {@code options} or an element is null
         */
        public Builder jvmOptions(String... options) {
            return jvmOptions(Arrays.asList(options));
        }

        /**
         * Replaces the worker JVM options (default {@link #DEFAULT_JVM_OPTIONS}), with the same
         * additions as {@link #jvmOptions(String...)}.
         *
         * @param options options such as {@code "-Xmx1g"}
         * @return this builder
         * @throws NullPointerException if {@code options} or an element is null
         */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /**
         * Appends worker JVM options to the current ones (later options win in the JVM). A collector
         * among them ({@code -XX:+UseG1GC}, {@code -XX:+UseZGC}, ...) replaces the one chosen before
         * (the defaults' {@code -XX:+UseSerialGC}), where the JVM itself would refuse to start with two;
         * a collector in the {@code JAVA_TOOL_OPTIONS} or {@code JDK_JAVA_OPTIONS} the workers inherit
         * replaces them all.
         *
         * @param options options such as {@code "-Xmx1g"} or {@code "-Dkey=value"}
         * @return this builder
         * @throws NullPointerException if {@code options} or an element is null
         */
        public Builder addJvmOptions(String... options) {
            List<String> all = new ArrayList<>(jvmOptions);
            all.addAll(List.of(options));
            this.jvmOptions = List.copyOf(all);
            return this;
        }

        /**
         * Replaces a worker after it has run {@code n} inputs (rounded up to whole chunks), like
         * Python's {@code maxtasksperchild}. By default workers live as long as the pool.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder maxTasksPerWorker(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxTasksPerWorker must be >= 1, was " + n);
            }
            this.maxTasksPerWorker = n;
            return this;
        }

        /**
         * Re-runs an input whose worker crashed while running it on a fresh worker, up to {@code n}
         * times, before failing it with a {@link io.github.pool4j.WorkerCrashedException}. Timed-out
         * inputs are never re-run. Default 0.
         *
         * <p>The guarantee: an input runs at most {@code n + 1} times, so with the default 0 at most
         * once. An input that finished just before its worker died but whose result died with the
         * worker (a worker sends the results of quick inputs together) has run: running it again
         * counts against {@code n} too, and once {@code n} is used up it fails with a
         * {@code WorkerCrashedException} saying its result was lost rather than run again. Inputs
         * the dead worker held but had not started are always run elsewhere.
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
         * Sets code each worker runs once before it takes work. It is shipped like a task.
         *
         * @param initializer the initializer
         * @return this builder
         * @throws NullPointerException if {@code initializer} is null
         */
        public Builder initializer(WorkerInitializer initializer) {
            this.initializer = Objects.requireNonNull(initializer, "initializer");
            return this;
        }

        /**
         * Sets the type results are read as, instead of the task's declared result type; needed when
         * erasure hides it (a lambda returning {@code List<Long>} declares only {@code List}).
         *
         * @param type the result type
         * @return this builder
         * @throws NullPointerException if {@code type} is null
         */
        public Builder resultType(Class<?> type) {
            return resultType((Type) type);
        }

        /**
         * Sets the type results are read as, instead of the task's declared result type, such as a
         * {@link java.lang.reflect.ParameterizedType} for {@code Map<String, List<Long>>}.
         *
         * @param type the result type
         * @return this builder
         * @throws NullPointerException if {@code type} is null
         */
        public Builder resultType(Type type) {
            this.resultType = Objects.requireNonNull(type, "type");
            return this;
        }

        /**
         * Sets the type inputs are read as in the workers, instead of the task's declared input type.
         *
         * @param type the input type
         * @return this builder
         * @throws NullPointerException if {@code type} is null
         */
        public Builder inputType(Class<?> type) {
            return inputType((Type) type);
        }

        /**
         * Sets the type inputs are read as in the workers, instead of the task's declared input type.
         *
         * @param type the input type, possibly parameterized
         * @return this builder
         * @throws NullPointerException if {@code type} is null
         */
        public Builder inputType(Type type) {
            this.inputType = Objects.requireNonNull(type, "type");
            return this;
        }

        /**
         * Allows values of these classes where generics erased their declared type (a result
         * declared {@code Object}, an element of a {@code List<Object>}, a field declared as an
         * interface): there a value's class name travels beside it, and only the JDK's value types,
         * the declared input and result types and classes from the task's own code source (its jar
         * or classes directory) are allowed by default. Name here classes from other jars; any other
         * class in such a place fails with a {@link io.github.pool4j.TaskSerializationException}
         * naming it. Adds to the classes given before.
         *
         * @param types application classes whose instances may travel in erased places
         * @return this builder
         * @throws NullPointerException if {@code types} or one of them is null
         */
        public Builder valueTypes(Class<?>... types) {
            for (Class<?> type : types) {
                valueTypes.add(Objects.requireNonNull(type, "type"));
            }
            return this;
        }

        /**
         * Sets the largest frame (one protocol line: a chunk of inputs, one result, a task definition)
         * either side accepts; larger ones are refused with a clear error instead of exhausting memory.
         * An input larger than this fails with a {@link io.github.pool4j.TaskSerializationException}.
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
         * Sets the most raw bytes the large binary values ({@code byte[]}) and long strings of one
         * frame may take. Such values travel beside their frame as raw bytes (a string as UTF-8)
         * rather than as text inside it, so {@link #maxFrameBytes} does not bound a {@code byte[]};
         * this does, on both sides: a side refuses a value that would pass it before allocating it.
         * A string still counts against {@link #maxFrameBytes} too, as it would inside the frame.
         * So does a value declared {@code List<Integer>}, {@code List<Long>}, {@code int[]} or
         * {@code long[]} of 128 numbers or more, which travels as binary numbers while it fits
         * here and as JSON text otherwise. An input whose raw values take more fails with a
         * {@link io.github.pool4j.TaskSerializationException}, and so does a result; a worker that
         * announces more is killed as broken, and its input fails as for a crash. Each such value
         * counts its length plus a few bytes of bookkeeping.
         *
         * @param bytes at least 1024 (default 64 MiB)
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes < 1024} or above 2 GiB
         */
        public Builder maxPayloadBytes(long bytes) {
            if (bytes < 1024 || bytes > Integer.MAX_VALUE - 1024L) {
                throw new IllegalArgumentException(
                        "maxPayloadBytes must be between 1024 and " + (Integer.MAX_VALUE - 1024L) + ", was " + bytes);
            }
            this.maxPayloadBytes = bytes;
            return this;
        }

        /**
         * Sets the worker JVMs' class path, which must hold pool4j, its dependencies (Jackson, slf4j)
         * and the tasks' classes. By default it is this JVM's {@code java.class.path} plus what the
         * class loaders of the calling thread (its context class loader) and of pool4j see beyond
         * it, so {@code mvn exec:java} and runners with class loaders of their own work too; set it
         * where neither holds the tasks, or where pool4j is loaded from inside an archive (a Spring
         * Boot executable jar), which fails {@link #build()} with what to do.
         *
         * @param classPath entries joined with {@link java.io.File#pathSeparator}, as {@code java -cp} takes them
         * @return this builder
         * @throws NullPointerException if {@code classPath} is null
         * @throws IllegalArgumentException if it is blank
         */
        public Builder classPath(String classPath) {
            Objects.requireNonNull(classPath, "classPath");
            if (classPath.isBlank()) {
                throw new IllegalArgumentException("classPath must not be blank");
            }
            this.classPath = classPath;
            return this;
        }

        /**
         * Builds the pool: starts every worker process in parallel and returns once one is ready.
         *
         * @param <T> the input type
         * @param <R> the result type
         * @return a running pool
         * @throws io.github.pool4j.TaskSerializationException if the initializer cannot be shipped
         * @throws PoolException if no worker could start (for example, the initializer kept failing, or
         *     the class path lacks pool4j); the message says why and the cause is the initializer's
         *     exception, if any; also if no {@linkplain #classPath class path} is set and pool4j is
         *     loaded from where a worker JVM cannot load it
         */
        public <T, R> ProcessPool<T, R> build() {
            String workerClassPath = WorkerClassPath.resolve(classPath, Thread.currentThread().getContextClassLoader());
            WorkerConfig config = new WorkerConfig(PoolOptions.of(this), jvmOptions, maxTasksPerWorker, retries, initializer,
                    inputType, resultType, maxFrameBytes, maxPayloadBytes, workerClassPath, valueTypes);
            ProcessPool<T, R> pool = new ProcessPool<>("ProcessPool-" + ids.incrementAndGet(), config);
            pool.group.start();
            return pool;
        }
    }
}
