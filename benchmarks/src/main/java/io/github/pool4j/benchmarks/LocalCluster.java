package io.github.pool4j.benchmarks;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.github.pool4j.Pool;
import io.github.pool4j.hazelcast.HazelcastPool;
import io.github.pool4j.hazelcast.MemberMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Hazelcast cluster of {@link #MEMBERS} member JVMs ({@link MemberMain}) on 127.0.0.1 for the
 * {@code HazelcastPool} scenarios, started on first use, with a client in this JVM; stopped when
 * this JVM exits. Members listen on loopback only, join by explicit addresses, and exit when this
 * JVM's pipe to them closes.
 */
final class LocalCluster {

    /** Members, as in the post's {@code Pool(3)}. */
    static final int MEMBERS = 3;

    /** Executor threads per member: one, so 3 members use the cores as a {@code ProcessPool(3)} does. */
    static final int THREADS_PER_MEMBER = 1;

    private static final long READY_TIMEOUT_SECONDS = 120;

    private static HazelcastInstance client;
    private static final List<Process> members = new ArrayList<>();

    private LocalCluster() {}

    /** Returns a new {@code HazelcastPool} on the shared cluster, starting the cluster first if needed. */
    static synchronized <T, R> Pool<T, R> pool() {
        if (client == null) {
            start();
        }
        return HazelcastPool.create(client);
    }

    /** Shuts the client down and stops the members, if they were started. */
    static synchronized void stop() {
        if (client != null) {
            client.shutdown();
            client = null;
        }
        members.forEach(Process::destroyForcibly);
        members.clear();
    }

    private static void start() {
        String clusterName = "pool4j-bench-" + UUID.randomUUID();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            addresses.add(MemberMain.LOOPBACK + ":" + freePort());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> members.forEach(Process::destroyForcibly)));
        try {
            for (String address : addresses) {
                List<String> command = new ArrayList<>();
                command.add(JavaSide.javaBinary());
                command.addAll(MemberMain.jvmOptions());
                command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"),
                        MemberMain.class.getName(), "--port", address.substring(address.lastIndexOf(':') + 1),
                        "--members", String.join(",", addresses), "--cluster-name", clusterName,
                        "--threads", Integer.toString(THREADS_PER_MEMBER), "--exit-on-stdin-eof"));
                members.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
            }
            for (Process member : members) {
                awaitReady(member);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", "none");
        config.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        addresses.forEach(a -> config.getNetworkConfig().addAddress(a));
        client = HazelcastClient.newHazelcastClient(config);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        while (client.getCluster().getMembers().size() < MEMBERS && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static void awaitReady(Process member) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(member.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("pool4j member ready")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard what tasks print on the member
                        }
                    } catch (IOException e) {
                        // the member is gone
                    }
                }, "bench-member-stdout");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IllegalStateException("a Hazelcast member exited before it was ready");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
