package io.github.pool4j.process.internal.protocol;

/**
 * What the reader makes of one frame: a {@link Message} the other side sent, or the reader's own
 * {@link Verdict} on a frame whose payload does not fit the types this side expects. A frame that
 * is not a frame at all is neither: reading it throws {@link ProtocolException}.
 */
public sealed interface Decoded permits Message, Verdict {}
