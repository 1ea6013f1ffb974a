package io.github.pool4j.examples;

import picocli.CommandLine.Option;

/** The {@code --processes | --threads} choice of a command: exactly one must be given. */
final class PoolChoice {

    @Option(names = "--processes", required = true, description = "Worker JVM processes, like multiprocessing.Pool.")
    private boolean processes;

    @Option(names = "--threads", required = true, description = "Threads of this JVM, like multiprocessing.pool.ThreadPool.")
    private boolean threads;

    /** Returns the chosen kind. */
    PoolKind kind() {
        return processes ? PoolKind.PROCESSES : PoolKind.THREADS;
    }
}
