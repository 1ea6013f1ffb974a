package io.github.pool4j.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The post's {@code main.py}: asks for a name and waits. While it waits, {@code ps u} in another
 * terminal shows one java process, the Java twin of the post's one python process.
 */
@Command(
        name = "single-process",
        mixinStandardHelpOptions = true,
        description = {
                "main.py: asks your name and waits, as one java process",
                "While it waits, 'ps u' in another terminal shows one java process."})
final class SingleProcessCommand implements Callable<Integer> {

    @Option(names = "--show", description = "Print this process's row, as 'ps u' shows it, before asking.")
    private boolean show;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        if (show) {
            out.print(Tables.processes(List.of(ProcessHandle.current().pid())));
            out.println();
        }
        out.print("Enter your name: ");
        out.flush();
        // Not closed: it would close System.in.
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String name = in.readLine();
        if (name == null) {
            out.println();
            out.println("(no name: input ended)");
            return 0;
        }
        out.println("Hi " + name.strip() + "!");
        return 0;
    }
}
