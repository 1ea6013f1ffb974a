package io.github.pool4j.examples;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.github.pool4j.Pool;
import io.github.pool4j.PoolListener;
import io.github.pool4j.hazelcast.HazelcastPool;
import io.github.pool4j.hazelcast.MemberMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Hazelcast cluster started on this machine for {@code say-hello --cluster}: member JVMs
 * ({@link MemberMain}, one executor thread each) on 127.0.0.1 only, and a client in this JVM.
 * Closing it shuts the client down and kills the members; they also exit when this JVM's pipe to
 * them closes, so none outlives the command.
 */
final class LocalMembers implements AutoCloseable {

    /** Only reached when members cannot start. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final List<Process> members = new ArrayList<>();
    private HazelcastInstance client;

    private LocalMembers() {}

    /**
     * Starts {@code count} members and a client, printing how long the cluster took to form.
     *
     * @throws IOException if a member JVM cannot be started
     */
    static LocalMembers start(int count, PrintStream out) throws IOException {
        LocalMembers cluster = new LocalMembers();
        try {
            cluster.startMembers(count, out);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startMembers(int count, PrintStream out) throws IOException {
        long begin = System.nanoTime();
        String clusterName = "pool4j-example-" + UUID.randomUUID();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(MemberMain.LOOPBACK + ":" + freePort());
        }
        for (String address : addresses) {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
            command.addAll(MemberMain.jvmOptions());
            // Hazelcast's own warnings (a member stopping, "Terminating forcefully") are not the example's.
            command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.log.com.hazelcast=error", "-cp", System.getProperty("java.class.path"),
                    MemberMain.class.getName(), "--port", address.substring(address.lastIndexOf(':') + 1),
                    "--members", String.join(",", addresses), "--cluster-name", clusterName, "--threads", "1",
                    "--exit-on-stdin-eof"));
            members.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        for (Process member : members) {
            awaitReady(member, out);
        }
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", "none");
        config.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        addresses.forEach(a -> config.getNetworkConfig().addAddress(a));
        client = HazelcastClient.newHazelcastClient(config);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (client.getCluster().getMembers().size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        out.println("started " + count + " Hazelcast member JVM" + (count == 1 ? "" : "s") + " in "
                + Seconds.short1(Duration.ofNanos(System.nanoTime() - begin)) + " s");
    }

    /** Returns a new pool on this cluster. */
    <T, R> Pool<T, R> pool(PoolListener listener) {
        return HazelcastPool.builder(client).listener(listener).build();
    }

    /** Returns the member JVMs' process ids. */
    List<Long> pids() {
        return members.stream().map(Process::pid).toList();
    }

    @Override
    public void close() {
        if (client != null) {
            client.shutdown();
        }
        members.forEach(Process::destroy);
        for (Process member : members) {
            try {
                if (!member.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    member.destroyForcibly();
                }
            } catch (InterruptedException e) {
                member.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for the member's ready line, then passes on what its tasks print ({@code Hi Kai!}). */
    private static void awaitReady(Process member, PrintStream out) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(member.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("pool4j member ready")) {
                Thread relay = new Thread(() -> {
                    try {
                        String printed;
                        while ((printed = lines.readLine()) != null) {
                            out.println(printed);
                        }
                    } catch (IOException e) {
                        // the member is gone
                    }
                }, "example-member-stdout");
                relay.setDaemon(true);
                relay.start();
                return;
            }
        }
        throw new IllegalStateException("a Hazelcast member JVM exited before it was ready");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
