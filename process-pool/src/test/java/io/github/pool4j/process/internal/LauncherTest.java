package io.github.pool4j.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pool4j.process.ProcessPool;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AppCDS archive of worker JVMs, with real worker JVMs on a class path of jars: created once by
 * one keeper, then mapped by every worker; safe with a damaged file, a changed class path and racing
 * JVMs. JDK 13–18 take the {@code -XX:ArchiveClassesAtExit} path, JDK 19+ the
 * {@code -XX:+AutoCreateSharedArchive} one; the build runs both. The tests see the archive as a
 * worker does: by the name its command line gives, and in the cache directory.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LauncherTest {

    private static final List<String> OPTIONS = ProcessPool.Builder.DEFAULT_JVM_OPTIONS;
    private static final long MIB = 1024 * 1024;
    /** An archive's name in an option ({@code worker-<hash>}, then {@code .jsa}, {@code -<size>.jsa} or {@code -dump-...}). */
    private static final Pattern ARCHIVE_NAME = Pattern.compile("worker-[0-9a-f]{24}");

    @TempDir
    static Path jars;

    private static String classPath;

    @TempDir
    Path cache;

    @BeforeAll
    static void jarClassPath() throws IOException {
        classPath = WorkerJvm.jarredClassPath(jars);
    }

    private Launcher launcher() {
        return launcher(OPTIONS, classPath);
    }

    /** A launcher with a cache of its own on the test's directory, as another JVM would have. */
    private Launcher launcher(List<String> options, String path) {
        return new Launcher(options, path, new ArchiveCache(cache, ArchiveCache.DEFAULT_MAX_MB * MIB, Clock.systemUTC()));
    }

    /** The name of the archive a command line maps, keeps or dumps into, or null if it has none. */
    private static String archiveName(Launcher.Launch launch) {
        for (String option : launch.command()) {
            if (option.startsWith("-XX:SharedArchiveFile=") || option.startsWith("-XX:ArchiveClassesAtExit=")) {
                Matcher name = ARCHIVE_NAME.matcher(option);
                assertTrue(name.find(), option);
                return name.group();
            }
        }
        return null;
    }

    /** The archive of that name in the cache directory (JDK 13–18: the published one), or null. */
    private Path archive(String name) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith(name)
                    && f.getFileName().toString().endsWith(".jsa")).toList();
            assertTrue(found.size() <= 1, "one archive of a name: " + found);
            return found.isEmpty() ? null : found.get(0);
        }
    }

    private static boolean isLinux() {
        return Files.isReadable(Path.of("/proc/self/maps"));
    }

    @Test
    void missingArchive_oneKeeperWritesIt_laterWorkersMapIt() throws Exception {
        Launcher launcher = launcher();
        Launcher.Launch keeper = launcher.command(WorkerJvm.MAIN, null);
        Launcher.Launch second = launcher.command(WorkerJvm.MAIN, null);
        String name = archiveName(keeper);
        assertNotNull(name, "a class path of jars gets an archive");
        assertTrue(keeper.archiveKeeper());
        assertFalse(second.archiveKeeper(), "one keeper per archive while it lives");

        WorkerJvm.Run first = WorkerJvm.run(launcher, keeper);
        WorkerJvm.Run other = WorkerJvm.run(launcher, second);
        assertEquals(0, first.exitCode(), first.output());
        assertEquals(0, other.exitCode(), other.output());
        assertEquals("", first.output(), "dumping the archive prints nothing");

        Path archive = archive(name);
        assertNotNull(archive);
        assertTrue(Files.size(archive) > 0, archive + " exists");
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(List.of(archive), files.toList(), "no temporary dump is left");
        }
        Launcher.Launch reader = launcher.command(WorkerJvm.MAIN, null);
        assertTrue(reader.command().contains("-XX:SharedArchiveFile=" + archive), reader.command().toString());
        WorkerJvm.Run mapped = WorkerJvm.run(launcher, reader);
        assertEquals(0, mapped.exitCode(), mapped.output());
        if (isLinux()) {
            assertTrue(mapped.mappedFiles().contains(archive.getFileName().toString()),
                    "the worker maps " + archive);
        }
    }

    /**
     * A worker of plain values never loads Jackson's mappers; the one that writes a new archive
     * loads them before it exits, so workers whose values need them find them in the archive.
     */
    @Test
    void keeperOfANewArchive_putsTheMappersInIt_andOnlyThatWorkerIsTold() throws Exception {
        Launcher launcher = launcher();
        String told = "-D" + Launcher.ARCHIVE_WRITER_PROPERTY + "=" + Launcher.NEW_ARCHIVE;
        Launcher.Launch keeper = launcher.command(WorkerJvm.MAIN, null);
        Launcher.Launch second = launcher.command(WorkerJvm.MAIN, null);
        assertTrue(keeper.command().contains(told), keeper.command().toString());
        assertFalse(second.command().stream().anyMatch(o -> o.contains(Launcher.ARCHIVE_WRITER_PROPERTY)),
                second.command().toString());
        WorkerJvm.Run run = WorkerJvm.run(launcher, keeper);
        assertEquals(0, run.exitCode(), run.output());
        launcher.released(second);

        Path archive = archive(archiveName(keeper));
        assertNotNull(archive);
        String classes = archivedClasses(archive);
        assertTrue(classes.contains("io.github.pool4j.process.internal.WorkerMain"), classes);
        assertTrue(classes.contains("tools.jackson.databind.json.JsonMapper"), "the mappers are archived");
        assertTrue(classes.contains("tools.jackson.core.json.UTF8StreamJsonParser"), "the parser is archived");

        Launcher.Launch reader = launcher.command(WorkerJvm.MAIN, null);
        if (reader.archiveKeeper()) {
            // JDK 19+: a keeper of an archive that exists checks it and writes it again only if it
            // could not map it; the worker looks before loading more.
            assertTrue(reader.command().contains("-D" + Launcher.ARCHIVE_WRITER_PROPERTY + "=" + archive.getFileName()),
                    reader.command().toString());
        }
        launcher.released(reader);
    }

    /** What the JVM prints of an archive's classes. */
    private static String archivedClasses(Path archive) throws IOException, InterruptedException {
        Process print = new ProcessBuilder(Launcher.javaBinary(), "-XX:SharedArchiveFile=" + archive,
                "-XX:+PrintSharedArchiveAndExit", "-cp", classPath)
                .redirectErrorStream(true)
                .start();
        String classes = new String(print.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(print.waitFor(60, TimeUnit.SECONDS));
        return classes;
    }

    @Test
    void truncatedArchive_workerStillStarts_andTheArchiveIsWrittenAgain() throws Exception {
        Launcher launcher = launcher();
        Launcher.Launch first = launcher.command(WorkerJvm.MAIN, null);
        String name = archiveName(first);
        WorkerJvm.run(launcher, first);
        Path archive = archive(name);
        assertNotNull(archive);
        long whole = Files.size(archive);
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            // JDK 17 dies of SIGBUS mapping an archive cut like this.
            file.setLength(whole / 2);
        }

        WorkerJvm.Run damaged = WorkerJvm.run(launcher, launcher.command(WorkerJvm.MAIN, null));
        assertEquals(0, damaged.exitCode(), damaged.output());
        assertEquals("", damaged.output());

        Path again = archive(name);
        assertNotNull(again, "the archive was written again");
        assertTrue(Files.size(again) > whole / 2, "a whole archive, not the truncated one");
        assertTrue(archivedClasses(again).contains("tools.jackson.databind.json.JsonMapper"),
                "written again by a worker of plain values, it still holds the mappers");
        WorkerJvm.Run mapped = WorkerJvm.run(launcher, launcher.command(WorkerJvm.MAIN, null));
        assertEquals(0, mapped.exitCode(), mapped.output());
        if (isLinux()) {
            assertTrue(mapped.mappedFiles().contains(again.getFileName().toString()));
        }
    }

    @Test
    void cacheOverItsBound_oldArchivesGo_whenAKeeperHasWrittenANewOne() throws Exception {
        // Archives of earlier builds: sparse files, the oldest last used three weeks ago.
        long tenMib = 10L * 1024 * 1024;
        List<Path> old = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            Path stale = cache.resolve("worker-oldbuild" + i + ".jsa");
            try (RandomAccessFile file = new RandomAccessFile(stale.toFile(), "rw")) {
                file.setLength(tenMib);
            }
            Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(java.time.Duration.ofDays(21 - i))));
            old.add(stale);
        }
        Launcher launcher = launcher();
        Launcher.Launch keeper = launcher.command(WorkerJvm.MAIN, null);
        WorkerJvm.Run run = WorkerJvm.run(launcher, keeper);
        assertEquals(0, run.exitCode(), run.output());

        Path archive = archive(archiveName(keeper));
        assertNotNull(archive);
        assertTrue(Files.isRegularFile(archive), "the new archive stays");
        long total = 0;
        try (Stream<Path> files = Files.list(cache)) {
            for (Path file : files.toList()) {
                total += Files.size(file);
            }
        }
        assertTrue(total <= ArchiveCache.DEFAULT_MAX_MB * 1024 * 1024, "the cache holds " + total + " bytes");
        assertFalse(Files.exists(old.get(0)), "the least recently used archive went");
        assertFalse(Files.exists(old.get(1)));
        assertTrue(Files.exists(old.get(10)), "the most recently used old archive fits and stays");
    }

    @Test
    void garbageArchive_workerStillStarts() throws Exception {
        Launcher launcher = launcher();
        Launcher.Launch keeper = launcher.command(WorkerJvm.MAIN, null);
        WorkerJvm.run(launcher, keeper);
        Path archive = archive(archiveName(keeper));
        assertNotNull(archive);
        byte[] garbage = new byte[(int) Files.size(archive)];
        new java.util.Random(42).nextBytes(garbage);
        Files.write(archive, garbage);

        WorkerJvm.Run run = WorkerJvm.run(launcher, launcher.command(WorkerJvm.MAIN, null));
        assertEquals(0, run.exitCode(), run.output());
    }

    @Test
    void classPathOrOptionsChange_giveAnotherArchive() throws IOException {
        Path extra = jars.resolve("extra.jar");
        Files.write(extra, new byte[0]);
        List<String> options = new ArrayList<>(OPTIONS);
        options.add("-Xss512k");
        String one = keeperArchiveName(OPTIONS, classPath);
        String same = keeperArchiveName(OPTIONS, classPath);
        String longer = keeperArchiveName(OPTIONS, classPath + File.pathSeparator + extra);
        String otherOptions = keeperArchiveName(options, classPath);
        assertNotNull(one);
        assertEquals(one, same);
        assertNotEquals(one, longer);
        assertNotEquals(one, otherOptions);
        assertNotNull(longer);
        assertNotNull(otherOptions);
    }

    /** The archive name a first worker's command line gives, from a launcher of its own (no worker runs). */
    private String keeperArchiveName(List<String> options, String path) {
        Launcher launcher = launcher(options, path);
        Launcher.Launch launch = launcher.command(WorkerJvm.MAIN, null);
        launcher.released(launch);
        return archiveName(launch);
    }

    @Test
    void directoryOnTheClassPath_noArchive() {
        String withDirectory = classPath + File.pathSeparator + jars;
        Launcher launcher = launcher(OPTIONS, withDirectory);
        assertNoArchiveOption(launcher.command(WorkerJvm.MAIN, null));
    }

    @Test
    void pathingJarNamingADirectory_noArchive() throws IOException {
        Path pathing = jars.resolve("pathing.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        // jars holds the cp-N.jar files: a non-empty directory.
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, "./");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(pathing), manifest)) {
            out.flush();
        }
        Launcher launcher = launcher(OPTIONS, classPath + File.pathSeparator + pathing);
        assertNoArchiveOption(launcher.command(WorkerJvm.MAIN, null));
    }

    @Test
    void sharingTurnedOff_noArchive_workerStarts() throws Exception {
        List<String> options = new ArrayList<>(OPTIONS);
        options.add("-Xshare:off");
        Launcher launcher = launcher(options, classPath);
        Launcher.Launch launch = launcher.command(WorkerJvm.MAIN, null);
        assertNoArchiveOption(launch);
        // With -XX:ArchiveClassesAtExit a JDK 17 would not even start here.
        assertEquals(0, WorkerJvm.run(launcher, launch).exitCode());
    }

    /**
     * Regression: a worker asked to dump an archive with an agent (native or Java) exited before its
     * hello, "Error occurred during CDS dumping".
     */
    @Test
    void agent_noArchive_workerStarts() throws Exception {
        Path agentJar = jars.resolve("agent.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", NoOpAgent.class.getName());
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(agentJar), manifest);
                var agentClass = NoOpAgent.class.getResourceAsStream("NoOpAgent.class")) {
            out.putNextEntry(new java.util.jar.JarEntry(NoOpAgent.class.getName().replace('.', '/') + ".class"));
            agentClass.transferTo(out);
            out.closeEntry();
        }
        List<String> agents = List.of("-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0",
                "-javaagent:" + agentJar);
        for (String agent : List.of(agents.get(0), agents.get(1), "-agentpath:/no/such/libagent.so")) {
            List<String> options = new ArrayList<>(OPTIONS);
            options.add(agent);
            assertEquals(Launcher.Mode.NONE, Launcher.mode(17, options), agent);
            assertEquals(Launcher.Mode.NONE, Launcher.mode(25, options), agent);
            assertNoArchiveOption(launcher(options, classPath).command(WorkerJvm.MAIN, null));
        }
        // Real ones: a debugger's agent (listening on the loopback only) and a Java agent.
        for (String agent : agents) {
            List<String> options = new ArrayList<>(OPTIONS);
            options.add(agent);
            Launcher launcher = launcher(options, classPath);
            WorkerJvm.Run run = WorkerJvm.run(launcher, launcher.command(WorkerJvm.MAIN, null));
            assertEquals(0, run.exitCode(), agent + ": " + run.output());
            assertFalse(run.output().contains("CDS dumping"), run.output());
        }
    }

    @Test
    void agentFromTheEnvironment_countsAsAConfiguredOne() {
        List<String> inherited = Launcher.environmentOptions(java.util.Map.of(
                "JAVA_TOOL_OPTIONS", " -Dx=1   -javaagent:/opt/apm/agent.jar ", "JDK_JAVA_OPTIONS", "-Dy=2", "OTHER", "-Xshare:off"));
        assertEquals(List.of("-Dy=2", "-Dx=1", "-javaagent:/opt/apm/agent.jar"), inherited);
        List<String> options = new ArrayList<>(OPTIONS);
        options.addAll(inherited);
        assertEquals(Launcher.Mode.NONE, Launcher.mode(25, options));
        assertEquals(List.of(), Launcher.environmentOptions(java.util.Map.of("JAVA_TOOL_OPTIONS", " ")));
        assertEquals(List.of(), Launcher.environmentOptions(java.util.Map.of()));
    }

    @Test
    void jdkBefore13_noArchive() {
        assertEquals(Launcher.Mode.NONE, Launcher.mode(11, OPTIONS));
        assertEquals(Launcher.Mode.AUTO, Launcher.mode(19, OPTIONS));
    }

    @Test
    void archivesMappedInPlace_onlyOnJdksKnownToHaveTheFlag_andOnlyWithSharingOn() {
        assertEquals(List.of(), Launcher.sharingOptions(Launcher.FIRST_RELOCATION_MODE_FEATURE - 1, Launcher.Mode.AT_EXIT));
        assertEquals(Launcher.MAP_ARCHIVES_IN_PLACE,
                Launcher.sharingOptions(Launcher.FIRST_RELOCATION_MODE_FEATURE, Launcher.Mode.AT_EXIT));
        assertEquals(Launcher.MAP_ARCHIVES_IN_PLACE, Launcher.sharingOptions(17, Launcher.Mode.AT_EXIT));
        assertEquals(Launcher.MAP_ARCHIVES_IN_PLACE,
                Launcher.sharingOptions(Launcher.LAST_CHECKED_RELOCATION_MODE_FEATURE, Launcher.Mode.AUTO));
        assertEquals(List.of(), Launcher.sharingOptions(Launcher.LAST_CHECKED_RELOCATION_MODE_FEATURE + 1,
                Launcher.Mode.AUTO), "a JVM refuses a flag it does not know");
        assertEquals(List.of(), Launcher.sharingOptions(25, Launcher.Mode.NONE), "the options turned CDS off");
    }

    @Test
    void hotPathOptions_goBeforeTheConfiguredOnes_andTheJvmTakesThemSilently() throws Exception {
        Launcher ours = launcher(OPTIONS, classPath);
        Launcher.Launch launch = ours.command(WorkerJvm.MAIN, null);
        List<String> command = launch.command();
        int first = command.indexOf(Launcher.HOT_PATH_OPTIONS.get(0));
        assertTrue(first >= 0, command.toString());
        assertEquals(Launcher.HOT_PATH_OPTIONS, command.subList(first, first + Launcher.HOT_PATH_OPTIONS.size()));
        assertTrue(first < command.indexOf(OPTIONS.get(0)), command.toString());
        WorkerJvm.Run run = WorkerJvm.run(ours, launch);
        // A JDK that did not know the command would refuse to start; a loud one would print each
        // command where the task's own output goes.
        assertEquals(0, run.exitCode(), run.output());
        assertFalse(run.output().contains("CompileCommand"), run.output());
    }

    @Test
    void heapRatios_goBeforeTheConfiguredOptions_unlessTheySetARatio() throws Exception {
        List<String> command = launcher(OPTIONS, classPath).command(WorkerJvm.MAIN, null).command();
        int first = command.indexOf(Launcher.HEAP_RATIO_OPTIONS.get(0));
        assertTrue(first >= 0 && first < command.indexOf(OPTIONS.get(0)), command.toString());
        assertEquals(Launcher.HEAP_RATIO_OPTIONS, command.subList(first, first + 2));
        // A JVM refuses a minimum above the maximum: a configured ratio, either one, drops ours.
        for (String ratio : List.of("-XX:MaxHeapFreeRatio=50", "-XX:MinHeapFreeRatio=10")) {
            List<String> options = new ArrayList<>(OPTIONS);
            options.add(ratio);
            Launcher launcher = launcher(options, classPath);
            Launcher.Launch launch = launcher.command(WorkerJvm.MAIN, null);
            assertFalse(launch.command().contains(Launcher.HEAP_RATIO_OPTIONS.get(0)), launch.command().toString());
            assertFalse(launch.command().contains(Launcher.HEAP_RATIO_OPTIONS.get(1)), launch.command().toString());
            WorkerJvm.Run run = WorkerJvm.run(launcher, launch);
            assertEquals(0, run.exitCode(), ratio + ": " + run.output());
        }
        assertEquals(List.of(), Launcher.heapRatioOptions(Launcher.environmentOptions(
                java.util.Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxHeapFreeRatio=20"))));
    }

    /** Regression: {@code addJvmOptions("-XX:+UseG1GC")} made every worker refuse to start. */
    @Test
    void anAddedCollector_replacesTheDefaultOne_andTheWorkerStarts() throws Exception {
        List<String> options = new ArrayList<>(OPTIONS);
        options.addAll(List.of("-XX:+UseG1GC", "-XX:+UseMaximumCompactionOnSystemGC", "-Xmx300m"));
        assertTrue(OPTIONS.contains("-XX:+UseSerialGC"), "the defaults choose a collector: " + OPTIONS);
        List<String> kept = Launcher.oneCollector(options, List.of());
        List<String> expected = new ArrayList<>(options);
        expected.remove("-XX:+UseSerialGC");
        assertEquals(expected, kept);
        assertEquals(OPTIONS, Launcher.oneCollector(OPTIONS, List.of("-Dx=1")));
        assertEquals(List.of("-XX:+UseParallelGC"), Launcher.oneCollector(List.of("-XX:+UseZGC", "-XX:+UseParallelGC"), List.of()));
        // JAVA_TOOL_OPTIONS="-XX:+UseG1GC": the environment's collector stays alone.
        List<String> withoutCollector = new ArrayList<>(OPTIONS);
        withoutCollector.remove("-XX:+UseSerialGC");
        assertEquals(withoutCollector, Launcher.oneCollector(OPTIONS, List.of("-XX:+UseG1GC")));

        List<String> withG1 = new ArrayList<>(OPTIONS);
        withG1.add("-XX:+UseG1GC");
        Launcher launcher = launcher(withG1, classPath);
        Launcher.Launch launch = launcher.command(WorkerJvm.MAIN, null);
        assertFalse(launch.command().contains("-XX:+UseSerialGC"), launch.command().toString());
        WorkerJvm.Run run = WorkerJvm.run(launcher, launch);
        assertEquals(0, run.exitCode(), run.output());
    }

    @Test
    void archivesMappedInPlace_butTheConfiguredOptionsWin() throws Exception {
        int feature = Runtime.version().feature();
        assumeTrue(feature >= Launcher.FIRST_RELOCATION_MODE_FEATURE
                && feature <= Launcher.LAST_CHECKED_RELOCATION_MODE_FEATURE, "JDK " + feature + " goes without");
        List<String> printing = new ArrayList<>(OPTIONS);
        printing.add("-XX:+PrintFlagsFinal");
        Launcher ours = launcher(printing, classPath);
        Launcher.Launch launch = ours.command(WorkerJvm.MAIN, null);
        List<String> command = launch.command();
        assertTrue(command.indexOf("-XX:ArchiveRelocationMode=0") < command.indexOf(OPTIONS.get(0)), command.toString());
        WorkerJvm.Run run = WorkerJvm.run(ours, launch);
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("0", flag(run.output(), "ArchiveRelocationMode"));

        List<String> theirs = new ArrayList<>(printing);
        theirs.add("-XX:ArchiveRelocationMode=1");
        Launcher relocating = launcher(theirs, classPath);
        WorkerJvm.Run relocated = WorkerJvm.run(relocating, relocating.command(WorkerJvm.MAIN, null));
        assertEquals(0, relocated.exitCode(), relocated.output());
        assertEquals("1", flag(relocated.output(), "ArchiveRelocationMode"));
    }

    /** A flag's final value in {@code -XX:+PrintFlagsFinal} output. */
    private static String flag(String output, String name) {
        Matcher value = Pattern.compile("\\s" + name + "\\s+:?=\\s+(\\S+)").matcher(output);
        assertTrue(value.find(), name + " not in " + output);
        return value.group(1);
    }

    @Test
    void keeperKilled_noArchive_andTheNextWorkerKeepsIt() throws Exception {
        Launcher launcher = launcher();
        Launcher.Launch keeper = launcher.command(WorkerJvm.MAIN, null);
        String name = archiveName(keeper);
        assertTrue(keeper.archiveKeeper());
        Process process = new ProcessBuilder(keeper.command()).start();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        launcher.released(keeper);
        launcher.released(keeper);
        if (keeper.dump() != null) {
            assertNull(archive(name), "JDK 13-18: a killed keeper publishes nothing");
        }
        try (Stream<Path> files = Files.list(cache)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "the partial dump is gone");
        }
        Launcher.Launch next = launcher.command(WorkerJvm.MAIN, null);
        assertTrue(next.archiveKeeper());
        assertEquals(0, WorkerJvm.run(launcher, next).exitCode());
        assertNotNull(archive(name));
    }

    @Test
    void twoJvmsWithoutAnArchive_startAtOnce_oneWholeArchiveRemains() throws Exception {
        // Each child JVM has its own keeper, so both dump and publish at about the same time.
        List<Process> children = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                children.add(new ProcessBuilder(Launcher.javaBinary(), "-cp", System.getProperty("java.class.path"),
                        LauncherRace.class.getName(), cache.toString(), classPath)
                        .redirectErrorStream(true).start());
            }
            for (Process child : children) {
                String output = new String(child.getInputStream().readAllBytes());
                assertTrue(child.waitFor(120, TimeUnit.SECONDS));
                assertEquals(0, child.exitValue(), output);
            }
        } finally {
            for (Process child : children) {
                child.destroyForcibly();
            }
        }
        Launcher launcher = launcher();
        Launcher.Launch launch = launcher.command(WorkerJvm.MAIN, null);
        Path archive = archive(archiveName(launch));
        assertNotNull(archive);
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(List.of(archive), files.toList(), "one archive, no temporary dumps");
        }
        WorkerJvm.Run run = WorkerJvm.run(launcher, launch);
        assertEquals(0, run.exitCode(), run.output());
        if (isLinux()) {
            assertTrue(run.mappedFiles().contains(archive.getFileName().toString()));
        }
    }

    private static void assertNoArchiveOption(Launcher.Launch launch) {
        assertTrue(launch.command().stream().noneMatch(o -> o.contains("SharedArchive") || o.contains("ArchiveClasses")),
                launch.command().toString());
        assertFalse(launch.archiveKeeper());
    }
}
