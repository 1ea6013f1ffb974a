package io.github.pool4j.process.internal;

import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.RemoteError;
import io.github.pool4j.codec.TaskDefinition;
import io.github.pool4j.PoolException;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.internal.Watchdog;
import io.github.pool4j.process.internal.protocol.Decoded;
import io.github.pool4j.process.internal.protocol.Limits;
import io.github.pool4j.process.internal.protocol.Message;
import io.github.pool4j.process.internal.protocol.ProgressNote;
import io.github.pool4j.process.internal.protocol.ProtocolException;
import io.github.pool4j.process.internal.protocol.Segments;
import io.github.pool4j.process.internal.protocol.Verdict;
import io.github.pool4j.process.internal.protocol.Wire;
import io.github.pool4j.process.internal.protocol.WorkerArgs;
import io.github.pool4j.codec.TaskDefinition.Loaded;
import io.github.pool4j.codec.TaskDefinition.Role;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JavaType;

/**
 * The main class of a worker process: reads frames from its protocol channel, runs tasks one input
 * at a time on its task thread, writes frames to the channel.
 *
 * <p>The channel is private (see {@link WorkerIo}): started through the launcher's exec wrapper,
 * the frames arrive on fd 3 and leave on fd 4, opened here as {@code /proc/self/fd/N} (or
 * {@code /dev/fd/N} where there is no {@code /proc}) before any task code runs; fd 0 reads
 * {@code /dev/null} and fd 1 and fd 2 are plain output, so nothing a task, a native library, the
 * JVM or a child process does with them can read or alter a frame. Without the wrapper (Windows)
 * the channel is stdin and stdout.
 *
 * <p>Arguments: see {@link WorkerArgs}.
 * Task code's {@code System.out} and
 * {@code System.err} become output frames, line by line; {@code System.in} is empty.
 *
 * <p>Lifecycle: it says hello (after running the initializer, if any), runs calls in the order
 * received, and exits on a shutdown frame, at end of stdin, or within a second of its parent
 * process dying. A task past its timeout makes it report the task's stack and halt. Before it exits
 * it kills the processes its tasks started.
 *
 * <p>Frames are buffered. With a progress file, the results of consecutive inputs travel as one
 * results frame, written when no job is queued and at least every {@value #FLUSH_MILLIS} ms (or as
 * the next input starts, while inputs take longer than that); the file tells the parent which
 * input was running if the worker dies with results unsent. Without one, every frame is written
 * before the next input starts, so the parent knows from the pipe.
 */
public final class WorkerMain {

    /** Exit status after a task ran past its timeout. */
    static final int EXIT_TIMEOUT = 124;
    /** Exit status after the initializer failed. */
    static final int EXIT_INIT_FAILED = 70;
    /** Exit status after the parent broke the protocol. */
    static final int EXIT_PROTOCOL = 71;
    /**
     * Exit status after the task thread failed outside any task (while taking a job or reporting an
     * outcome, in a way no guard could turn into that input's failure): the worker can no longer run
     * tasks, so it exits rather than live on silently.
     */
    static final int EXIT_TASK_THREAD_FAILED = 72;
    /** How {@link #EXIT_TASK_THREAD_FAILED}'s reason starts on stderr, where the parent finds it. */
    static final String TASK_THREAD_FAILED = "pool4j worker: the task thread failed: ";

    /** The longest a finished input's outcome waits in the buffer while other inputs run. */
    static final long FLUSH_MILLIS = 2;

