package io.github.pool4j.process.internal;

import io.github.pool4j.process.internal.protocol.Wire;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Real worker JVMs started from a {@link Launcher} command, outside any pool: what the AppCDS tests
 * need to see which archive a worker maps and what it leaves behind when it exits.
 */
final class WorkerJvm {

    /** The program arguments of a worker: 1 MiB frames, no timeout, no initializer, 1 MiB of raw segments. */
    static final List<String> MAIN = List.of("1048576", "0", "0", "1048576");

    /**
     * What one worker did.
     *
     * @param exitCode its exit status
     * @param mappedFiles the files it had mapped once it said hello (from {@code /proc/PID/maps})
     * @param output what it wrote to stdout besides its hello, and to stderr
     */
    record Run(int exitCode, String mappedFiles, String output) {}

    private WorkerJvm() {}

    /**
     * Starts a worker with {@code launch}, waits for its hello, notes its mappings, closes its stdin
     * and waits for it to exit; then releases the launch.
     */
    static Run run(Launcher launcher, Launcher.Launch launch) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(launch.command()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder output = new StringBuilder();
            String maps = "";
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(new String(Wire.SENTINEL, StandardCharsets.UTF_8)) && line.contains("\"hello\"")) {
                    maps = mappedFiles(process.pid());
                    break;
                }
                output.append(line).append('\n');
            }
            // End of stdin: the worker exits (a keeper dumps its archive first).
            process.getOutputStream().close();
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("worker " + process.pid() + " did not exit");
            }
            return new Run(process.exitValue(), maps, output.toString());
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            launcher.released(launch);
        }
    }

    private static String mappedFiles(long pid) throws IOException {
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        return Files.isReadable(maps) ? Files.readString(maps) : "";
    }

    /**
     * Returns this JVM's class path with each directory replaced by a jar of its content in {@code dir}:
     * AppCDS only archives class paths of jars.
     */
    static String jarredClassPath(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path jar = dir.resolve("cp-" + n++ + ".jar");
                jar(path, jar);
                entries.add(jar.toString());
            } else if (Files.isRegularFile(path)) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void jar(Path root, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(root.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}
