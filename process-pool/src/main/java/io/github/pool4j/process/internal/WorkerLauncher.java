package io.github.pool4j.process.internal;

import java.util.List;

/**
 * Gives each worker of a pool its command line, and hears when that worker is gone: the seam
 * between a {@link WorkerGroup} and how its worker JVMs are started. Production uses
 * {@link Launcher}; a test of the group's own logic (what a launch that fails costs, that each
 * launch is released once) may pass one that needs no JVM.
 *
 * <p>Thread-safety: implementations are thread-safe; the group calls them from the caller's,
 * the monitor's and the workers' threads.
 */
interface WorkerLauncher {

    /**
     * Returns the full command for one worker whose plain output goes to {@code io}.
     *
     * @param main the program arguments of {@link WorkerMain}
     * @param io the worker's output FIFOs, or null for none (its fd 1 then goes to its fd 2)
     * @return the command, to be {@linkplain #released released} once the worker is gone or could
     *     not be started
     */
    Launcher.Launch command(List<String> main, WorkerIo io);

    /**
     * Called once the worker of {@code launch} has exited or could not be started; a second call
     * for the same launch does nothing.
     *
     * @param launch what {@link #command} returned
     */
    void released(Launcher.Launch launch);
}
