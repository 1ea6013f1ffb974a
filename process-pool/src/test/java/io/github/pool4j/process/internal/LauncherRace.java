package io.github.pool4j.process.internal;

import io.github.pool4j.process.ProcessPool;
import java.nio.file.Path;

/**
 * A child JVM of {@link LauncherTest}: runs one worker from a fresh {@link Launcher} (so, in a JVM
 * of its own, a keeper) and exits 0 if the worker did.
 *
 * <p>Arguments: the cache directory, the workers' class path.
 */
public final class LauncherRace {

    private LauncherRace() {}

    public static void main(String[] args) throws Exception {
        Launcher launcher = new Launcher(ProcessPool.Builder.DEFAULT_JVM_OPTIONS, args[1],
                ArchiveCache.of(Path.of(args[0])));
        Launcher.Launch launch = launcher.command(WorkerJvm.MAIN, null);
        if (!launch.archiveKeeper()) {
            throw new AssertionError("the only worker of a JVM keeps the archive");
        }
        WorkerJvm.Run run = WorkerJvm.run(launcher, launch);
        if (run.exitCode() != 0) {
            throw new AssertionError("worker exited with " + run.exitCode() + ": " + run.output());
        }
    }
}
