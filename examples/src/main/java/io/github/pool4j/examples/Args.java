package io.github.pool4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of option values that picocli's types cannot express; failures are usage errors (exit 2). */
final class Args {

    private Args() {}

    /**
     * Returns {@code value} if it lies in {@code [min, max]}.
     *
     * @throws ParameterException naming the option and the bound otherwise
     */
    static int inRange(CommandSpec spec, String option, int value, int min, int max) {
        return inRange(spec, option, value, min, max, "");
    }

    /**
     * Returns {@code value} if it lies in {@code [min, max]}.
     *
     * @param why appended to the message, e.g. {@code " with --processes: ..."}; may be empty
     * @throws ParameterException naming the option, the bound and why otherwise
     */
    static int inRange(CommandSpec spec, String option, int value, int min, int max, String why) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                    "%s must be between %,d and %,d%s, was %,d", option, min, max, why, value));
        }
        return value;
    }

    /**
     * Checks, before an experiment runs for a while, that {@code file} can be written: its
     * directory exists and is writable, and it is not itself a directory.
     *
     * @throws ParameterException saying which of these fails
     */
    static Path writableFile(CommandSpec spec, String option, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        String problem = null;
        if (Files.isDirectory(absolute)) {
            problem = "it is a directory";
        } else if (dir == null || !Files.exists(dir)) {
            problem = "directory " + dir + " does not exist";
        } else if (!Files.isDirectory(dir)) {
            problem = dir + " is not a directory";
        } else if (Files.exists(absolute) ? !Files.isWritable(absolute) : !Files.isWritable(dir)) {
            problem = Files.exists(absolute) ? "the file is not writable" : "directory " + dir + " is not writable";
        }
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), option + " " + file + " cannot be written: " + problem);
        }
        return file;
    }

    /** Returns {@code "1 worker"}, {@code "3 workers"}: a count and a noun in the right number. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
