package io.github.pool4j.os;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real procps {@code ps} of this machine and splits its output into fields. */
final class Ps {

    private Ps() {}

    /** Skips the test unless this is Linux with /proc and a procps {@code ps}. */
    static void assumeAvailable() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "no /proc");
        try {
            Process ps = new ProcessBuilder("ps", "--version").redirectErrorStream(true).start();
            String version = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assumeTrue(ps.waitFor(30, TimeUnit.SECONDS) && ps.exitValue() == 0 && version.contains("procps"),
                    "no procps ps: " + version);
        } catch (IOException e) {
            assumeTrue(false, "no ps: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs {@code ps u [-T] -p pid,...} into a pipe and returns its lines, header first. */
    static List<String> u(boolean perThread, long... pids) {
        List<String> command = new ArrayList<>(List.of("ps", "u"));
        if (perThread) {
            command.add("-T");
        }
        command.add("-p");
        command.add(String.join(",", Arrays.stream(pids).mapToObj(Long::toString).toList()));
        return run(command);
    }

    static List<String> run(List<String> command) {
        try {
            Process ps = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ps.waitFor(30, TimeUnit.SECONDS)) {
                ps.destroyForcibly();
                throw new AssertionError("ps did not finish: " + command);
            }
            return out.lines().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Splits a {@code ps u} line into its fields: the first {@code fixed} are single words, the
     * rest of the line is the command.
     */
    static List<String> fields(String line, int fixed) {
        List<String> fields = new ArrayList<>();
        String rest = line.strip();
        for (int i = 0; i < fixed; i++) {
            int space = rest.indexOf(' ');
            fields.add(rest.substring(0, space));
            rest = rest.substring(space).stripLeading();
        }
        fields.add(rest);
        return fields;
    }
}
