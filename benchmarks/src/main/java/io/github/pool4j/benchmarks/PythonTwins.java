package io.github.pool4j.benchmarks;

import io.github.pool4j.benchmarks.Compare.Side;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Python interpreter and the twins script, or why they are missing. */
final class PythonTwins {
    final String command;
    final Path script;
    final String version;
    final String missing;

    private PythonTwins(String command, Path script, String version, String missing) {
        this.command = command;
        this.script = script;
        this.version = version;
        this.missing = missing;
    }

    static PythonTwins find(String command, Path dir) {
        Path script = dir.resolve("twins.py");
        if (!Files.isRegularFile(script)) {
            return new PythonTwins(command, script, null, "no " + script);
        }
        try {
            // The interpreter itself, not a launcher shim (pyenv's adds ~40 ms per start).
            String[] found = run(List.of(command, "-c",
                    "import sys; print(sys.version.split()[0]); print(sys.executable)")).strip().split("\n");
            String executable = found.length > 1 && !found[1].isBlank() ? found[1].strip() : command;
            return new PythonTwins(executable, script, found[0].strip(), null);
        } catch (Exception e) {
            return new PythonTwins(command, script, null, command + " not found (" + Compare.describe(e) + ")");
        }
    }

    /** A reference side running one twin sub-command; skipped when Python is missing. */
    Side side(String label, String... args) {
        if (missing != null) {
            return new Side(label, null, missing);
        }
        List<String> command = new ArrayList<>(List.of(this.command, script.toString()));
        command.addAll(List.of(args));
        return Side.of(label, () -> value(run(command)));
    }

    private static final Pattern VALUE = Pattern.compile("\"value\":\\s*([-0-9.eE+]+)");

    private static double value(String json) {
        Matcher m = VALUE.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no value in twin output: " + json.strip());
        }
        return Double.parseDouble(m.group(1));
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int exit = process.waitFor();
        if (exit != 0) {
            String tail = out.strip();
            int cut = tail.lastIndexOf('\n');
            throw new IllegalStateException(String.join(" ", command.subList(1, command.size()))
                    + " exited with " + exit + ": " + (cut >= 0 ? tail.substring(cut + 1) : tail));
        }
        return out;
    }
}
