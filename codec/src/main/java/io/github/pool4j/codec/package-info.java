/**
 * How a task, its inputs and its results travel to another JVM and back as JSON: the task
 * description ({@link io.github.pool4j.codec.TaskDefinition}), the value mapping and its allow-list
 * ({@link io.github.pool4j.codec.Json}), a task's failure as data
 * ({@link io.github.pool4j.codec.RemoteError}), and the limits both ends enforce.
 *
 * <p>This package is shared by pool4j's out-of-process pools (worker processes, cluster members);
 * how the bytes travel stays with each pool. It is not an API for applications: its types may
 * change in any release.
 */
package io.github.pool4j.codec;
