package io.github.pool4j.hazelcast.internal;

import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.codec.TaskDefinition;
import io.github.pool4j.codec.TaskDefinition.Loaded;
import io.github.pool4j.codec.TaskDefinition.Role;
import io.github.pool4j.hazelcast.internal.Outcomes.Failure;
import io.github.pool4j.hazelcast.internal.Outcomes.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * Runs a {@link ChunkCall} on a member, as a {@code ProcessPool} worker runs a call frame: loads
 * the task definition, reads the inputs, runs the task on each input in order on the executor's
 * thread, and writes one outcome per input.
 *
 * <p>Timeouts: with a task timeout, a watchdog thread interrupts a task running past it, and its
 * input fails with a timeout. A thread cannot be killed: a task that ignores the interrupt keeps its
 * executor thread until it returns. An interrupt that is not the watchdog's is the pool cancelling
 * the call: the inputs not yet run are skipped.
 *
 * <p>Thread-safety: thread-safe; many executor threads run calls at once. The mappers (one per
 * frame limit) and loaded task definitions are cached, bounded.
 */
final class MemberRunner {

    /** The most task definitions kept loaded; past it the cache starts again. */
    static final int MAX_CACHED_TASKS = 256;

    private static final ConcurrentMap<Long, Json> JSON = new ConcurrentHashMap<>();
    private static final ConcurrentMap<String, Loaded> TASKS = new ConcurrentHashMap<>();

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int TIMED_OUT = 2;

    private MemberRunner() {}

    /** The watchdog of timed calls: one daemon thread per member JVM, started on first use. */
    private static final class Watchdog {
        static final ScheduledExecutorService INSTANCE = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pool4j-hazelcast-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    static ChunkReply run(ChunkCall call) {
        long start = System.nanoTime();
        Json json = JSON.computeIfAbsent(call.maxFrameBytes(), Json::new);
        BitSet skip = new BitSet();
        for (int offset : call.skip()) {
            skip.set(offset);
        }
        List<Failure> failures = new ArrayList<>();
        Loaded task;
        try {
            task = load(call.definition(), json);
        } catch (Throwable e) {
            // Without the task, no input can be read: each fails for the task's sake.
            String why = describe(e);
            int count = countValues(json, call.inputs());
            for (int offset = 0; offset < count; offset++) {
                if (!skip.get(offset)) {
                    failures.add(new Failure(offset, Kind.BAD_TASK, "task", why, null, null));
                }
            }
            return new ChunkReply(null, Outcomes.write(failures), System.nanoTime() - start);
        }
        List<Object> inputs = Values.read(json, call.inputs(), task.inputType());
        Object[] results = new Object[inputs.size()];
        boolean cancelled = false;
        for (int offset = 0; offset < inputs.size(); offset++) {
            if (skip.get(offset)) {
                continue;
            }
            if (cancelled) {
                failures.add(new Failure(offset, Kind.SKIPPED, null, null, null, null));
                continue;
            }
            Object input = inputs.get(offset);
            if (input instanceof Values.Unreadable unreadable) {
                failures.add(new Failure(offset, Kind.BAD_INPUT, task.inputType().toCanonical(), unreadable.reason(),
                        null, null));
                continue;
            }
            Failure failure = runOne(task, offset, input, call.timeoutMillis(), results);
            if (failure != null) {
                failures.add(failure);
            }
            // Set by the pool cancelling this call (terminate(), a failed map): skip the rest.
            cancelled = Thread.interrupted();
        }
        byte[] values = writeResults(json, task, results, skip, failures, call.maxFrameBytes());
        return new ChunkReply(values, failures.isEmpty() ? null : Outcomes.write(failures), System.nanoTime() - start);
    }