    private final Wire wire;
    private final long maxFrameBytes;
    private final long maxPayloadBytes;
    /** Large binary values of results, taken out as raw segments (task thread only). */
    private final Segments.Out segments;
    private final long timeoutMillis;
    private final OutputStream protocol;
    private final PrintStream diagnostics;
    private final LineFramer out;
    private final LineFramer err;
    private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    /** Whether any cancel arrived: spares each input a lookup (and a boxed id) when none did. */
    private volatile boolean anyCancelled;
    private final Map<Long, Object> tasks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Object> eldest) {
            return size() > Limits.WORKER_KNOWN_TASKS;
        }
    };
    /** Enforces the task timeout; null without one. */
    private final Watchdog watchdog;
    private final Progress progress;
    // ---- results gathered by the task thread (see ResultRun) ----
    private final ResultRun results;
    /** Something was written (or gathered) since the last flush; set before waking the flusher. */
    private volatile boolean dirty;
    private volatile Thread flusher;
    /**
     * Whether inputs run longer than {@value #FLUSH_MILLIS} ms: then gathering their outcomes gains
     * nothing, and the task thread writes them itself when the next input starts instead of waking
     * the flusher to do it a moment later (two thread switches per input). Set by the flusher when
     * one input ran all the while it waited (the progress note did not change), cleared by the task
     * thread when one input follows another within that time.
     */
    private volatile boolean slowInputs;
    /** When the last input started, or 0 if unknown; task thread only, kept while {@link #slowInputs}. */
    private long lastInputStart;

    /**
     * A call to run: its inputs (those before {@code refused}'s position if an input could not be
     * read), its task (a {@link Loaded}, what failed to load it, or null), and the refused input.
     */
    private record Job(long id, BitSet skip, List<Object> inputs, boolean timed, Object task,
            Verdict.UnreadableInput refused) {}

    private static final Job POISON = new Job(-1, null, null, false, null, null);

    private final Channel channel;

    private WorkerMain(long maxFrameBytes, long timeoutMillis, long maxPayloadBytes, Progress progress,
            Channel channel) {
        this.channel = channel;
        this.progress = progress;
        this.maxFrameBytes = maxFrameBytes;
        this.maxPayloadBytes = maxPayloadBytes;
        // Raw bytes only where nothing else can write between them: on the private channel.
        this.segments = new Segments.Out(maxPayloadBytes, channel.isPrivate());
        segments.textLimit(Limits.payloadLimit(maxFrameBytes));
        this.timeoutMillis = timeoutMillis;
        this.wire = new Wire(new Json(maxFrameBytes));
        this.results = new ResultRun();
        // Frames are buffered and flushed before each input starts (so a crash never hides an
        // earlier input's outcome) and whenever the worker would wait: one write per input at most.
        this.protocol = new BufferedOutputStream(channel.out(), 64 * 1024);
        this.diagnostics = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        this.out = new LineFramer(1);
        this.err = new LineFramer(2);
        this.watchdog = timeoutMillis > 0 ? new Watchdog("pool4j-worker-watchdog") : null;
    }

    /**
     * Runs a worker; see the class description.
     *
     * @param args see {@link WorkerArgs}
     */
    public static void main(String[] args) {
        WorkerArgs parsed = WorkerArgs.parse(args);
        Channel channel = Channel.open();
        WorkerMain worker = new WorkerMain(parsed.maxFrameBytes(), parsed.timeoutMillis(), parsed.maxPayloadBytes(),
                parsed.progressFile() == null ? null : Progress.open(parsed.progressFile()), channel);
        worker.run(parsed.initializer());
    }

    private void run(boolean initializer) {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(new byte[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Task code that calls System.exit still has its earlier outcomes reported.
            write(null, true);
            killDescendants();
        }, "pool4j-worker-cleanup"));
        watchParent();
        if (progress != null) {
            Thread thread = daemon(this::flushLoop, "pool4j-worker-flush");
            flusher = thread;
            thread.start();
        }
        LineReader reader = new LineReader(channel.in(), Limits.lineLimit(maxFrameBytes));
        Segments.In received = new Segments.In(maxPayloadBytes);
        try {
            if (!initializer) {
                sayHello();
            }
            Thread taskThread = new Thread(this::runJobs, "pool4j-worker-task");
            taskThread.setDaemon(true);
            taskThread.start();
            int length;
            while ((length = reader.next()) >= 0) {
                byte[] buf = reader.buffer();
                if (!reader.overflowed() && Segments.isHeader(buf, length)) {
                    long[] header = received.accept(buf, length);
                    received.add(header[0], reader.readExactly((int) header[1]));
                    continue;
                }
                int at = Wire.findSentinel(buf, 0, Math.min(length, Wire.SENTINEL.length));
                if (at != 0 || reader.overflowed()) {
                    throw new ProtocolException(reader.overflowed()
                            ? "a frame from the parent exceeds " + maxFrameBytes + " bytes"
                            : "a line from the parent does not start with the sentinel", null);
                }
                Decoded frame = wire.read(buf, Wire.SENTINEL.length, length - Wire.SENTINEL.length, types(), received);
                received.clear();
                reader.shrink();
                if (frame instanceof Message.Shutdown) {
                    // Exit from this thread once the queued jobs are done: System.exit from the task
                    // thread would wait for this one, blocked in a native read, for up to 300 ms.
                    jobs.add(POISON);
                    joinQuietly(taskThread);
                    flushFrames();
                    endNormally();
                    return;
                }
                handle(frame);
            }
        } catch (IOException | ProtocolException e) {
            diagnostics.println("pool4j worker: " + e.getMessage());
            exit(EXIT_PROTOCOL);
        }
        // End of stdin: the parent closed the pipe or died.
        endNormally();
    }

    private Wire.Types types() {
        return new Wire.Types() {
            @Override
            public JavaType resultType(long id) {
                return null;
            }

            @Override
            public JavaType inputType(long task) {
                synchronized (tasks) {
                    return tasks.get(task) instanceof Loaded loaded ? loaded.inputType() : null;
                }
            }
        };
    }

    private void handle(Decoded frame) {
        if (frame instanceof Message.Init init) {
            runInitializer(init);
        } else if (frame instanceof Message.Define define) {
            Object loaded;
            try {
                loaded = TaskDefinition.load(define.definition(), Role.TASK, wire.json());
            } catch (RuntimeException | LinkageError e) {
                loaded = e;
            }
            synchronized (tasks) {
                tasks.put(define.task(), loaded);
            }
        } else if (frame instanceof Message.Call call) {
            jobs.add(new Job(call.id(), call.skip(), call.inputs(), call.timed(), task(call.task()), null));
        } else if (frame instanceof Verdict.UnreadableInput bad) {
            Message.Call call = bad.readable();
            jobs.add(new Job(call.id(), call.skip(), call.inputs(), call.timed(), task(call.task()), bad));
        } else if (frame instanceof Verdict.UnknownTask unknown) {
            jobs.add(new Job(unknown.id(), unknown.skip(), null, false, task(unknown.task()), null));
        } else if (frame instanceof Message.Cancel cancel) {
            cancelled.add(cancel.id());
            anyCancelled = true;
        } else {
            throw new ProtocolException("a worker does not accept " + typeOf(frame) + " frames", null);
        }
    }

    private Object task(long id) {
        synchronized (tasks) {
            return tasks.get(id);
        }
    }

    private static String typeOf(Decoded frame) {
        return frame instanceof Message message ? message.type().name() : frame.getClass().getSimpleName();
    }

    private void runInitializer(Message.Init frame) {
        try {
            Loaded init = TaskDefinition.load(frame.definition(), Role.INITIALIZER, wire.json());
            init.invoker().invoke(null);
        } catch (Throwable e) {
            out.flushPartial();
            err.flushPartial();
            send(wire.encode(new Message.Fatal(RemoteError.of(e))));
            flushFrames();
            exit(EXIT_INIT_FAILED);
        }
        out.flushPartial();
        err.flushPartial();
        sayHello();
    }

    private void sayHello() {
        send(wire.encode(new Message.Hello(ProcessHandle.current().pid(), Runtime.version().toString())));
        flushFrames();
    }

    /**
     * The task thread: runs jobs until the poison job. Whatever escapes the guards of each step ends
     * the worker with {@link #EXIT_TASK_THREAD_FAILED}: a worker whose task thread is gone would
     * otherwise hold its calls forever.
     */
    private void runJobs() {
        try {
            while (true) {
                Job job = jobs.poll();
                if (job == null) {
                    flushFrames();
                    job = takeJob();
                }
                if (job == POISON) {
                    flushFrames();
                    return;
                }
                runJob(job);
            }
        } catch (Throwable e) {
            taskThreadFailed(e);
        }
    }

    /** Waits for a job. Only a task interrupts this thread (its own flag, left set): not a reason to stop. */
    private Job takeJob() {
        while (true) {
            try {
                return jobs.take();
            } catch (InterruptedException e) {
                // The flag is clear again; keep waiting.
            }
        }
    }

    /**
     * Ends the worker after the task thread failed outside any task: says why on stderr (the parent
     * shows it), sends what was gathered (those outcomes are true), then halts. Halting rather than
     * exiting: a shutdown hook would wait for locks this broken state may hold.
     */
    private void taskThreadFailed(Throwable e) {
        try {
            diagnostics.println(TASK_THREAD_FAILED + describe(e));
            write(null, true);
            killDescendants();
        } catch (Throwable ignored) {
            // Exit all the same.
        } finally {
            Runtime.getRuntime().halt(EXIT_TASK_THREAD_FAILED);
        }
    }

    private void runJob(Job job) {
        long id = job.id();
        BitSet skip = job.skip();
        if (!(job.task() instanceof Loaded task)) {
            String why = job.task() instanceof Throwable t ? describe(t) : "its definition was not received";
            send(wire.encode(new Message.Refusal(Message.Refused.TASK, id, skip.nextClearBit(0), "task", why)));
            return;
        }
        List<Object> inputs = job.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            if (skip.get(i)) {
                continue;
            }
            if (anyCancelled && cancelled.contains(id)) {
                send(wire.encode(new Message.Skipped(id, i)));
                cancelled.remove(id);
                return;
            }
            runOne(task, id, i, inputs.get(i), job.timed());
        }
        Verdict.UnreadableInput refused = job.refused();
        if (refused != null) {
            send(wire.encode(new Message.Refusal(Message.Refused.INPUT, id, refused.index(), refused.typeName(),
                    refused.message())));
        }
        if (anyCancelled) {
            cancelled.remove(id);
        }
    }

    /**
     * Runs one input and sends its outcome; with {@code timed}, the time its task ran goes along.
     * It runs for every input: keep its bytecode under C2's {@code FreqInlineSize} (325 bytes; 306
     * now), past which C2 no longer inlines it into the task thread's loop; rare paths go in
     * methods of their own.
     */
    private void runOne(Loaded task, long id, int index, Object input, boolean timed) {
        if (progress == null) {
            // The parent blames a crash on the first input it has no outcome for: tell it every earlier one.
            flushFrames();
        } else {
            progress.running(id, index);
            if (slowInputs ? slowInputStarts() : results.holding) {
                // Earlier outcomes wait while this input runs: the flusher writes them in a moment.
                wakeFlusher();
            }
        }
        // Without a timeout, an input costs no allocation here.
        Watchdog.Alarm alarm = watchdog == null ? null
                : watchdog.arm(TimeUnit.MILLISECONDS.toNanos(timeoutMillis), fired -> timeout(fired.runner(), id, index));
        Object value = null;
        Throwable failure = null;
        // The task's own time travels with its outcome, for the parent's task listeners; none listening,
        // the clock is not read (two reads cost more than a trivial task on some machines).
        long start = timed ? System.nanoTime() : 0;
        try {
            value = task.invoker().invoke(input);
        } catch (Throwable e) {
            failure = e;
        }
        long nanos = timed ? System.nanoTime() - start : -1;
        // A task may leave its interrupt flag set (the usual idiom after catching InterruptedException):
        // it must not reach the next input, nor this thread's wait for the next job.
        Thread.interrupted();
        if (alarm != null && !alarm.disarm()) {
            // The watchdog reported this input as timed out and halts the worker (disarm() waits for that).
            parkForever();
        }
        if (progress != null) {
            progress.finished(id, index);
        }
        out.flushPartial();
        err.flushPartial();
        if (failure != null) {
            send(errorFrame(id, index, failure, nanos));
            return;
        }
        String refused = progress == null ? sendAlone(task, id, index, value, nanos)
                : results.add(task, id, index, value, nanos);
        if (refused != null) {
            send(wire.encode(new Message.Refusal(Message.Refused.RESULT, id, index, value.getClass().getName(), refused)));
        }
    }

    /**
     * Encodes what a task threw. An exception whose {@code getStackTrace()}, {@code getCause()},
     * {@code toString()} or {@code getMessage()} throws (or returns null where it may not) is
     * described by what can be read of it, with a note saying what could not.
     */
    private byte[] errorFrame(long id, int index, Throwable failure, long nanos) {
        try {
            return wire.encode(new Message.Failed(id, index, RemoteError.of(failure), nanos));
        } catch (Throwable unreadable) {
            try {
                return wire.encode(new Message.Failed(id, index, readable(failure, unreadable), nanos));
            } catch (Throwable again) {
                // Even that did not encode: the class name alone always does.
                return wire.encode(new Message.Failed(id, index, new RemoteError(failure.getClass().getName(),
                        "<its description could not be sent: " + again.getClass().getName() + ">",
                        null, List.of(), null, List.of()), nanos));
            }
        }
    }

    /** Describes {@code t} with whatever of it can be read; {@code why} says what could not. */
    static RemoteError readable(Throwable t, Throwable why) {
        String className = t.getClass().getName();
        String message = null;
        String printed = null;
        try {
            TaskFailedException described = TaskFailedException.of(PoolException.NO_INPUT, t);
            message = described.remoteMessage();
            printed = described.remoteStackTrace();
        } catch (Throwable e) {
            try {
                message = t.getMessage();
            } catch (Throwable ignored) {
                message = "<getMessage() threw " + ignored.getClass().getName() + ">";
            }
        }
        List<StackTraceElement> frames = List.of();
        try {
            StackTraceElement[] stack = t.getStackTrace();
            if (stack != null) {
                frames = java.util.Arrays.stream(stack).filter(java.util.Objects::nonNull).toList();
            }
        } catch (Throwable ignored) {
            // No frames, then.
        }
        String note = "(pool4j: this exception could only be partly read: " + why.getClass().getName() + ")\n";
        if (printed == null) {
            printed = className + (message == null ? "" : ": " + message) + "\n";
        }
        return new RemoteError(className, message, printed + note, frames, null, List.of());
    }

    /** Sends a result in a frame of its own (no progress file); returns why it cannot be sent, or {@code null}. */
    private String sendAlone(Loaded task, long id, int index, Object value, long nanos) {
        byte[] result;
        try {
            result = wire.result(id, index, value, task, nanos, segments);
        } catch (Throwable e) {
            // Whatever a getter or serializer throws, Errors included, fails this result only.
            segments.drain();
            return describe(e);
        }
        long length = result.length + segments.textBytes();
        boolean rawTooLarge = segments.overflowed();
        boolean textTooLarge = segments.textOverflowed();
        byte[][] raw = segments.drain();
        if (textTooLarge || length > maxFrameBytes) {
            return tooLarge(length);
        }
        if (rawTooLarge) {
            return rawTooLarge();
        }
        if (!write(raw, result, false)) {
            exit(0);
        }
        return null;
    }

    private String tooLarge(long length) {
        return "its JSON is " + length + " bytes, more than maxFrameBytes (" + maxFrameBytes + ")";
    }

    private String rawTooLarge() {
        return "its raw values (large byte[] and strings) take more than maxPayloadBytes (" + maxPayloadBytes
                + " bytes)";
    }

    /**
     * The results of consecutive inputs of one call, sent as one results frame.
     *
     * <p>Only the task thread {@linkplain #add adds}; it encodes each value with one long-lived
     * generator into its own scratch buffer, outside any lock that another thread waits on, then
     * appends the bytes under {@code lock}. Whoever writes to the protocol stream first
     * {@linkplain #publish publishes} what was gathered (holding {@code protocol}), so results keep
     * their order with every other frame; the flush thread does so every {@value #FLUSH_MILLIS} ms,
     * so results show up even while a long input runs. Lock order: {@code protocol}, then
     * {@code lock}.
     */
    private final class ResultRun {
        /** The most gathered before the task thread publishes itself: it then waits for the pipe. */
        private static final int MAX_GATHERED = 256 * 1024;
        private static final int SCRATCH_SIZE = 256;
        /** The longest {@code Integer} or {@code null} as JSON, and its comma. */
        private static final int MAX_PLAIN_BYTES = 12;

        // Task thread only.
        private Wire.Buffer scratch = new Wire.Buffer(SCRATCH_SIZE);
        private JsonGenerator generator;
        // Guarded by lock.
        private final Object lock = new Object();
        private Wire.Buffer gathered = new Wire.Buffer(4096);
        /** The raw segments of the gathered results (header, bytes, ...), written before their frame. */
        private List<byte[]> gatheredSegments = new java.util.ArrayList<>();
        /** What they count against maxPayloadBytes. */
        private long gatheredCost;
        /** The UTF-8 bytes of the strings among them, which count against the frame's size. */
        private long gatheredText;
        private long callId = -1;
        private int first;
        /** How long the tasks of the gathered results ran, together. */
        private long gatheredNanos;
        /**
         * A run of {@code Integer} results kept as numbers, to travel as one typed segment: while
         * {@code intCount > 0}, nothing is in {@code gathered} and the run holds nothing else.
         */
        private int[] ints = new int[256];
        private int intCount;
        /** What the run's numbers would take as JSON text (digits and commas), for the frame's bounds. */
        private long intText;
        // Guarded by protocol.
        private Wire.Buffer spare = new Wire.Buffer(4096);
        private int[] spareInts = new int[256];
        /** Whether results are gathered and not yet published; set by the task thread, cleared by publishing. */
        volatile boolean holding;

        /**
         * Adds a result whose task ran {@code nanos}; returns why it cannot be sent, or {@code null}.
         * Called by the task thread.
         */
        String add(Loaded task, long id, int index, Object value, long nanos) {
            if (value == null || value.getClass() == Integer.class) {
                boolean declaredInteger = task.resultType().getRawClass() == Integer.class;
                if (addPlain(id, index, value, nanos, declaredInteger)) {
                    return null;
                }
                // Another call's results, or a full run: send those, so this one starts a fresh run
                // (of numbers, where it is one) instead of the text one below would start.
                writeGathered(false);
                if (addPlain(id, index, value, nanos, declaredInteger)) {
                    return null;
                }
            }
            scratch.reset();
            try {
                if (generator == null) {
                    generator = wire.json().generator(scratch);
                }
                // A large byte[] result is written below before this thread runs another task, so
                // it need not be copied: the task that made it cannot change it in between.
                segments.borrowLarge(value instanceof byte[]);
                Wire.writeResult(segments.wrap(generator), task, value);
                generator.flush();
            } catch (Throwable e) {
                // Whatever a getter or serializer throws, Errors included, fails this result only.
                generator = null; // its state is unknown after a failure
                segments.drain();
                return describe(e);
            }
            long cost = segments.cost();
            // A long string travels as a segment but counts as it would inside the frame.
            long text = segments.textBytes();
            boolean rawTooLarge = segments.overflowed();
            boolean borrowed = segments.borrowed();
            byte[][] raw = segments.drain();
            int length = scratch.size();
            if (length + text > Limits.payloadLimit(maxFrameBytes)) {
                return tooLarge(length + text);
            }
            if (rawTooLarge) {
                return rawTooLarge();
            }
            boolean wasEmpty;
            while (true) {
                synchronized (lock) {
                    wasEmpty = callId < 0;
                    long size = gathered.size() + intText;
                    if (wasEmpty || (callId == id
                            && size + gatheredText + length + text <= Limits.payloadLimit(maxFrameBytes)
                            && size < MAX_GATHERED && gatheredCost + cost <= maxPayloadBytes
                            && gatheredCost < MAX_GATHERED)) {
                        spillInts();
                        if (wasEmpty) {
                            callId = id;
                            first = index;
                            gatheredNanos = nanos;
                            // The flusher is woken only once another input starts: when none does,
                            // the task thread writes the results itself before it waits for a job.
                            holding = true;
                        } else {
                            gathered.write(',');
                            gatheredNanos = sum(gatheredNanos, nanos);
                        }
                        gathered.write(scratch.array(), 0, length);
                        if (raw.length > 0) {
                            java.util.Collections.addAll(gatheredSegments, raw);
                            gatheredCost += cost;
                            gatheredText += text;
                        }
                        break;
                    }
                }
                // Another call's results, or too much gathered: send those first.
                writeGathered(false);
            }
            if (borrowed) {
                // The result's own array is among the gathered segments: written now, before this
                // thread runs a task that may change it (one that refills a buffer it keeps, say).
                writeGathered(false);
            }
            if (scratch.array().length > 1024 * 1024) {
                // Don't keep what one huge result made huge; the generator writes to the new buffer.
                scratch = new Wire.Buffer(SCRATCH_SIZE);
                generator = null;
            }
            return null;
        }

        /**
         * Adds an {@code Integer} or {@code null} result by writing its digits straight after the
         * gathered results (or, for a task declared to return {@code Integer}, by keeping the
         * number for a typed segment), when it joins them as {@link #add} would join it; returns
         * false, having added nothing, when {@code add} must decide (another call's results, or
         * too much gathered).
         */
        private boolean addPlain(long id, int index, Object value, long nanos, boolean declaredInteger) {
            long room = Limits.payloadLimit(maxFrameBytes) - MAX_PLAIN_BYTES;
            synchronized (lock) {
                boolean wasEmpty = callId < 0;
                long size = gathered.size() + intText;
                if (room < 0 || !wasEmpty && (callId != id || size + gatheredText > room
                        || size >= MAX_GATHERED || gatheredCost >= MAX_GATHERED)) {
                    return false;
                }
                if (wasEmpty) {
                    callId = id;
                    first = index;
                    gatheredNanos = nanos;
                    holding = true; // as in add
                } else {
                    gatheredNanos = sum(gatheredNanos, nanos);
                }
                // Only where the parent reads Integers: one declared Object or Number reads JSON.
                if (value != null && declaredInteger && segments.enabled() && (wasEmpty || intCount > 0)) {
                    if (intCount == ints.length) {
                        ints = java.util.Arrays.copyOf(ints, intCount * 2);
                    }
                    int number = (Integer) value;
                    ints[intCount++] = number;
                    intText += Segments.digits(number) + (wasEmpty ? 0 : 1);
                    return true;
                }
                spillInts();
                if (!wasEmpty) {
                    gathered.write(',');
                }
                Wire.writePlain(gathered, value);
                return true;
            }
        }

        /**
         * Writes the run's numbers as JSON text into {@code gathered}, where a value that is not
         * one joins them: the same bytes, so the frame's bounds hold as counted. Called holding lock.
         */
        private void spillInts() {
            writeDigits(gathered, ints, intCount);
            intCount = 0;
            intText = 0;
        }

        /** Writes the first {@code count} of {@code numbers} into {@code out} as JSON digits and commas. */
        private static void writeDigits(Wire.Buffer out, int[] numbers, int count) {
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.writeInt(numbers[i]);
            }
        }

        /** Task times add up; an untimed one (negative) leaves the whole run untimed. */
        private static long sum(long gathered, long nanos) {
            return gathered < 0 || nanos < 0 ? -1 : gathered + nanos;
        }

        /** Writes what was gathered as one results frame. Called holding protocol. */
        void publish() throws IOException {
            Wire.Buffer full;
            long id;
            int from;
            long nanos;
            List<byte[]> raw;
            int[] numbers;
            int count;
            synchronized (lock) {
                if (callId < 0) {
                    return;
                }
                numbers = ints;
                count = intCount;
                if (count > 0) {
                    ints = spareInts;
                    intCount = 0;
                    intText = 0;
                }
                full = gathered;
                gathered = spare;
                raw = gatheredSegments;
                if (!raw.isEmpty()) {
                    gatheredSegments = new java.util.ArrayList<>();
                    gatheredCost = 0;
                    gatheredText = 0;
                }
                id = callId;
                from = first;
                nanos = gatheredNanos;
                callId = -1;
                holding = false;
            }
            if (count > 0) {
                // Fewer numbers than a segment is worth, or more than maxPayloadBytes takes: digits.
                if (count >= Segments.MIN_NUMBERS && Limits.segmentCost(4L * count) <= maxPayloadBytes) {
                    Wire.writeIntResults(protocol, id, from, nanos, numbers, count);
                } else {
                    writeDigits(full, numbers, count);
                    count = 0;
                }
                // Keep the array for the next run, but not one a huge run made huge.
                spareInts = numbers.length > 256 * 1024 ? new int[256] : numbers;
            }
            if (count == 0) {
                for (byte[] part : raw) {
                    protocol.write(part);
                }
                protocol.write(Wire.resultsHead(id, from, nanos));
                full.writeTo(protocol, 0);
                protocol.write(Wire.RESULTS_TAIL);
            }
            // Keep a buffer for the next run, but not one a huge result made huge.
            spare = full.array().length > 1024 * 1024 ? new Wire.Buffer(4096) : full;
            spare.reset();
        }
    }

    /**
     * Called as an input starts while {@link #slowInputs}: writes the earlier outcomes now if the
     * last input took at least {@value #FLUSH_MILLIS} ms, else goes back to gathering; returns
     * whether outcomes still wait for the flusher. Kept apart so that the per-input path stays
     * small enough for the JIT to inline into the task thread's loop.
     */
    private boolean slowInputStarts() {
        long now = System.nanoTime();
        long last = lastInputStart;
        lastInputStart = now;
        if (last == 0) {
            // The first input since the flusher saw one outlast its wait, which may only mean the
            // task thread lost its core for a while: flush only once an input is seen to be slow.
            return results.holding;
        }
        if (now - last < TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS)) {
            slowInputs = false;
            lastInputStart = 0;
            return results.holding;
        }
        if (results.holding) {
            flushFrames();
        }
        return false;
    }

    private void wakeFlusher() {
        if (!dirty) {
            dirty = true;
            Thread thread = flusher;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }

    /** Writes what waited in the buffer longer than {@value #FLUSH_MILLIS} ms, so progress stays visible. */
    private void flushLoop() {
        while (true) {
            while (!dirty) {
                LockSupport.park(this);
            }
            long note = progress.note();
            try {
                Thread.sleep(FLUSH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (progress.note() == note && !ProgressNote.isFinished(note)) {
                slowInputs = true;
            }
            flushFrames();
        }
    }

    /**
     * On the watchdog's thread, input {@code index} of call {@code id} being past its timeout: reports
     * it with the task's stack and halts the worker (a thread cannot be stopped; the process can).
     * The task thread, if its task returns meanwhile, waits in {@code disarm()} until the halt.
     */
    private Runnable timeout(Thread runner, long id, int index) {
        List<StackTraceElement> stack = List.of(runner.getStackTrace());
        out.flushPartial();
        err.flushPartial();
        send(wire.encode(new Message.Timeout(id, index, stack)));
        flushFrames();
        killDescendants();
        Runtime.getRuntime().halt(EXIT_TIMEOUT);
        return null;
    }

    /** Says what {@code e} is, for a refusal or stderr; never throws, whatever {@code e}'s methods do. */
    static String describe(Throwable e) {
        String message;
        try {
            if (e instanceof TaskSerializationException tse) {
                return tse.getMessage();
            }
            if (e instanceof tools.jackson.core.JacksonException je) {
                return Json.describe(je); // says what cannot travel and where; Jackson's class says nothing
            }
            message = e.getMessage();
        } catch (Throwable unreadable) {
            message = "<getMessage() threw " + unreadable.getClass().getName() + ">";
        }
        return e.getClass().getName() + (message == null ? "" : ": " + message);
    }

    private void send(byte[] frame) {
        if (!write(frame, false)) {
            // The parent is gone: nobody wants our results.
            exit(0);
        }
    }

    private void flushFrames() {
        writeGathered(true);
    }

    /** Writes the gathered results, flushing if asked; ends the worker if the pipe is broken. */
    private void writeGathered(boolean flush) {
        if (!write(null, flush)) {
            exit(0);
        }
    }

    /**
     * Writes the gathered results, then {@code frame} if not null, then flushes if asked;
     * returns false if the pipe is broken.
     */
    private boolean write(byte[] frame, boolean flush) {
        return write(Segments.NONE, frame, flush);
    }

    /** As {@link #write(byte[], boolean)}, with the frame's raw segments written just before it. */
    private boolean write(byte[][] raw, byte[] frame, boolean flush) {
        synchronized (protocol) {
            try {
                if (flush) {
                    dirty = false; // before publishing: a result gathered after this wakes the flusher again
                }
                results.publish();
                for (byte[] part : raw) {
                    protocol.write(part);
                }
                if (frame != null) {
                    protocol.write(frame);
                }
                if (flush) {
                    protocol.flush();
                } else {
                    wakeFlusher();
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private void watchParent() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        long parentPid = parent.map(ProcessHandle::pid).orElse(-1L);
        Thread watcher = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (parent.isEmpty() || !parent.get().isAlive() || now != parentPid) {
                    diagnostics.println("pool4j worker: parent process " + parentPid + " is gone; exiting");
                    killDescendants();
                    Runtime.getRuntime().halt(0);
                }
            }
        }, "pool4j-worker-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    static void killDescendants() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static void exit(int status) {
        System.exit(status);
    }

    /**
     * In a worker whose JVM writes a class archive at exit ({@link Launcher#ARCHIVE_WRITER_PROPERTY}),
     * loads what values other than plain ones need (the mappers, their (de)serializers, the parser):
     * a worker of plain values never loads them, and without them in the archive every later
     * worker whose values need them would load them from the jars, slower and with more private
     * memory.
     */
    private void loadForTheArchive() {
        String archive = System.getProperty(Launcher.ARCHIVE_WRITER_PROPERTY);
        if (archive == null || !archive.equals(Launcher.NEW_ARCHIVE) && mapped(archive)) {
            return; // no archive is written, or the JVM mapped the one it keeps, which stays
        }
        try {
            wire.json().loadValueClasses();
        } catch (RuntimeException | LinkageError e) {
            // Only later workers' start is slower; the classes loaded so far are archived.
        }
    }

    /** Whether this JVM maps a file named {@code fileName}; false where that cannot be told. */
    private static boolean mapped(String fileName) {
        try (java.util.stream.Stream<String> maps = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/self/maps"))) {
            return maps.anyMatch(line -> line.endsWith("/" + fileName));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Ends the worker with status 0 as {@link #run} returns, after {@link #loadForTheArchive}: if
     * no thread but daemons is left, the JVM ends when {@code main} does, running the shutdown
     * hooks as {@code System.exit} would but without {@code Runtime.exit}'s look-up of a logger
     * (JDK 21+), which opens every class-path jar and sets up java.util.logging: 40-50 ms of a
     * worker's life on JDK 25. A thread of the task's that is not a daemon keeps
     * {@code System.exit}; so does one started after this check, a second later.
     */
    private void endNormally() {
        loadForTheArchive();
        if (!onlyDaemonsBesidesThisThread()) {
            exit(0);
        }
        Thread fallback = daemon(() -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                // exit at once
            }
            exit(0);
        }, "pool4j-worker-exit");
        fallback.start();
    }

    private static boolean onlyDaemonsBesidesThisThread() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        if (count == threads.length) {
            return false; // more threads than room: assume the worst
        }
        for (int i = 0; i < count; i++) {
            if (threads[i] != Thread.currentThread() && !threads[i].isDaemon() && threads[i].isAlive()) {
                return false;
            }
        }
        return true;
    }

    private static void joinQuietly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void parkForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // keep waiting for the halt
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Turns what task code prints into output frames, a whole line at a time. */
    private final class LineFramer extends OutputStream {
        private static final int MAX_PENDING = 32 * 1024;
        private final int stream;
        private final Wire.Buffer pending = new Wire.Buffer(256);
        /** Whether pending holds bytes; read without the lock by flushPartial. */
        private volatile boolean partial;

        LineFramer(int stream) {
            this.stream = stream;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            partial = true;
            if (b == '\n') {
                emit(pending.size());
            } else if (pending.size() >= MAX_PENDING) {
                emit(wholeCharacters());
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
            partial = pending.size() > 0;
            int lastNewline = -1;
            byte[] buf = pending.array();
            for (int i = pending.size() - 1; i >= pending.size() - len; i--) {
                if (buf[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            if (lastNewline >= 0) {
                emit(lastNewline + 1);
            } else if (pending.size() >= MAX_PENDING) {
                emit(wholeCharacters());
            }
        }

        /**
         * How many pending bytes end on a character boundary: a long line is sent in pieces, and a
         * piece must not end inside a UTF-8 sequence, whose bytes would each become U+FFFD.
         */
        private int wholeCharacters() {
            byte[] buf = pending.array();
            int end = pending.size();
            for (int back = 1; back <= 3 && back <= end; back++) {
                int b = buf[end - back] & 0xFF;
                if ((b & 0xC0) == 0x80) {
                    continue; // a continuation byte: look further back for its lead
                }
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return needed > back ? end - back : end;
            }
            return end;
        }

        /** Sends what is left of a line, at the end of an input. */
        void flushPartial() {
            if (!partial) {
                return; // the common case, without taking the lock
            }
            synchronized (this) {
                if (pending.size() > 0) {
                    emit(pending.size());
                }
            }
        }

        private void emit(int count) {
            byte[] buf = pending.array();
            String text = new String(buf, 0, count, StandardCharsets.UTF_8);
            int rest = pending.size() - count;
            byte[] remainder = java.util.Arrays.copyOfRange(buf, count, count + rest);
            pending.reset();
            pending.write(remainder, 0, rest);
            partial = rest > 0;
            send(wire.encode(new Message.Output(stream, text)));
            // What a task prints shows up while it runs, as it would without a pool.
            flushFrames();
        }
    }

    /**
     * The protocol streams. Behind the launcher's exec wrapper ({@link Launcher#CHANNEL_PROPERTY}
     * set) they are fds 3 and 4, reopened through {@code /proc/self/fd} (Linux; JDK 17 and later
     * open a pipe there as a new description of the same pipe) or {@code /dev/fd} (macOS, BSD),
     * since Java cannot wrap a descriptor number; the wrapper's FIFOs lose their names here, the
     * parent having opened its ends before the start. Without the wrapper: stdin and stdout.
     */
    record Channel(java.io.InputStream in, OutputStream out, boolean isPrivate) {

        static Channel open() {
            String dir = System.getProperty(Launcher.CHANNEL_PROPERTY);
            if (dir == null) {
                return new Channel(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out), false);
            }
            // Task code has no use for it.
            System.clearProperty(Launcher.CHANNEL_PROPERTY);
            String fds = java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/fd")) ? "/proc/self/fd/"
                    : "/dev/fd/";
            Channel channel;
            try {
                channel = new Channel(new FileInputStream(fds + "3"), new FileOutputStream(fds + "4"), true);
            } catch (IOException e) {
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8)
                        .println("pool4j worker: cannot open the protocol channel: " + e);
                Runtime.getRuntime().halt(EXIT_PROTOCOL);
                throw new IllegalStateException(e);
            }
            if (!dir.isEmpty()) {
                for (String name : new String[] {"out", "err", ""}) {
                    try {
                        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(dir, name));
                    } catch (IOException | RuntimeException e) {
                        // the parent deletes them too
                    }
                }
            }
            return channel;
        }
    }

    /**
     * The worker's end of the file shared with the parent that says which input ran last (layout:
     * {@link ProgressNote}), written with a single store into a shared mapping, so the parent reads
     * it even after the worker was killed.
     */
    static final class Progress {
        private final java.nio.MappedByteBuffer map;

        private Progress(java.nio.MappedByteBuffer map) {
            this.map = map;
        }

        /** Maps {@code file}, or returns null if it cannot: the worker then flushes before each input. */
        static Progress open(java.nio.file.Path file) {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                Progress progress = new Progress(channel.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, ProgressNote.BYTES));
                // The parent mapped it before starting this JVM: the name is no longer needed, and
                // no file is left behind if the parent dies before this worker is ready.
                java.nio.file.Files.deleteIfExists(file);
                return progress;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        void running(long id, int index) {
            map.putLong(0, ProgressNote.running(id, index));
        }

        void finished(long id, int index) {
            map.putLong(0, ProgressNote.finished(id, index));
        }

        /** The note last written, as another thread of this worker sees it. */
        long note() {
            return map.getLong(0);
        }
    }
}
