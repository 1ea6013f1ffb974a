package io.github.pool4j.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts a Hazelcast member that can run a {@link HazelcastPool}'s tasks: the pool4j jars, Hazelcast
 * and the user's jars on its class path, nothing else to install.
 *
 * <pre>{@code
 * java --add-opens java.base/java.lang=ALL-UNNAMED ... \   # see jvmOptions()
 *      -cp 'pool4j-hazelcast.jar:pool4j-codec.jar:pool4j-core.jar:jackson-*.jar:slf4j-api.jar:hazelcast.jar:my-tasks.jar' \
 *      io.github.pool4j.hazelcast.MemberMain --port 5701 --members 127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703
 * }</pre>
 *
 * <p>Options: {@code --port N} (default {@value #DEFAULT_PORT}), {@code --members host:port,...}
 * (the members to join, explicit addresses; default this member alone), {@code --bind ADDRESS} (the
 * address to listen on, default {@value #LOOPBACK}), {@code --cluster-name NAME} (default
 * {@value #DEFAULT_CLUSTER_NAME}), {@code --threads N} (executor threads, default the available
 * processors), {@code --executor NAME} (default {@value HazelcastPool#DEFAULT_EXECUTOR_NAME}),
 * {@code --heartbeat-seconds N} and {@code --max-no-heartbeat-seconds N} (how soon a stopped member
 * is declared dead; Hazelcast's defaults 5 and 60), {@code --exit-on-stdin-eof} (stop when standard
 * input closes: a member that must not outlive the process that started it).
 *
 * <p>The member is configured to talk only to the addresses it is given: TCP-IP join with the
 * explicit member list, multicast and cloud auto-detection off, phone-home off, logging through
 * slf4j, a short join timeout. It has no TLS and no authentication (Hazelcast's open-source edition):
 * run it on a trusted network only. When it is ready it prints one line,
 * {@code pool4j member ready <host:port> pid <pid>}, to standard output.
 *
 * <p>Thread-safety: a program entry point; {@link #config} is stateless and thread-safe.
 */
public final class MemberMain {

    /** The port a member listens on by default. */
    public static final int DEFAULT_PORT = 5701;

    /** The address a member listens on by default. */
    public static final String LOOPBACK = "127.0.0.1";

    /** The cluster name members and clients use by default. */
    public static final String DEFAULT_CLUSTER_NAME = "pool4j";

    /** How long a member tries to reach the others when joining; Hazelcast's default is 5 s. */
    private static final int JOIN_CONNECTION_TIMEOUT_SECONDS = 1;

    /** How long a member waits for others before it forms the cluster; Hazelcast's default is 5 s. */
    private static final int WAIT_SECONDS_BEFORE_JOIN = 1;

    private MemberMain() {}

    /**
     * Returns the JVM options Hazelcast asks for on this JDK, to put before {@code -cp} when starting
     * a member JVM: the module exports and opens it uses (it works without them, but warns and runs
     * slower) and, on JDK 23 and later, permission to use {@code sun.misc.Unsafe}'s memory access.
     *
     * @return the options, an unmodifiable list
     */
    public static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of(
                "--add-modules", "java.se",
                "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return List.copyOf(options);
    }

    /**
     * Starts a member and keeps it running until the JVM stops (or standard input closes, with
     * {@code --exit-on-stdin-eof}).
     *
     * @param args the options (see the class documentation)
     * @throws IOException if standard input cannot be read with {@code --exit-on-stdin-eof}
     * @throws IllegalArgumentException if an option is unknown or its value is not valid
     */
    public static void main(String[] args) throws IOException {
        int port = DEFAULT_PORT;
        String bind = LOOPBACK;
        List<String> members = new ArrayList<>();
        String clusterName = DEFAULT_CLUSTER_NAME;
        String executor = HazelcastPool.DEFAULT_EXECUTOR_NAME;
        int threads = Runtime.getRuntime().availableProcessors();
        int heartbeat = 0;
        int maxNoHeartbeat = 0;
        boolean exitOnEof = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                case "--bind" -> bind = value(args, ++i);
                case "--members" -> members.addAll(Arrays.asList(value(args, ++i).split(",")));
                case "--cluster-name" -> clusterName = value(args, ++i);
                case "--executor" -> executor = value(args, ++i);
                case "--threads" -> threads = Integer.parseInt(value(args, ++i));
                case "--heartbeat-seconds" -> heartbeat = Integer.parseInt(value(args, ++i));
                case "--max-no-heartbeat-seconds" -> maxNoHeartbeat = Integer.parseInt(value(args, ++i));
                case "--exit-on-stdin-eof" -> exitOnEof = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (members.isEmpty()) {
            members.add(bind + ":" + port);
        }
        Config config = config(clusterName, bind, port, members, executor, threads);
        if (heartbeat > 0) {
            config.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(heartbeat));
        }
        if (maxNoHeartbeat > 0) {
            config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(maxNoHeartbeat));
        }
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        var address = member.getCluster().getLocalMember().getAddress();
        System.out.println("pool4j member ready " + address.getHost() + ":" + address.getPort()
                + " pid " + ProcessHandle.current().pid());
        System.out.flush();
        if (exitOnEof) {
            InputStream in = System.in;
            while (in.read() >= 0) {
                // Nothing is read from standard input; it only tells when the starter is gone.
            }
            member.getLifecycleService().terminate();
            System.exit(0);
        }
    }

    /**
     * Returns the configuration of a member that talks only to the addresses it is given: it listens
     * on {@code bind:port} only, joins through TCP-IP with the explicit {@code members}, with
     * multicast, cloud auto-detection and phone-home off and logging through slf4j.
     *
     * @param clusterName the cluster's name
     * @param bind the address to listen on, such as {@value #LOOPBACK}
     * @param port the port to listen on
     * @param members the members to join, as {@code host:port} (no port ranges)
     * @param executorName the executor a {@link HazelcastPool} uses
     * @param threads that executor's threads, at least 1
     * @return a new configuration
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Config config(String clusterName, String bind, int port, List<String> members, String executorName,
            int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", Integer.toString(WAIT_SECONDS_BEFORE_JOIN));
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        // Hazelcast's shutdown hook would terminate the member abruptly; a stopping JVM lets it leave.
        config.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        config.getJetConfig().setEnabled(false);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(bind);
        network.setPublicAddress(bind + ":" + port);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members)
                .setConnectionTimeoutSeconds(JOIN_CONNECTION_TIMEOUT_SECONDS);
        config.getExecutorConfig(executorName).setPoolSize(threads);
        return config;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
