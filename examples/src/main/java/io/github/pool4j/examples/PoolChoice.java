package io.github.pool4j.examples;

import picocli.CommandLine.Option;

/** The {@code --processes | --threads | --cluster} choice of a command: exactly one must be given. */
final class PoolChoice {

    @Option(names = "--processes", required = true, description = "Worker JVM processes, like multiprocessing.Pool.")
    private boolean processes;

    @Option(names = "--threads", required = true, description = "Threads of this JVM, like multiprocessing.pool.ThreadPool.")
    private boolean threads;

    @Option(names = "--cluster", required = true,
            description = "Members of a Hazelcast cluster started on this machine, like ray.util.multiprocessing.Pool.")
    private boolean cluster;

    /** Returns the chosen kind. */
    PoolKind kind() {
        return cluster ? PoolKind.CLUSTER : processes ? PoolKind.PROCESSES : PoolKind.THREADS;
    }
}
