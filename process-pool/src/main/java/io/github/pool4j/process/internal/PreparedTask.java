package io.github.pool4j.process.internal;

import io.github.pool4j.codec.TaskDefinition;

/**
 * A task made ready for the wire: its id, its definition and the frame that defines it to a worker
 * (sent once per worker that has not seen it). The calls of a task without fields share one; any
 * other task gets one per call.
 *
 * @param id the definition's id, which call frames name
 * @param definition the shipped definition
 * @param defineFrame the encoded definition message
 */
record PreparedTask(long id, TaskDefinition definition, byte[] defineFrame) {}
