package io.github.pool4j.spi;

import io.github.pool4j.Task;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskTimeoutException;
import io.github.pool4j.internal.Watchdog;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs the inputs of a chunk one after another in the current thread, for pools whose workers
 * are threads of this JVM, enforcing the per-task timeout by interrupting the thread.
 *
 * <p>A task that throws fails its input with a {@link TaskFailedException} whose cause is what it
 * threw. A task past its timeout fails its input with a {@link TaskTimeoutException} carrying its
 * stack at that moment, and its thread is interrupted; the interrupt is cleared again when the
 * task returns, so it never leaks into the next input. A Java thread cannot be killed: a task that
 * ignores interrupts keeps its thread until it returns, though its input has already failed.
 *
 * <p>A pool that owns its threads may give a stuck thread up: built with a {@link GiveUp} hook, the
 * runner asks it {@link #GIVE_UP_AFTER} after a timeout whose task has still not returned. Once
 * given up, the thread never touches its chunk again: when the task finally returns, {@link #run}
 * returns {@link #GIVEN_UP} at once, and the hook has handed the chunk's remaining inputs to
 * other threads.
 *
 * <p>An interrupt that is not the watchdog's (the pool terminating, the caller of a pool that runs
 * tasks in the caller's thread being interrupted) is kept: if a task throws
 * {@link InterruptedException} the thread's interrupt flag is set again, and the inputs of the
 * chunk not run yet fail with a {@link io.github.pool4j.PoolException} whose cause is an
 * {@code InterruptedException}, instead of running with the flag set.
 *
 * <p>Each input is reported {@linkplain Chunk#started started} just before its task is called, and,
 * while someone listens, its task's run time {@linkplain Chunk#ran reported} just before its
 * outcome (an {@link Error} is not timed).
 *
 * <p>Thread-safety: thread-safe; many threads may run chunks at once.
 */
public final class ChunkRunner implements AutoCloseable {

    /**
     * How long after its timeout (and interrupt) a task may go on before its thread is given up,
     * when the runner has a {@link GiveUp} hook.
     */
    public static final Duration GIVE_UP_AFTER = Duration.ofSeconds(1);

    /** What {@link #run} returns when the thread was given up while it ran the chunk. */
    public static final int GIVEN_UP = -1;

    /**
     * Decides what becomes of a thread whose task timed out and still runs {@link #GIVE_UP_AFTER}
     * after the interrupt. Called on the watchdog thread; must not block.
     */
    @FunctionalInterface
    public interface GiveUp {
        /**
         * Gives {@code thread} up: it will not touch {@code chunk} again, so the implementation
         * should run (or fail) the chunk's inputs that have no outcome yet elsewhere.
         *
         * @param thread the thread stuck in a task
         * @param chunk the chunk it was running; the timed-out input already failed
         */
        void givenUp(Thread thread, Chunk chunk);
    }

    private final Duration timeout;
    private final Watchdog watchdog;
    private final LongAdder tasksDone = new LongAdder();
    private final GiveUp giveUp;

    /**
     * Creates a runner; if the options set a task timeout, it starts one daemon watchdog thread
     * named {@code <name>-timeout}, stopped by {@link #close()}.
     *
     * @param name the pool's name, for the watchdog thread
     * @param options the pool's options
     */
    public ChunkRunner(String name, PoolOptions options) {
        this(name, options, null);
    }

    /**
     * Creates a runner that gives up threads stuck in a timed-out task through {@code giveUp}; as
     * {@link #ChunkRunner(String, PoolOptions)} otherwise.
     *
     * @param name the pool's name, for the watchdog thread
     * @param options the pool's options
     * @param giveUp called for a thread whose task went on {@link #GIVE_UP_AFTER} past its timeout,
     *     or {@code null} to keep waiting for such threads
     */
    public ChunkRunner(String name, PoolOptions options, GiveUp giveUp) {
        this.giveUp = giveUp;
        this.timeout = options.taskTimeout();
        this.watchdog = timeout == null ? null : new Watchdog(name + "-timeout");
    }

    /**
     * Runs every input of {@code chunk} that has no outcome yet, stopping early if the chunk is
     * cancelled. Errors that leave this JVM unsound ({@link OutOfMemoryError} and other virtual
     * machine errors but {@link StackOverflowError}) fail their input and are then rethrown.
     *
     * @param chunk the chunk; its prepared task must be a {@link Task}
     * @return how many inputs ran (their task was called), for per-worker statistics, or
     *     {@link #GIVEN_UP} if this thread was given up meanwhile (it must then stop serving the pool)
     */
    public int run(Chunk chunk) {
        @SuppressWarnings("unchecked")
        Task<Object, Object> task = (Task<Object, Object>) chunk.preparedTask();
        int ran = 0;
        boolean givenUp = false;
        boolean timed = chunk.timesTasks(); // two nanoTime() calls per input only when someone listens
        try {
            for (int i = 0; i < chunk.size() && !chunk.isCancelled(); i++) {
                if (Thread.currentThread().isInterrupted()) {
                    chunk.failUnfinished(Call.InterruptedInputException::new);
                    break;
                }
                if (!chunk.isDone(i)) {
                    ran++;
                    chunk.started(i);
                    if (!runOne(task, chunk, i, timed)) {
                        givenUp = true;
                        break;
                    }
                }
            }
        } finally {
            tasksDone.add(ran); // once per chunk, not per input
        }
        return givenUp ? GIVEN_UP : ran;
    }

    /** Runs one input; returns false if the thread was given up while the task ran. */
    private boolean runOne(Task<Object, Object> task, Chunk chunk, int offset, boolean timed) {
        if (watchdog == null) {
            runUnwatched(task, chunk, offset, timed);
            return true;
        }
        long index = chunk.firstIndex() + offset;
        Watchdog.Alarm alarm = watchdog.arm(timeout.toNanos(), fired -> expired(fired, chunk, offset, index));
        long start = timed ? System.nanoTime() : 0;
        try {
            Object value = task.apply(chunk.input(offset));
            if (timed) {
                chunk.ran(1, System.nanoTime() - start);
            }
            if (settle(alarm)) {
                chunk.succeed(offset, value);
            }
        } catch (Exception e) {
            if (timed) {
                chunk.ran(1, System.nanoTime() - start);
            }
            if (settle(alarm)) {
                failTask(chunk, offset, index, e);
            }
        } catch (Error e) {
            if (settle(alarm)) {
                chunk.fail(offset, TaskFailedException.of(index, e));
            }
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                throw e;
            }
        }
        return !alarm.wasAbandoned();
    }

    /** The path without a timeout: no watchdog, no per-input allocation besides the outcome. */
    private void runUnwatched(Task<Object, Object> task, Chunk chunk, int offset, boolean timed) {
        long start = timed ? System.nanoTime() : 0;
        try {
            Object value = task.apply(chunk.input(offset));
            if (timed) {
                chunk.ran(1, System.nanoTime() - start);
            }
            chunk.succeed(offset, value);
        } catch (Exception e) {
            if (timed) {
                chunk.ran(1, System.nanoTime() - start);
            }
            failTask(chunk, offset, chunk.firstIndex() + offset, e);
        } catch (Error e) {
            chunk.fail(offset, TaskFailedException.of(chunk.firstIndex() + offset, e));
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                throw e;
            }
        }
    }

    /**
     * Fails an input whose task threw {@code e}. A task that gave up because of an interrupt that
     * was not the watchdog's (the caller interrupted, the pool terminating) was cut short, not
     * broken: its input counts as cancelled, and the interrupt flag is set again.
     */
    private static void failTask(Chunk chunk, int offset, long index, Exception e) {
        if (e instanceof InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            chunk.fail(offset, new Call.InterruptedInputException(index, interrupted));
        } else {
            chunk.fail(offset, TaskFailedException.of(index, e));
        }
    }

    /**
     * On the watchdog's thread, the input's task being past its timeout: interrupts it and notes its
     * stack; then, once the runner may go on, fails the input and, with a give-up hook, gives the
     * thread up if the task has still not returned {@link #GIVE_UP_AFTER} later.
     */
    private Runnable expired(Watchdog.Alarm alarm, Chunk chunk, int offset, long index) {
        Thread runner = alarm.runner();
        StackTraceElement[] stack = runner.getStackTrace();
        runner.interrupt();
        return () -> {
            chunk.fail(offset, new TaskTimeoutException(index, timeout, Arrays.asList(stack)));
            if (giveUp != null) {
                watchdog.later(GIVE_UP_AFTER.toNanos(), () -> {
                    if (alarm.abandon()) {
                        giveUp.givenUp(runner, chunk);
                    }
                });
            }
        };
    }

    /**
     * Returns true if the task finished in time; otherwise clears the watchdog's interrupt (the task
     * has returned, so it was ours, not the caller's) and returns false.
     */
    private static boolean settle(Watchdog.Alarm alarm) {
        if (alarm.disarm()) {
            return true;
        }
        Thread.interrupted();
        return false;
    }

    /**
     * Returns how many inputs this runner has run, whatever their outcome.
     *
     * @return the count
     */
    public long tasksDone() {
        return tasksDone.sum();
    }

    /** Stops the watchdog thread, if any. */
    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.close();
        }
    }
}
