package io.github.pool4j.examples;

import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Runs the experiments of the blog post "Processes, Threads, Oh My!" with pool4j: one command per
 * experiment, each printing what the post prints.
 *
 * <pre>{@code
 * java -jar examples/target/pool4j-examples.jar say-hello --processes
 * }</pre>
 *
 * <p>With no command, or {@code --help}, it lists the commands. Bad arguments print a usage
 * message on stderr and exit with code 2; a failure while running prints one line on stderr and
 * exits with code 1.
 */
@Command(
        name = "pool4j-examples",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "The experiments of the blog post \"Processes, Threads, Oh My!\", run with pool4j.",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run '<command> --help' for the options of a command."},
        subcommands = {
            SingleProcessCommand.class,
            SayHelloCommand.class,
            ProcessVsThreadCommand.class,
            MemoryCommand.class,
            RaceConditionCommand.class
        })
public final class Main implements Runnable {

    @Spec
    private CommandSpec spec;

    private Main() {}

    /**
     * Runs the command named by {@code args} and exits the JVM with its exit code.
     *
     * @param args the command and its options; none lists the commands
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses and runs {@code args} with the current {@code System.out}/{@code System.err}. */
    static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Builds the command line bound to the current {@code System.out} and {@code System.err}. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(new PrintWriter(System.out, true));
        commandLine.setErr(new PrintWriter(System.err, true));
        commandLine.setParameterExceptionHandler((e, args) -> {
            // picocli's default prints only "Did you mean" suggestions when it has some; a reader
            // who typed a wrong command is better served by the usage too.
            CommandLine failed = e.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            failed.usage(err);
            err.flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            // A reader following the post wants to know what went wrong, not where in pool4j.
            failed.getErr().println(failed.getCommandName() + ": " + describe(e));
            failed.getErr().flush();
            return 1;
        });
        return commandLine;
    }

    /** Lists the commands: the jar run without a command. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static String describe(Throwable e) {
        Throwable shown = e;
        while ((shown instanceof CompletionException || shown instanceof ExecutionException)
                && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String message = shown.getMessage();
        String text = message == null ? shown.getClass().getSimpleName() : message;
        Throwable cause = shown.getCause();
        if (cause != null && cause != shown && cause.getMessage() != null && !text.contains(cause.getMessage())) {
            text += " (caused by " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return text;
    }

    /** The version shown by {@code --version}: the jar's, when run from the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pool4j-examples " + (version == null ? "(development build)" : version)};
        }
    }
}
