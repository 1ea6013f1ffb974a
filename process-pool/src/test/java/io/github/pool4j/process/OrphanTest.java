package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrphanTest {

    private static List<Long> startParent(String mode, Process[] holder) throws Exception {
        Process parent = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), OrphanParent.class.getName(), mode)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        holder[0] = parent;
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("PIDS ")) {
            // skip anything else the parent prints
        }
        assertTrue(line != null, "the parent printed no worker pids");
        return Arrays.stream(line.substring(5).trim().split(" ")).map(Long::parseLong).toList();
    }

    private static long alive(List<Long> pids) {
        return pids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).count();
    }

    @Test
    void parentKilledWithSigkill_workersExitWithinFiveSeconds() throws Exception {
        Process[] parent = new Process[1];
        List<Long> workers = startParent("kill", parent);
        assertEquals(2, workers.size());
        assertEquals(2, alive(workers));
        parent[0].destroyForcibly(); // SIGKILL: no shutdown hook runs
        parent[0].waitFor();
        long killed = System.nanoTime();
        Leftovers.await("orphaned workers to exit", () -> alive(workers) == 0);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertTrue(millis < 5000, "workers outlived their parent by " + millis + " ms");
    }

    @Test
    void parentExitsWithoutClosingPool_shutdownHookKillsWorkers() throws Exception {
        Process[] parent = new Process[1];
        List<Long> workers = startParent("exit", parent);
        assertTrue(parent[0].waitFor(30, TimeUnit.SECONDS));
        Leftovers.await("workers to exit", () -> alive(workers) == 0);
    }
}
