package io.github.pool4j.examples;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the examples' command line in this JVM with {@code System.in/out/err} swapped for buffers,
 * as a user would run the jar: the output of tasks, printed in pool threads or forwarded from
 * worker JVMs, lands in the same captured stdout as the command's own lines.
 *
 * @param exitCode the command's exit code
 * @param out everything printed on stdout
 * @param err everything printed on stderr
 */
record Run(int exitCode, String out, String err) {

    static Run of(String... args) {
        return withInput("", args);
    }

    static Run withInput(String stdin, String... args) {
        return withInput(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    static synchronized Run withInput(InputStream stdin, String... args) {
        InputStream realIn = System.in;
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setIn(stdin);
            System.setOut(capturedOut);
            System.setErr(capturedErr);
            exitCode = Main.run(args);
        } finally {
            System.setIn(realIn);
            System.setOut(realOut);
            System.setErr(realErr);
        }
        Run run = new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        // Echo, so a failing test's report shows what the command printed.
        realOut.println("$ pool4j-examples " + String.join(" ", args) + "\n" + run.out() + run.err() + "[exit " + exitCode + "]");
        return run;
    }

    List<String> outLines() {
        return Arrays.asList(out.split("\\R"));
    }
}
