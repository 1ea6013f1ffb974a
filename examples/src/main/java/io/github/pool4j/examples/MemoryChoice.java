package io.github.pool4j.examples;

import picocli.CommandLine.Option;

/** The {@code --processes | --threads | --compare} choice of the memory command. */
final class MemoryChoice {

    @Option(names = "--processes", required = true, description = "Map with worker JVM processes.")
    private boolean processes;

    @Option(names = "--threads", required = true, description = "Map with threads of this JVM.")
    private boolean threads;

    @Option(names = "--compare", required = true,
            description = "Run both, each in a fresh JVM, then print the processes/threads ratio and a chart.")
    private boolean compare;

    /** Tells whether both kinds are to be compared. */
    boolean compare() {
        return compare;
    }

    /** Returns the single kind chosen; meaningless with {@link #compare()}. */
    PoolKind kind() {
        return processes ? PoolKind.PROCESSES : PoolKind.THREADS;
    }
}
