package io.github.pool4j.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import io.github.pool4j.Pool;
import io.github.pool4j.TaskResult;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.hazelcast.ClusterTasks.Marker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of a real cluster: members killed or stopped mid-map, the client parent killed, values
 * that cannot travel. Members notice a stopped member after 10 s here (heartbeat settings); each
 * test leaves the cluster whole again.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FaultsTest {

    @RegisterExtension
    static final LocalCluster cluster = new LocalCluster(3, "--heartbeat-seconds", "1", "--max-no-heartbeat-seconds", "10");

    @TempDir
    Path dir;

    private final List<Pool<?, ?>> pools = new ArrayList<>();

    @AfterEach
    void terminatePoolsAndHealTheCluster() throws Exception {
        pools.forEach(Pool::terminate);
        LocalCluster.awaitEmpty("pool threads", FaultsTest::poolThreads);
        cluster.heal();
    }

    private <T, R> Pool<T, R> open(HazelcastPool.Builder builder) {
        Pool<T, R> pool = builder.build();
        pools.add(pool);
        return pool;
    }

    @Test
    void map_memberKilledMidMap_everyResultCorrectWithDefaultRetries() throws Exception {
        Pool<Marker, Integer> pool = open(HazelcastPool.builder(cluster.client()).chunkSize(2));
        List<Marker> inputs = markers(60);
        CompletableFuture<List<Integer>> results = pool.mapAsync(ClusterTasks::markAndWait, inputs);
        LocalCluster.await("inputs running on every member", () -> startedPids().size() == 3);
        int victim = cluster.indexOf(startedPids().get(0));
        cluster.kill(victim);
        Files.writeString(dir.resolve("gate"), "open");
        assertEquals(expected(60), results.get(LocalCluster.PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, pool.stats().failed());
        assertTrue(pool.stats().retried() > 0, "the killed member's inputs ran again: " + pool.stats());
    }

    @Test
    void map_memberKilledWithRetries0_itsInputsFailWithWorkerCrashedExceptionNamingIt() throws Exception {
        Pool<Marker, Integer> pool = open(HazelcastPool.builder(cluster.client()).chunkSize(1).retries(0));
        int count = 3 * LocalCluster.THREADS_PER_MEMBER; // one running input per executor thread
        CompletableFuture<List<TaskResult<Integer>>> results =
                CompletableFuture.supplyAsync(() -> pool.mapResults(ClusterTasks::markAndWait, markers(count)));
        LocalCluster.await("every input running", () -> startedCount() == count);
        List<Long> ranOn = IntStream.range(0, count).mapToObj(this::pidOf).toList();
        long victimPid = ranOn.get(0);
        int victim = cluster.indexOf(victimPid);
        cluster.kill(victim);
        Files.writeString(dir.resolve("gate"), "open");
        List<TaskResult<Integer>> outcomes = results.get(LocalCluster.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        int lost = 0;
        for (int i = 0; i < count; i++) {
            TaskResult<Integer> outcome = outcomes.get(i);
            if (ranOn.get(i) == victimPid) {
                lost++;
                WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, outcome.failure(), "input " + i);
                assertEquals(i, e.inputIndex());
                assertEquals(victimPid, e.pid());
                assertEquals("member " + cluster.address(victim) + " (pid " + victimPid + ")", e.worker());
                assertTrue(e.getMessage().contains("member " + cluster.address(victim) + " (pid " + victimPid + ")"),
                        e.getMessage());
            } else if (outcome.failure() != null) {
                // Its call travelled through the killed member's connection (a client routes a call
                // through another member while it has no connection of its own to the target):
                // with retries(0) it is reported lost, not run again.
                assertInstanceOf(WorkerCrashedException.class, outcome.failure(), "input " + i);
            } else {
                assertEquals(i * 10, outcome.value(), "input " + i);
            }
        }
        assertTrue(lost > 0, "the killed member held inputs");
        // With retries(0) no input ran twice: each started file still names the member that ran it first.
        assertEquals(ranOn, IntStream.range(0, count).mapToObj(this::pidOf).toList());
    }

    @Test
    void map_memberStopped_itsInputsRunElsewhereOnceTheClusterDeclaresItDead() throws Exception {
        Pool<Marker, Integer> pool = open(HazelcastPool.builder(cluster.client()).chunkSize(1));
        int count = 3 * LocalCluster.THREADS_PER_MEMBER;
        CompletableFuture<List<Integer>> results = pool.mapAsync(ClusterTasks::markAndWait, markers(count));
        LocalCluster.await("every input running", () -> startedCount() == count);
        int victim = cluster.indexOf(pidOf(0));
        cluster.signal(victim, "STOP");
        try {
            Files.writeString(dir.resolve("gate"), "open");
            assertEquals(expected(count), results.get(LocalCluster.PATIENCE.toSeconds(), TimeUnit.SECONDS));
        } finally {
            cluster.kill(victim); // SIGKILL ends a stopped process too
        }
    }

    @Test
    void clientParentKilled_membersStayHealthyAndANewClientMaps() throws Exception {
        List<String> command = LocalCluster.javaCommand(ClientParent.class.getName());
        command.add(cluster.clusterName());
        command.addAll(cluster.addresses());
        Process parent = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("mapping")) {
                // skip
            }
            assertEquals("mapping", line, "the client parent started its map");
            parent.destroyForcibly();
            assertTrue(parent.waitFor(LocalCluster.PATIENCE.toSeconds(), TimeUnit.SECONDS));
        } finally {
            parent.destroyForcibly();
        }
        HazelcastInstance fresh = HazelcastClient.newHazelcastClient(cluster.clientConfig());
        try {
            assertEquals(3, fresh.getCluster().getMembers().size());
            Pool<Integer, Integer> pool = open(HazelcastPool.builder(fresh));
            List<Integer> zeros = java.util.Collections.nCopies(1_000, 0);
            assertEquals(zeros, pool.map(ClusterTasks::sleep, zeros));
            pool.close();
        } finally {
            fresh.shutdown();
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(ProcessHandle.of(cluster.pid(i)).map(ProcessHandle::isAlive).orElse(false), "member " + i);
        }
    }

    @Test
    void map_inputOrResultThatCannotTravel_failsThatInputWithTaskSerializationException() {
        Pool<Object, Object> pool = open(HazelcastPool.builder(cluster.client()));
        List<TaskResult<Object>> outcomes = pool.mapResults(ClusterTasks::describe,
                Arrays.asList(1, new ClusterTasks.Unwritable(2), 3));
        assertEquals("#1", outcomes.get(0).value());
        TaskSerializationException input = assertInstanceOf(TaskSerializationException.class, outcomes.get(1).failure());
        assertEquals(TaskSerializationException.Subject.INPUT, input.what());
        assertEquals(1, input.inputIndex());
        assertEquals("#3", outcomes.get(2).value());

        Pool<Integer, Object> results = pool.typed();
        List<TaskResult<Object>> written = results.mapResults(ClusterTasks::unwritableAt1, List.of(0, 1, 2));
        assertEquals(0, written.get(0).value());
        TaskSerializationException result = assertInstanceOf(TaskSerializationException.class, written.get(1).failure());
        assertEquals(TaskSerializationException.Subject.RESULT, result.what());
        assertEquals(1, result.inputIndex());
        assertEquals(2, written.get(2).value());
        assertFalse(pool.isClosed());
    }

    // ---- helpers -----------------------------------------------------------------------

    private List<Marker> markers(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Marker(dir.toString(), i)).toList();
    }

    private static List<Integer> expected(int n) {
        return IntStream.range(0, n).map(i -> i * 10).boxed().toList();
    }

    private long startedCount() {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("started-")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The distinct pids of the members that started inputs, in the order of the inputs. */
    private List<Long> startedPids() {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("started-"))
                    .map(FaultsTest::read).filter(s -> !s.isEmpty()).map(Long::parseLong).distinct().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long pidOf(int input) {
        return Long.parseLong(read(dir.resolve("started-" + input)));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("pool4j-hazelcast")).toList();
    }
}
