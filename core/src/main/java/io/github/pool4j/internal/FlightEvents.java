package io.github.pool4j.internal;

import io.github.pool4j.PoolException;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.WorkerStats;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The {@code jdk.jfr} events and the code that fills them; loaded only through {@link Flight}
 * once {@link Flight#AVAILABLE} said the module is there.
 */
final class FlightEvents {

    private static final String CATEGORY = "pool4j";

    private FlightEvents() {}

    static Object callStarted(String pool, long callId, String operation, long inputs) {
        CallEvent event = new CallEvent();
        if (!event.isEnabled()) {
            return null;
        }
        event.pool = pool;
        event.callId = callId;
        event.operation = operation;
        event.inputs = inputs;
        event.begin();
        return event;
    }

    static void callEnded(Object started, long failed) {
        CallEvent event = (CallEvent) started;
        event.end();
        if (event.shouldCommit()) {
            event.failedInputs = failed;
            event.outcome = failed > 0 ? "failure" : "success";
            event.commit();
        }
    }

    static void taskFailed(String pool, long callId, PoolException failure) {
        TaskFailureEvent event = new TaskFailureEvent();
        if (!event.shouldCommit()) {
            return;
        }
        event.pool = pool;
        event.callId = callId;
        event.inputIndex = failure.inputIndex();
        event.failure = failure.getClass().getName();
        event.exceptionClass = failure instanceof TaskFailedException task
                ? task.remoteClassName()
                : failure.getClass().getName();
        event.message = failure instanceof TaskFailedException task ? task.remoteMessage() : failure.getMessage();
        event.commit();
    }

    static void workerStarted(WorkerStats worker) {
        WorkerStartEvent event = new WorkerStartEvent();
        if (event.shouldCommit()) {
            event.worker = worker.name();
            event.pid = worker.pid();
            event.commit();
        }
    }

    static void workerStopped(WorkerStats worker, PoolException cause) {
        WorkerStopEvent event = new WorkerStopEvent();
        if (!event.shouldCommit()) {
            return;
        }
        event.worker = worker.name();
        event.pid = worker.pid();
        event.tasksDone = worker.tasksDone();
        event.rss = worker.rssBytes();
        event.reason = cause == null ? "stopped" : cause.getMessage();
        event.crashed = cause != null;
        event.exitCode = cause instanceof WorkerCrashedException crash ? crash.exitCode() : 0;
        event.commit();
    }

    @Name("io.github.pool4j.Call")
    @Label("Pool Call")
    @Category(CATEGORY)
    @Description("A map, imap, submit... call of a pool, from start to end")
    @StackTrace(false) // committed by whichever thread finished the call: its stack says nothing
    static final class CallEvent extends Event {
        @Label("Pool")
        String pool;

        @Label("Call Id")
        long callId;

        @Label("Operation")
        String operation;

        @Label("Inputs")
        @Description("Inputs of the call; -1 for a lazy imap, whose count is not known up front")
        long inputs;

        @Label("Failed Inputs")
        long failedInputs;

        @Label("Outcome")
        @Description("success, or failure when at least one input failed")
        String outcome;
    }

    @Name("io.github.pool4j.TaskFailure")
    @Label("Pool Task Failure")
    @Category(CATEGORY)
    @Description("An input whose task threw, whose worker crashed, or which timed out")
    @StackTrace(false)
    static final class TaskFailureEvent extends Event {
        @Label("Pool")
        String pool;

        @Label("Call Id")
        long callId;

        @Label("Input Index")
        long inputIndex;

        @Label("Failure")
        @Description("The pool4j exception the caller sees")
        String failure;

        @Label("Exception Class")
        @Description("The task's own exception class, also for a task that ran in another process")
        String exceptionClass;

        @Label("Message")
        String message;
    }

    @Name("io.github.pool4j.WorkerStart")
    @Label("Pool Worker Start")
    @Category(CATEGORY)
    @Description("A pool's worker has started and can take work")
    @StackTrace(false)
    static final class WorkerStartEvent extends Event {
        @Label("Worker")
        String worker;

        @Label("PID")
        long pid;
    }

    @Name("io.github.pool4j.WorkerStop")
    @Label("Pool Worker Stop")
    @Category(CATEGORY)
    @Description("A pool's worker has stopped: at close, or because it crashed or was replaced")
    @StackTrace(false)
    static final class WorkerStopEvent extends Event {
        @Label("Worker")
        String worker;

        @Label("PID")
        long pid;

        @Label("Reason")
        String reason;

        @Label("Crashed")
        boolean crashed;

        @Label("Exit Code")
        @Description("The exit status of a crashed worker process; 0 for an orderly stop")
        int exitCode;

        @Label("Tasks Done")
        long tasksDone;

        @Label("RSS")
        @DataAmount
        @Description("Resident memory when last seen; -1 if unknown")
        long rss;
    }
}
