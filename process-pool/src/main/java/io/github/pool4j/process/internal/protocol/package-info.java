/**
 * The process pool's wire protocol, shared by the parent and its workers.
 *
 * <p>Each frame is a sentinel, one JSON object whose field {@code "t"} names its type, and a
 * newline ({@link io.github.pool4j.process.internal.protocol.Wire}); large {@code byte[]} values and
 * long strings travel as raw segments before their frame, which refers to them
 * ({@link io.github.pool4j.process.internal.protocol.Segments}). Every message type is a record
 * of {@link io.github.pool4j.process.internal.protocol.Message}; what the reader makes of a frame
 * whose payload does not fit the expected type is a
 * {@link io.github.pool4j.process.internal.protocol.Verdict}, not a message; a frame that is not one
 * throws {@link io.github.pool4j.process.internal.protocol.ProtocolException}. Both ends share
 * {@link io.github.pool4j.process.internal.protocol.Limits}, the worker's arguments
 * ({@link io.github.pool4j.process.internal.protocol.WorkerArgs}) and the progress note's layout
 * ({@link io.github.pool4j.process.internal.protocol.ProgressNote}).
 */
package io.github.pool4j.process.internal.protocol;
