package io.github.pool4j.process.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the command line of a worker JVM: this JVM's {@code java}, the configured options, the
 * same class path, {@link WorkerMain}; on JDK 19+ an AppCDS archive when the class path allows it.
 *
 * <p>The archive lives in a per-user cache directory ({@code $XDG_CACHE_HOME/pool4j} or
 * {@code ~/.cache/pool4j}, or the {@code pool4j.cacheDir} system property), named by a hash of the
 * JDK, the JVM options and the class path with each jar's size and modification time. One worker
 * at a time per JVM is started with {@code -XX:+AutoCreateSharedArchive}, which writes the archive
 * when it exits if it was missing or unusable; the others only read it. AppCDS refuses class paths
 * that hold non-empty
 * directories (as under {@code mvn test}), so those go without. Failing to create it only costs
 * start-up time.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Launcher {

    private static final Logger log = LoggerFactory.getLogger(Launcher.class);

    /** Archives a live worker of this JVM keeps (validates and rewrites): one keeper each. */
    private static final Set<Path> keepers = ConcurrentHashMap.newKeySet();

    private final List<String> base;
    private final Path archive;

    Launcher(WorkerConfig config) {
        String classPath = System.getProperty("java.class.path", "");
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(config.jvmOptions());
        // Not optional: an OOM must end the worker so it is reported, never leave it half-alive.
        command.add("-XX:+ExitOnOutOfMemoryError");
        // The JVM's own messages (such as the OOM exit) go to stderr, where the pool keeps a tail.
        command.add("-XX:+DisplayVMOutputToStderr");
        this.archive = archivePath(classPath, config.jvmOptions());
        this.base = List.copyOf(command);
    }

    /**
     * A worker's command line.
     *
     * @param command the command
     * @param archiveKeeper whether this worker checks the AppCDS archive and rewrites it at exit if it
     *     is missing or stale; release it with {@link #released} when the worker is gone
     */
    record Launch(List<String> command, boolean archiveKeeper) {}

    /**
     * Returns the full command for one worker. One live worker per JVM and archive runs with
     * {@code -XX:+AutoCreateSharedArchive}, which validates the archive and rewrites it at exit when
     * it is missing, stale or damaged (the JVM replaces the file, so workers mapping the old one are
     * unaffected); the others only read it.
     *
     * @param main the program arguments of {@link WorkerMain}
     * @return the command
     */
    Launch command(List<String> main) {
        List<String> command = new ArrayList<>(base);
        boolean keeper = false;
        if (archive != null) {
            keeper = keepers.add(archive);
            if (keeper) {
                command.add("-XX:+AutoCreateSharedArchive");
            }
            if (keeper || Files.isRegularFile(archive)) {
                command.add("-XX:SharedArchiveFile=" + archive);
                command.add("-Xlog:cds*=off");
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path", ""));
        command.add(WorkerMain.class.getName());
        command.addAll(main);
        return new Launch(command, keeper);
    }

    /** Lets the next worker keep the archive once the keeper is gone. */
    void released(Launch launch) {
        if (launch.archiveKeeper()) {
            keepers.remove(archive);
        }
    }

    static String javaBinary() {
        String home = System.getProperty("java.home");
        Path fromHome = Paths.get(home, "bin", isWindows() ? "java.exe" : "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }

    private static Path archivePath(String classPath, List<String> jvmOptions) {
        if (Runtime.version().feature() < 19 || Boolean.getBoolean("pool4j.noCds")) {
            return null;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, System.getProperty("java.home"));
            update(digest, System.getProperty("java.vm.version"));
            update(digest, String.join(" ", jvmOptions));
            for (String entry : classPath.split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path path = Paths.get(entry);
                if (Files.isDirectory(path)) {
                    try (Stream<Path> files = Files.list(path)) {
                        if (files.findAny().isPresent()) {
                            log.debug("No AppCDS archive: class path directory {} is not empty", path);
                            return null;
                        }
                    }
                }
                update(digest, entry);
                if (Files.isRegularFile(path)) {
                    update(digest, Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis());
                }
            }
            Path dir = cacheDir();
            Files.createDirectories(dir);
            String name = "worker-" + HexFormat.of().formatHex(digest.digest()).substring(0, 24) + ".jsa";
            return dir.resolve(name);
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            log.debug("No AppCDS archive for workers: {}", e.toString());
            return null;
        }
    }

    private static Path cacheDir() {
        String configured = System.getProperty("pool4j.cacheDir");
        if (configured != null) {
            return Paths.get(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path root = xdg != null && !xdg.isEmpty() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return root.resolve("pool4j");
    }

    private static void update(MessageDigest digest, String value) {
        digest.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
