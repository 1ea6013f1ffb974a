package io.github.pool4j.process.internal;

import io.github.pool4j.WorkerInitializer;
import io.github.pool4j.spi.PoolOptions;
import java.lang.reflect.Type;
import java.util.List;

/**
 * Everything a process pool was built with, copied once by the builder.
 *
 * @param options the options every pool shares
 * @param jvmOptions the worker JVMs' options
 * @param maxTasksPerWorker inputs a worker runs before it is replaced, or 0 for no limit
 * @param retries how many times an input whose worker crashed is re-run on a fresh worker
 * @param initializer what each worker runs once before it takes work, or {@code null}
 * @param inputType the type inputs are read as instead of the task's declared one, or {@code null}
 * @param resultType the type results are read as instead of the task's declared one, or {@code null}
 * @param maxFrameBytes the largest frame either side accepts
 * @param maxPayloadBytes the most raw bytes one frame's large binary values may take beside it
 * @param classPath the worker JVMs' class path ({@link WorkerClassPath})
 * @param valueTypes classes allowed where erasure hides a value's type, besides the defaults
 */
public record WorkerConfig(
        PoolOptions options,
        List<String> jvmOptions,
        int maxTasksPerWorker,
        int retries,
        WorkerInitializer initializer,
        Type inputType,
        Type resultType,
        long maxFrameBytes,
        long maxPayloadBytes,
        String classPath,
        List<Class<?>> valueTypes) {

    /** Copies the lists. */
    public WorkerConfig {
        jvmOptions = List.copyOf(jvmOptions);
        valueTypes = List.copyOf(valueTypes);
    }
}
