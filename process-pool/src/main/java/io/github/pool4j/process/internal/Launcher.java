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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the command line of a worker JVM: this JVM's {@code java}, the options that let workers share
 * their CDS archives' pages ({@link #sharingOptions}) and compile the protocol's code early
 * ({@link #HOT_PATH_OPTIONS}), the configured options (which win over those),
 * the same class path, {@link WorkerMain}; on JDK 13+ an AppCDS archive when the class path allows it.
 * Outside Windows the JVM is started through a {@code /bin/sh} exec wrapper ({@link #WRAPPER}) that
 * makes the protocol channel private before any Java code runs (see {@link WorkerIo}); it execs
 * the JVM, so the worker's pid, {@code ps} row and {@code /proc} entry are the JVM's.
 *
 * <p>The archive lives in a per-user cache directory ({@link ArchiveCache}, which also decides
 * which worker keeps it and publishes it), named by a hash of the JDK (and its default CDS
 * archive), the JVM options and the class path with each jar's size and modification time, so a
 * changed class path, JDK or option list gets an archive of its own. The worker that keeps it:
 * <ul>
 *   <li>JDK 19+: runs with {@code -XX:+AutoCreateSharedArchive}, which validates the archive and
 *       rewrites it at exit if it is missing or unusable; the others only read it.
 *   <li>JDK 13–18: while no archive is published, runs with {@code -XX:ArchiveClassesAtExit} into a
 *       private temporary file, published once it has exited. Once one is published every worker
 *       maps it with {@code -XX:SharedArchiveFile}.
 * </ul>
 * AppCDS refuses class paths that hold non-empty directories (as under {@code mvn test}), and JDK
 * 13–18 refuse to start at all with {@code -XX:ArchiveClassesAtExit} when their default CDS archive
 * is not mapped, so options that turn CDS off go without. Failing to create an archive only costs
 * start-up time.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Launcher implements WorkerLauncher {

    private static final Logger log = LoggerFactory.getLogger(Launcher.class);

    /**
     * The exec wrapper: the protocol pipes (stdin, stdout) move to fds 3 and 4, fd 0 reads
     * {@code /dev/null}, fd 1 goes to the file named by {@code $1} (the worker's output FIFO), then
     * the JVM replaces the shell. Plain redirections only: no command runs but the JVM. A failed
     * redirection ends the shell with a message on stderr, which the pool reports.
     */
    static final String WRAPPER = "exec 3<&0 4>&1 0</dev/null 1>\"$1\"; shift; exec \"$@\"";
    /** The wrapper where no FIFO could be made: fd 1 goes to the worker's stderr. */
    static final String WRAPPER_TO_STDERR = "exec 3<&0 4>&1 0</dev/null 1>&2; shift; exec \"$@\"";
    /** Tells {@link WorkerMain} its protocol is on fds 3 and 4; the value is its FIFOs' directory, or empty. */
    static final String CHANNEL_PROPERTY = "pool4j.worker.channel";
    /**
     * Tells {@link WorkerMain} that its JVM may write its loaded classes into an archive at exit,
     * so that it loads the classes other workers' values need first: {@value #NEW_ARCHIVE} if it
     * will, else the file name of the archive it writes again only if it could not map it.
     */
    static final String ARCHIVE_WRITER_PROPERTY = "pool4j.worker.writesArchive";
    /** {@link #ARCHIVE_WRITER_PROPERTY}'s value for a JVM that writes an archive at exit. */
    static final String NEW_ARCHIVE = "new";
    /** The wrapped JVM's name in the shell's {@code $0}, shown by {@code ps} until the exec. */
    private static final String WRAPPER_NAME = "pool4j-worker";

    /** How a worker gets its AppCDS archive. */
    enum Mode {
        /** No archive. */
        NONE,
        /** JDK 19+: {@code -XX:+AutoCreateSharedArchive}, the JVM keeps the file itself. */
        AUTO,
        /** JDK 13–18: {@code -XX:ArchiveClassesAtExit} once, then {@code -XX:SharedArchiveFile}. */
        AT_EXIT
    }

    private final List<String> base;
    private final String classPath;
    private final Mode mode;
    /** JDK 19+: the archive; JDK 13–18: the name prefix of the published archives ({@code worker-<hash>-}). */
    private final Path archive;
    private final ArchiveCache cache;

    /** Creates the launcher of a pool's workers, with this JVM's archive cache. */
    Launcher(WorkerConfig config) {
        this(config.jvmOptions(), config.classPath(), ArchiveCache.of(null));
    }

    /**
     * Creates a launcher of workers with these options and class path whose archives go to {@code cache}.
     *
     * @param configuredOptions the worker JVM options
     * @param classPath the workers' class path
     * @param cache where archives go
     */
    Launcher(List<String> configuredOptions, String classPath, ArchiveCache cache) {
        List<String> inherited = environmentOptions(System.getenv());
        List<String> jvmOptions = oneCollector(configuredOptions, inherited);
        // What the worker's JVM reads in all: the options and what its environment adds.
        List<String> everything = new ArrayList<>(jvmOptions);
        everything.addAll(inherited);
        int feature = Runtime.version().feature();
        Mode wanted = mode(feature, everything);
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        // Before the configured options, so that one of theirs setting the same flag wins.
        command.addAll(sharingOptions(feature, wanted));
        command.addAll(HOT_PATH_OPTIONS);
        command.addAll(heapRatioOptions(everything));
        command.addAll(jvmOptions);
        // Not optional: an OOM must end the worker so it is reported, never leave it half-alive.
        command.add("-XX:+ExitOnOutOfMemoryError");
        // The JVM's own messages (such as the OOM exit) go to stderr, where the pool keeps a tail.
        command.add("-XX:+DisplayVMOutputToStderr");
        this.classPath = classPath;
        this.cache = cache;
        this.archive = wanted == Mode.NONE ? null : archivePath(classPath, jvmOptions, cache.dir(), wanted);
        this.mode = archive == null ? Mode.NONE : wanted;
        if (mode != Mode.NONE) {
            Path current = mode == Mode.AT_EXIT ? cache.published(archive) : archive;
            if (current != null) {
                cache.used(current);
            }
        }
        this.base = List.copyOf(command);
    }

    /**
     * A worker's command line.
     *
     * @param command the command
     * @param archiveKeeper whether this worker keeps the AppCDS archive: on JDK 19+ it checks it and
     *     rewrites it at exit if it is missing or stale; on JDK 13–18 it dumps one into {@code dump}
     *     at exit. Release it with {@link #released} when the worker is gone.
     * @param dump where a JDK 13–18 keeper dumps its archive, or null
     * @param done set once the launch was released, so releasing twice is harmless
     */
    record Launch(List<String> command, boolean archiveKeeper, Path dump, AtomicBoolean done) {}

    /**
     * Returns the full command for one worker whose plain output goes to {@code io}: see the class
     * description for the wrapper and the archive it gets.
     */
    @Override
    public Launch command(List<String> main, WorkerIo io) {
        List<String> command = new ArrayList<>();
        boolean wrapped = wrapped();
        Path rawOut = io == null ? null : io.outPath();
        if (wrapped) {
            command.addAll(List.of(SHELL, "-c", rawOut == null ? WRAPPER_TO_STDERR : WRAPPER, WRAPPER_NAME,
                    rawOut == null ? "-" : rawOut.toString()));
        }
        command.addAll(base);
        if (wrapped) {
            command.add("-D" + CHANNEL_PROPERTY + "=" + (io == null || io.dir == null ? "" : io.dir));
        }
        boolean keeper = false;
        Path dump = null;
        if (mode == Mode.AUTO) {
            keeper = cache.keep(archive);
            if (keeper) {
                command.add("-XX:+AutoCreateSharedArchive");
                command.add("-D" + ARCHIVE_WRITER_PROPERTY + "="
                        + (Files.isRegularFile(archive) ? archive.getFileName() : NEW_ARCHIVE));
            }
            if (keeper || Files.isRegularFile(archive)) {
                command.add("-XX:SharedArchiveFile=" + archive);
                command.add("-Xlog:cds*=off");
            }
        } else if (mode == Mode.AT_EXIT) {
            Path published = cache.published(archive);
            if (published != null) {
                command.add("-XX:SharedArchiveFile=" + published);
                command.add("-Xlog:cds*=off");
            } else {
                dump = cache.dumpFile(archive);
                keeper = dump != null;
                if (keeper) {
                    command.add("-D" + ARCHIVE_WRITER_PROPERTY + "=" + NEW_ARCHIVE);
                    command.add("-XX:ArchiveClassesAtExit=" + dump);
                    command.add("-Xlog:cds*=off");
                }
            }
        }
        command.add("-cp");
        command.add(classPath);
        command.add(WorkerMain.class.getName());
        command.addAll(main);
        return new Launch(List.copyOf(command), keeper, dump, new AtomicBoolean());
    }

    /**
     * Called once the worker of {@code launch} has exited (a second call does nothing): the cache
     * publishes a JDK 13–18 keeper's dump, and the next worker may keep the archive.
     */
    @Override
    public void released(Launch launch) {
        if (launch.archiveKeeper() && launch.done().compareAndSet(false, true)) {
            cache.released(archive, launch.dump());
        }
    }

    /** The shell of the exec wrapper. */
    private static final String SHELL = "/bin/sh";

    /** Whether workers start through the exec wrapper: everywhere but Windows (or without {@code /bin/sh}). */
    static boolean wrapped() {
        return WRAPPED;
    }

    private static final boolean WRAPPED = !isWindows() && Files.isExecutable(Paths.get(SHELL));

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

    /**
     * The options that make a worker map its CDS archives (the JDK's and pool4j's) at the address they
     * were written for, as JDKs did before relocating them by default: a relocated archive has its
     * pointers rewritten in every page the JVM touches, so each worker holds a private copy of most of
     * it, while an archive mapped in place stays clean file pages that all workers share. This gives up
     * the random placement of the archive (a hardening, not a boundary: workers run only code the parent
     * sends); {@code -XX:ArchiveRelocationMode=1} among the configured options brings it back. Where the
     * archive's address is taken, the JVM relocates it all the same.
     *
     * <p>{@code -XX:ArchiveRelocationMode} is a diagnostic flag, which a JDK may drop without notice, and
     * a JVM refuses to start with a flag it does not know: so only JDKs from
     * {@value #FIRST_RELOCATION_MODE_FEATURE} (where it came) to {@value #LAST_CHECKED_RELOCATION_MODE_FEATURE}
     * (the newest checked) get it, and only where CDS is on.
     *
     * @param feature the workers' JDK feature version
     * @param mode how the workers get pool4j's archive ({@link Mode#NONE} where the options turn CDS off
     *     or set it up themselves)
     * @return the options, to go before the configured ones
     */
    static List<String> sharingOptions(int feature, Mode mode) {
        return mode != Mode.NONE && feature >= FIRST_RELOCATION_MODE_FEATURE
                && feature <= LAST_CHECKED_RELOCATION_MODE_FEATURE ? MAP_ARCHIVES_IN_PLACE : List.of();
    }

    /** See {@link #sharingOptions}. */
    static final List<String> MAP_ARCHIVES_IN_PLACE = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0");
    /** The first JDK with {@code -XX:ArchiveRelocationMode}. */
    static final int FIRST_RELOCATION_MODE_FEATURE = 14;
    /** The newest JDK on which {@code -XX:ArchiveRelocationMode=0} was checked. */
    static final int LAST_CHECKED_RELOCATION_MODE_FEATURE = 25;

    /**
     * The options that make a worker compile pool4j's and Jackson's code after a tenth of the calls the
     * JIT waits for by default (and a fiftieth of what the default {@code -XX:CompileThresholdScaling=5}
     * leaves): every call and every value crosses those few hundred methods, so a worker's first
     * thousands of calls run them compiled instead of interpreted, while the start-up code of the JDK
     * and of the task still compiles as late as the configured options say. A configured command for
     * the same methods comes later on the command line, and the JVM takes the last one. {@code quiet}
     * keeps the JVM from announcing each command on the worker's output.
     */
    static final List<String> HOT_PATH_OPTIONS = List.of("-XX:CompileCommand=quiet",
            "-XX:CompileCommand=CompileThresholdScaling,io.github.pool4j.*::*,0.1",
            "-XX:CompileCommand=CompileThresholdScaling,tools.jackson.*::*,0.1");

    /**
     * The heap-sizing options a worker gets unless its options set either ratio: after a full
     * collection the heap grows until 60% of it is free and shrinks only past 90% (the JVM's defaults
     * are 40% and 70%). With the defaults, a JDK 17 worker whose values are each about a megabyte
     * (more than its young generation) shrank its heap back after every full collection and
     * collected again a few values later: a full collection per round trip of a 1 MB {@code String},
     * a third of the worker's time. (JDK 25's serial collector grows the old generation without a
     * full collection there, and gains nothing.) A configured ratio drops both, since a JVM refuses
     * a minimum above the maximum.
     */
    static final List<String> HEAP_RATIO_OPTIONS = List.of("-XX:MinHeapFreeRatio=60", "-XX:MaxHeapFreeRatio=90");

    /** Matches an option that selects a garbage collector. */
    private static final java.util.regex.Pattern COLLECTOR = java.util.regex.Pattern.compile(
            "-XX:\\+Use(Serial|Parallel|ParallelOld|G1|Z|Shenandoah|Epsilon|ConcMarkSweep)GC");

    /**
     * Returns {@code jvmOptions} with at most one collector selection ({@code -XX:+UseSerialGC},
     * {@code -XX:+UseG1GC}, ...): the JVM takes the last value of other flags, but refuses to start
     * with two collectors ("Multiple garbage collectors selected"), and
     * {@code addJvmOptions("-XX:+UseG1GC")} adds a second one to the defaults' serial collector. The
     * last one wins; none is kept if the options the worker gets from its environment
     * ({@code environmentOptions}, which the JVM reads first) choose one, as containers often do
     * in {@code JAVA_TOOL_OPTIONS}.
     */
    static List<String> oneCollector(List<String> jvmOptions, List<String> environmentOptions) {
        int last = -1;
        for (int i = 0; i < jvmOptions.size(); i++) {
            if (COLLECTOR.matcher(jvmOptions.get(i)).matches()) {
                last = i;
            }
        }
        for (String option : environmentOptions) {
            if (COLLECTOR.matcher(option).matches()) {
                last = -1;
            }
        }
        List<String> kept = new ArrayList<>(jvmOptions.size());
        for (int i = 0; i < jvmOptions.size(); i++) {
            if (i == last || !COLLECTOR.matcher(jvmOptions.get(i)).matches()) {
                kept.add(jvmOptions.get(i));
            }
        }
        return kept;
    }

    /** {@link #HEAP_RATIO_OPTIONS}, or none if {@code jvmOptions} set either ratio. */
    static List<String> heapRatioOptions(List<String> jvmOptions) {
        for (String option : jvmOptions) {
            if (option.startsWith("-XX:MinHeapFreeRatio=") || option.startsWith("-XX:MaxHeapFreeRatio=")) {
                return List.of();
            }
        }
        return HEAP_RATIO_OPTIONS;
    }

    /**
     * Returns the options a worker gets from the environment it inherits from this JVM:
     * {@code JDK_JAVA_OPTIONS} (read by the {@code java} launcher) and {@code JAVA_TOOL_OPTIONS}
     * (read by the JVM), where containers and APM installers put agents and collectors.
     */
    static List<String> environmentOptions(Map<String, String> environment) {
        List<String> all = new ArrayList<>();
        for (String variable : List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS")) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                all.addAll(Arrays.asList(value.trim().split("\\s+")));
            }
        }
        return all;
    }

    /** How workers of a JDK of this feature version started with these options get their archive. */
    static Mode mode(int feature, List<String> jvmOptions) {
        if (feature < 13 || Boolean.getBoolean("pool4j.noCds")) {
            return Mode.NONE;
        }
        for (String option : jvmOptions) {
            // The user chose their own CDS setup, or one in which no archive maps (a JDK 13–18 worker
            // asked to dump would not even start).
            if (option.equals("-Xshare:off") || option.equals("-Xshare:dump")
                    || option.equals("-XX:-UseCompressedClassPointers")
                    || option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:ArchiveClassesAtExit")
                    || option.contains("AutoCreateSharedArchive")) {
                return Mode.NONE;
            }
            // An agent (a debugger's jdwp, a profiler, an APM's Java agent): a JVM asked to dump an
            // archive with one says "Error occurred during CDS dumping" and exits at once.
            if (option.startsWith("-agentlib:") || option.startsWith("-agentpath:") || option.startsWith("-javaagent:")) {
                return Mode.NONE;
            }
        }
        if (feature >= 19) {
            return Mode.AUTO;
        }
        // JDK 13–18 dump on top of the JDK's default archive and refuse to start without one: this
        // JVM mapping it shows the JDK has one.
        return System.getProperty("java.vm.info", "").contains("sharing") ? Mode.AT_EXIT : Mode.NONE;
    }

    private static Path archivePath(String classPath, List<String> jvmOptions, Path cacheDir, Mode mode) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String javaHome = System.getProperty("java.home");
            update(digest, javaHome);
            update(digest, System.getProperty("java.vm.version"));
            // A rebuilt default archive (a JDK package update of the same version) invalidates dynamic
            // archives on top of it.
            Path defaultArchive = Paths.get(javaHome, "lib", "server", "classes.jsa");
            if (Files.isRegularFile(defaultArchive)) {
                update(digest, Files.size(defaultArchive) + ":" + Files.getLastModifiedTime(defaultArchive).toMillis());
            }
            update(digest, String.join(" ", jvmOptions));
            for (String entry : classPath.split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path path = Paths.get(entry);
                if (Files.isDirectory(path) && nonEmpty(path)) {
                    log.debug("No AppCDS archive: class path directory {} is not empty", path);
                    return null;
                }
                update(digest, entry);
                if (Files.isRegularFile(path)) {
                    String stamp = Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis();
                    update(digest, stamp);
                    if (manifestNamesDirectory(path, stamp)) {
                        log.debug("No AppCDS archive: the manifest of {} puts a directory on the class path", path);
                        return null;
                    }
                }
            }
            Files.createDirectories(cacheDir);
            String name = "worker-" + HexFormat.of().formatHex(digest.digest()).substring(0, 24);
            return cacheDir.resolve(mode == Mode.AUTO ? name + ".jsa" : name + "-");
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            log.debug("No AppCDS archive for workers: {}", e.toString());
            return null;
        }
    }

    /**
     * Returns true if the {@code Class-Path} of a jar's manifest (or of the jars it names) holds a
     * directory, as a "pathing jar" does: AppCDS refuses it only when it dumps, at the worker's exit,
     * with an error on the worker's output. Remembered per jar version: a jar is opened once per JVM.
     */
    private static boolean manifestNamesDirectory(Path jar, String stamp) {
        return manifestChecks.computeIfAbsent(jar + "\0" + stamp, k -> scanManifest(jar, new java.util.HashSet<>()));
    }

    private static final Map<String, Boolean> manifestChecks = new ConcurrentHashMap<>();

    private static boolean scanManifest(Path jar, Set<Path> seen) {
        if (!seen.add(jar.toAbsolutePath().normalize()) || !Files.isRegularFile(jar)) {
            return false;
        }
        String classPath;
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile(), false)) {
            java.util.jar.Manifest manifest = file.getManifest();
            classPath = manifest == null ? null
                    : manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (classPath == null) {
            return false;
        }
        for (String entry : classPath.trim().split("\\s+")) {
            if (entry.isEmpty()) {
                continue;
            }
            Path target;
            try {
                java.net.URI uri = jar.toAbsolutePath().getParent().toUri().resolve(entry);
                if (!"file".equals(uri.getScheme())) {
                    continue;
                }
                target = Paths.get(uri);
            } catch (RuntimeException e) {
                continue;
            }
            if (Files.isDirectory(target) ? nonEmpty(target) : scanManifest(target, seen)) {
                return true;
            }
        }
        return false;
    }

    private static boolean nonEmpty(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.findAny().isPresent();
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static void update(MessageDigest digest, String value) {
        digest.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
