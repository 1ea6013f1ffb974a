package io.github.pool4j.examples;

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
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(),
                    option + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }
}