    private static Failure runOne(Loaded task, int offset, Object input, long timeoutMillis, Object[] results) {
        AtomicInteger state = null;
        ScheduledFuture<?> alarm = null;
        StackTraceElement[][] stack = new StackTraceElement[1][];
        if (timeoutMillis > 0) {
            AtomicInteger running = new AtomicInteger(RUNNING);
            Thread thread = Thread.currentThread();
            state = running;
            alarm = Watchdog.INSTANCE.schedule(() -> {
                synchronized (running) { // the runner clears the interrupt only after it was set
                    if (running.compareAndSet(RUNNING, TIMED_OUT)) {
                        stack[0] = thread.getStackTrace();
                        thread.interrupt();
                    }
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        Object value = null;
        Throwable thrown = null;
        try {
            value = task.invoker().invoke(input);
        } catch (Throwable e) {
            thrown = e;
        }
        if (state != null && !state.compareAndSet(RUNNING, DONE)) {
            // The watchdog interrupted this task: clear its interrupt, the next input must not see it.
            synchronized (state) {
                Thread.interrupted();
                return new Failure(offset, Kind.TIMEOUT, null, null, null,
                        stack[0] == null ? List.of() : Arrays.asList(stack[0]));
            }
        }
        if (alarm != null) {
            alarm.cancel(false);
        }
        if (thrown != null) {
            return new Failure(offset, Kind.ERROR, null, null, remoteError(thrown), null);
        }
        results[offset] = value;
        return null;
    }

    /** Writes the results; a result that cannot be written, or does not fit the frame, fails alone. */
    private static byte[] writeResults(Json json, Loaded task, Object[] results, BitSet skip, List<Failure> failures,
            long limit) {
        if (failures.size() + skip.cardinality() == results.length) {
            return null;
        }
        List<Object> all = Arrays.asList(results);
        Values.Encoded encoded = Values.write(json, all, task.resultType(), limit);
        if (encoded.overflowed()) {
            // Too large together: keep the results that fit, fail the others by name.
            long total = 2;
            for (int offset = 0; offset < results.length; offset++) {
                Object value = results[offset];
                if (value == null) {
                    continue;
                }
                Values.Encoded one = Values.write(json, List.of(value), task.resultType(), limit);
                total += one.overflowed() ? limit : one.bytes().length;
                if (total > limit) {
                    failures.add(new Failure(offset, Kind.BAD_RESULT, value.getClass().getName(),
                            "the chunk's results are more than the " + limit + " bytes of maxFrameBytes;"
                                    + " use a smaller chunk size or a larger maxFrameBytes", null, null));
                    results[offset] = null;
                }
            }
            encoded = Values.write(json, all, task.resultType(), limit);
        }
        for (int k = 0; k < encoded.failedOffsets().length; k++) {
            int offset = encoded.failedOffsets()[k];
            failures.add(new Failure(offset, Kind.BAD_RESULT, results[offset].getClass().getName(),
                    encoded.reasons()[k], null, null));
        }
        return encoded.bytes();
    }

    private static Loaded load(String definition, Json json) {
        String key = json.hashCode() + "\n" + definition;
        Loaded loaded = TASKS.get(key);
        if (loaded == null) {
            JsonNode node = json.data().readTree(definition);
            loaded = TaskDefinition.load(node, Role.TASK, json);
            if (TASKS.size() >= MAX_CACHED_TASKS) {
                TASKS.clear(); // ever new tasks: stay bounded, load again on demand
            }
            TASKS.put(key, loaded);
        }
        return loaded;
    }

    private static int countValues(Json json, byte[] array) {
        try {
            return json.data().readTree(array).size();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Describes what a task threw; an exception whose methods throw is described by what can be read. */
    private static RemoteError remoteError(Throwable thrown) {
        try {
            return RemoteError.of(thrown);
        } catch (Throwable unreadable) {
            return new RemoteError(thrown.getClass().getName(),
                    "<its description could not be read: " + unreadable.getClass().getName() + ">",
                    null, List.of(), null, List.of());
        }
    }

    /** Says what {@code e} is, for a refusal; never throws. */
    static String describe(Throwable e) {
        try {
            if (e instanceof TaskSerializationException tse) {
                return tse.getMessage();
            }
            if (e instanceof tools.jackson.core.JacksonException je) {
                return Json.describe(je);
            }
            String message = e.getMessage();
            return e.getClass().getName() + (message == null ? "" : ": " + message);
        } catch (Throwable unreadable) {
            return e.getClass().getName();
        }
    }
}
