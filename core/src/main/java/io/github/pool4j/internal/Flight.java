package io.github.pool4j.internal;

import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;

/**
 * pool4j's JDK Flight Recorder events, for pool4j's own modules: a call, a task failure, a
 * worker start and stop, so a {@code -XX:StartFlightRecording} shows what a pool did
 * ({@code jfr print --events io.github.pool4j.Call recording.jfr}). The engine records calls and
 * task failures; a pool implementation that runs workers calls {@link #workerEvents()} beside its
 * listener.
 *
 * <p>Core must run where the {@code jdk.jfr} module is absent (a jlink image without it, a
 * module path that does not resolve it). This class never names a {@code jdk.jfr} type: the
 * events and the code that builds them live in {@link FlightEvents}, loaded only after
 * {@link #AVAILABLE} found the module. With recording off each method costs a check of the
 * event type's enabled flag, and no event object survives it.
 *
 * <p>Thread-safety: all methods are thread-safe.
 */
public final class Flight {

    /** Whether {@code jdk.jfr} is in this JVM's boot layer, so the event classes can load. */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private Flight() {}

    /**
     * Begins a call's event if calls are being recorded.
     *
     * @param pool the pool's name
     * @param callId the call's id within its pool
     * @param operation the {@code Pool} method
     * @param inputs the number of inputs, {@code -1} for a lazy {@code imap}
     * @return the begun event, to pass to {@link #callEnded}, or {@code null} when not recording
     */
    public static Object callStarted(String pool, long callId, String operation, long inputs) {
        return AVAILABLE ? FlightEvents.callStarted(pool, callId, operation, inputs) : null;
    }

    /**
     * Ends and commits a call's event.
     *
     * @param event what {@link #callStarted} returned, possibly {@code null}
     * @param failed how many of the call's inputs failed
     */
    public static void callEnded(Object event, long failed) {
        if (event != null) {
            FlightEvents.callEnded(event, failed);
        }
    }

    /**
     * Records an input's failure (a task's exception, a crash, a timeout), if recording. The
     * engine passes only failures of the input's own run, not inputs it gave up on because
     * another failed, the caller was interrupted or the pool closed.
     *
     * @param pool the pool's name
     * @param callId the call's id
     * @param failure the failure
     */
    public static void taskFailed(String pool, long callId, PoolException failure) {
        if (AVAILABLE) {
            FlightEvents.taskFailed(pool, callId, failure);
        }
    }

    /**
     * Returns a listener that records worker starts and stops as events, for a pool to call
     * beside its own listener; {@link PoolListener#NONE} when {@code jdk.jfr} is absent.
     *
     * @return the recording listener, shared and stateless
     */
    public static PoolListener workerEvents() {
        return AVAILABLE ? FlightListener.INSTANCE : PoolListener.NONE;
    }
}
