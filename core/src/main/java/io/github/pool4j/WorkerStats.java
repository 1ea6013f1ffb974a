package io.github.pool4j;

/**
 * A snapshot of one worker of a pool: a thread or a worker process.
 *
 * @param name the worker's name, such as {@code pool4j-thread-1} or {@code worker-2}
 * @param pid the worker's process id: this JVM's for threads, the child's for worker processes
 * @param tasksDone how many inputs this worker has finished (successfully or not)
 * @param rssBytes the worker process's resident memory in bytes, or {@code -1} if unknown or
 *     shared with this JVM (threads)
 * @param alive whether the worker is running
 */
public record WorkerStats(String name, long pid, long tasksDone, long rssBytes, boolean alive) {}
