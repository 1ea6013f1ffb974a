package io.github.pool4j.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cluster of real member JVMs ({@link MemberMain}) on 127.0.0.1 for one test class, and a
 * Hazelcast client connected to it: a JUnit extension registered as a static field.
 *
 * <p>Members listen on 127.0.0.1 only and join by explicit addresses; the cluster name is unique per
 * fixture so two test classes never meet. Members exit when this JVM's pipe to them closes, so none
 * outlives the test JVM even if it is killed; {@link #afterAll} kills them and checks none is left.
 */
final class LocalCluster implements BeforeAllCallback, AfterAllCallback {

    /** Bound for the cluster to form or re-form; only matters when something is broken. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Executor threads per member: small, so a 2-core machine runs 3 members. */
    static final int THREADS_PER_MEMBER = 2;

    private final int size;
    private final List<String> extraMemberArgs;
    private final String clusterName = "pool4j-test-" + UUID.randomUUID();
    private final List<Integer> ports = new ArrayList<>();
    private final Process[] members;
    private final long[] pids;
    private HazelcastInstance client;

    LocalCluster(int size, String... extraMemberArgs) {
        this.size = size;
        this.extraMemberArgs = List.of(extraMemberArgs);
        this.members = new Process[size];
        this.pids = new long[size];
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            started.add(start(i));
        }
        for (CompletableFuture<Void> s : started) {
            s.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        client = HazelcastClient.newHazelcastClient(clientConfig());
        awaitMembers(size);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (client != null) {
                client.shutdown();
            }
        } finally {
            for (Process member : members) {
                if (member != null) {
                    member.destroyForcibly();
                }
            }
            for (Process member : members) {
                if (member != null) {
                    try {
                        member.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            awaitEmpty("member JVMs", this::memberProcesses);
        }
    }

    /** The client connected to the cluster, shared by the test class; tests must not shut it down. */
    HazelcastInstance client() {
        return client;
    }

    /** A configuration for another client of this cluster: loopback only, no cloud discovery. */
    ClientConfig clientConfig() {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // Notice a stopped member in seconds, not a minute.
        config.setProperty("hazelcast.client.heartbeat.interval", "1000");
        config.setProperty("hazelcast.client.heartbeat.timeout", "10000");
        config.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        for (int port : ports) {
            config.getNetworkConfig().addAddress(MemberMain.LOOPBACK + ":" + port);
        }
        return config;
    }

    String clusterName() {
        return clusterName;
    }

    List<String> addresses() {
        return ports.stream().map(p -> MemberMain.LOOPBACK + ":" + p).toList();
    }

    /** The pid of member {@code i}. */
    long pid(int i) {
        return pids[i];
    }

    /** The index of the member with process id {@code pid}. */
    int indexOf(long pid) {
        for (int i = 0; i < size; i++) {
            if (pids[i] == pid) {
                return i;
            }
        }
        throw new IllegalArgumentException("no member has pid " + pid);
    }

    /** The address of member {@code i}, as {@code 127.0.0.1:port}. */
    String address(int i) {
        return MemberMain.LOOPBACK + ":" + ports.get(i);
    }

    /** Kills member {@code i} with SIGKILL and waits for its process to end. */
    void kill(int i) throws InterruptedException {
        members[i].destroyForcibly();
        members[i].waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends a signal (such as {@code STOP} or {@code CONT}) to member {@code i}. */
    void signal(int i, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pids[i])).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    /** Starts every member that is not running again and waits until the cluster has them all. */
    void heal() throws Exception {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (!members[i].isAlive()) {
                started.add(start(i));
            }
        }
        for (CompletableFuture<Void> s : started) {
            s.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        awaitMembers(size);
    }

    /** Waits until the shared client sees {@code n} members and is connected to each of them. */
    void awaitMembers(int n) {
        await("a cluster of " + n + " members", () -> client.getCluster().getMembers().size() == n);
        String uuid = client.getLocalEndpoint().getUuid().toString();
        var executor = client.getExecutorService("pool4j-test-probe");
        await("the client connected to every member", () -> client.getCluster().getMembers().stream().allMatch(m -> {
            try {
                return executor.submitToMember(new ConnectedProbe(uuid), m).get();
            } catch (Exception e) {
                return false;
            }
        }));
    }

    /** Member JVMs of this cluster still running, as pids. */
    List<Long> memberProcesses() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(clusterName))
                .map(ProcessHandle::pid)
                .toList();
    }

    /** The command that starts a JVM with this JVM's class path and Hazelcast's flags. */
    static List<String> javaCommand(String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(MemberMain.jvmOptions());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }

    private CompletableFuture<Void> start(int i) throws IOException {
        List<String> command = javaCommand(MemberMain.class.getName());
        command.addAll(List.of("--port", Integer.toString(ports.get(i)), "--members", String.join(",", addresses()),
                "--cluster-name", clusterName, "--threads", Integer.toString(THREADS_PER_MEMBER),
                "--exit-on-stdin-eof"));
        command.addAll(extraMemberArgs);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        members[i] = process;
        pids[i] = process.pid();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("pool4j member ready")) {
                        ready.complete(null);
                    } else {
                        System.out.println("[member " + i + "] " + line); // what tasks print on the member
                    }
                }
                ready.completeExceptionally(new IllegalStateException("member " + i + " exited before it was ready"));
            } catch (IOException e) {
                ready.completeExceptionally(new UncheckedIOException(e));
            }
        }, "test-member-" + i + "-stdout");
        reader.setDaemon(true);
        reader.start();
        return ready;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits up to {@link #PATIENCE} for {@code condition}, polling an external state (processes, membership). */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static <E> void awaitEmpty(String what, Supplier<List<E>> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<E> left = probe.get();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = probe.get();
        }
        assertEquals(List.of(), left, what + " left behind");
    }
}
