package io.github.pool4j.process.internal;

/** Names the signal behind a process exit status of {@code 128 + n}, as the JDK reports it. */
final class Signals {

    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
    };

    private Signals() {}

    /**
     * Returns the signal name for an exit status, or {@code null} if it is not a signal's.
     *
     * @param exitCode the status reported by {@link Process#exitValue()}
     * @return a name such as {@code "SIGKILL"}, or {@code null}
     */
    static String name(int exitCode) {
        int signal = exitCode - 128;
        if (signal > 0 && signal < NAMES.length) {
            return NAMES[signal];
        }
        return null;
    }
}
