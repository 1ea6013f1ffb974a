package io.github.pool4j.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.PoolException;
import io.github.pool4j.spi.PoolOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a worker launch that cannot start costs a group, through a {@link WorkerLauncher} whose
 * commands name a program that does not exist: no process runs, so this needs no JVM.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class WorkerGroupLaunchTest {

    @TempDir
    Path dir;

    /** Gives every worker the same missing program, as the archive keeper; counts the releases of each launch (a second one is allowed). */
    private static final class MissingProgram implements WorkerLauncher {
        private final String program;
        final Map<Launcher.Launch, AtomicInteger> releases = new ConcurrentHashMap<>();

        MissingProgram(Path program) {
            this.program = program.toString();
        }

        @Override
        public Launcher.Launch command(List<String> main, WorkerIo io) {
            Launcher.Launch launch = new Launcher.Launch(List.of(program), true, null, new AtomicBoolean());
            releases.put(launch, new AtomicInteger());
            return launch;
        }

        @Override
        public void released(Launcher.Launch launch) {
            releases.get(launch).incrementAndGet();
        }
    }

    @Test
    void commandCannotStart_groupGivesUpAfterTheStartBudget_andReleasesEveryLaunch() throws Exception {
        Path missing = dir.resolve("no-such-java");
        MissingProgram launcher = new MissingProgram(missing);
        WorkerConfig config = new WorkerConfig(PoolOptions.ofSize(1), List.of(), 0, 0, null, null, null,
                1024 * 1024, 1024 * 1024, "", List.of());
        WorkerGroup group = new WorkerGroup("launch-test", config, launcher);

        PoolException failure = assertThrows(PoolException.class, group::start);

        assertTrue(failure.getMessage().contains(CrashPolicy.MAX_START_FAILURES + " worker processes in a row failed"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("could not be launched") && failure.getMessage().contains(missing.toString()),
                failure.getMessage());
        assertEquals(CrashPolicy.MAX_START_FAILURES, launcher.releases.size(), "one launch per start attempt");
        launcher.releases.forEach((launch, count) -> assertTrue(count.get() >= 1,
                "a launch that could not start is released, so the next worker may keep the archive"));
        awaitNoPoolThread();
    }

    static Integer plusOne(Integer x) {
        return x + 1;
    }

    /** The same call site each time, as a loop submitting a method reference. */
    private static io.github.pool4j.Task<Integer, Integer> plusOneTask() {
        return WorkerGroupLaunchTest::plusOne;
    }

    @Test
    void prepare_taskWithoutFields_isShippedOncePerPool_anyOtherTaskForEachCall() {
        WorkerConfig config = new WorkerConfig(PoolOptions.ofSize(1), List.of(), 0, 0, null, null, null,
                1024 * 1024, 1024 * 1024, "", List.of());
        WorkerGroup group = new WorkerGroup("prepare-test", config, new MissingProgram(dir.resolve("unused")));
        assertSame(group.prepare(plusOneTask()), group.prepare(plusOneTask()), "a method reference is its class");
        int offset = 1;
        io.github.pool4j.Task<Integer, Integer> capturing = x -> x + offset;
        assertNotSame(group.prepare(capturing), group.prepare(capturing), "a task with state travels afresh");
    }

    private static void awaitNoPoolThread() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left;
        while (!(left = poolThreads()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), left, "no pool thread is left");
    }

    private static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("pool4j-process")).toList();
    }
}
