package io.github.pool4j.spi;

import io.github.pool4j.Task;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>An interrupt that is not the watchdog's (the pool terminating, the caller of a pool that runs
 * tasks in the caller's thread being interrupted) is kept: if a task throws
 * {@link InterruptedException} the thread's interrupt flag is set again, and the inputs of the
 * chunk not run yet fail with a {@link io.github.pool4j.PoolException} whose cause is an
 * {@code InterruptedException}, instead of running with the flag set.
 *
 * <p>Thread-safety: thread-safe; many threads may run chunks at once.
 */
public final class ChunkRunner implements AutoCloseable {

    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int TIMING_OUT = 2;
    private static final int TIMED_OUT = 3;

    private final Duration timeout;
    private final ScheduledExecutorService watchdog;
    private final LongAdder tasksDone = new LongAdder();

    /**
     * Creates a runner; if the options set a task timeout, it starts one daemon watchdog thread
     * named {@code <name>-timeout}, stopped by {@link #close()}.
     *
     * @param name the pool's name, for the watchdog thread
     * @param options the pool's options
     */
    public ChunkRunner(String name, PoolOptions options) {
        this.timeout = options.taskTimeout();
        if (timeout == null) {
            this.watchdog = null;
        } else {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, name + "-timeout");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            this.watchdog = executor;
        }
    }

    /**
     * Runs every input of {@code chunk} that has no outcome yet, stopping early if the chunk is
     * cancelled. Errors that leave this JVM unsound ({@link OutOfMemoryError} and other virtual
     * machine errors but {@link StackOverflowError}) fail their input and are then rethrown.
     *
     * @param chunk the chunk; its prepared task must be a {@link Task}
     * @return how many inputs ran (their task was called), for per-worker statistics
     */
    public int run(Chunk chunk) {
        @SuppressWarnings("unchecked")
        Task<Object, Object> task = (Task<Object, Object>) chunk.preparedTask();
        int ran = 0;
        try {
            for (int i = 0; i < chunk.size() && !chunk.isCancelled(); i++) {
                if (Thread.currentThread().isInterrupted()) {
                    chunk.failUnfinished(Call.InterruptedInputException::new);
                    break;
                }
                if (!chunk.isDone(i)) {
                    ran++;
                    runOne(task, chunk, i);
                }
            }
        } finally {
            tasksDone.add(ran); // once per chunk, not per input
        }
        return ran;
    }

    private void runOne(Task<Object, Object> task, Chunk chunk, int offset) {
        if (watchdog == null) {
            runUnwatched(task, chunk, offset);
            return;
        }
        long index = chunk.firstIndex() + offset;
        AtomicInteger state = new AtomicInteger(RUNNING);
        ScheduledFuture<?> alarm = scheduleAlarm(chunk, offset, index, state);
        try {
            Object value = task.apply(chunk.input(offset));
            if (finish(state, alarm)) {
                chunk.succeed(offset, value);
            }
        } catch (Exception e) {
            if (finish(state, alarm)) {
                failTask(chunk, offset, index, e);
            }
        } catch (Error e) {
            if (finish(state, alarm)) {
                chunk.fail(offset, TaskFailedException.of(index, e));
            }
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                throw e;
            }
        }
    }

    /** The path without a timeout: no watchdog, no per-input allocation besides the outcome. */
    private void runUnwatched(Task<Object, Object> task, Chunk chunk, int offset) {
        try {
            chunk.succeed(offset, task.apply(chunk.input(offset)));
        } catch (Exception e) {
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

    private ScheduledFuture<?> scheduleAlarm(Chunk chunk, int offset, long index, AtomicInteger state) {
        Thread runner = Thread.currentThread();
        return watchdog.schedule(() -> {
            if (state.compareAndSet(RUNNING, TIMING_OUT)) {
                StackTraceElement[] stack = runner.getStackTrace();
                runner.interrupt();
                state.set(TIMED_OUT);
                // Reported only once the runner is free to go on: reporting may take locks the
                // runner holds while it waits for TIMED_OUT (SerialPool's imap runs tasks under
                // its iterator's lock), which would deadlock.
                chunk.fail(offset, new TaskTimeoutException(index, timeout, Arrays.asList(stack)));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Returns true if the task finished in time; otherwise clears the watchdog's interrupt. */
    private static boolean finish(AtomicInteger state, ScheduledFuture<?> alarm) {
        if (state.compareAndSet(RUNNING, FINISHED)) {
            alarm.cancel(false);
            return true;
        }
        while (state.get() != TIMED_OUT) {
            Thread.onSpinWait();
        }
        Thread.interrupted(); // the interrupt was ours, not the caller's
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
            watchdog.shutdownNow();
        }
    }
}
