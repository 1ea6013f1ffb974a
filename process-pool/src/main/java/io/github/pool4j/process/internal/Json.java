package io.github.pool4j.process.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two JSON mappers of one side of the wire (parent or worker), built once.
 *
 * <p>{@link #data} carries inputs and results as ordinary Jackson beans and records; {@link #state}
 * carries a task's own state and a lambda's captured values field by field, as Java serialization
 * would, but as JSON. Neither enables default typing: the wire never names a class to instantiate
 * except a task definition's, which the worker checks.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class Json {

    /** How deep JSON may nest, read and written, before it is refused. */
    public static final int MAX_NESTING_DEPTH = 500;

    final JsonMapper data;
    final JsonMapper state;

    /**
     * Creates the mappers for frames of at most {@code maxFrameBytes}.
     *
     * @param maxFrameBytes the largest frame accepted
     */
    public Json(long maxFrameBytes) {
        int maxString = (int) Math.min(Integer.MAX_VALUE - 64L, maxFrameBytes);
        // One buffer recycler per thread: the shared default pool is a concurrent deque that every
        // frame of every pipe thread would contend on.
        JsonFactory factory = JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.threadLocalPool())
                // A worker writes its results one after another through one generator, each
                // into its own bytes: nothing may come between them.
                .rootValueSeparator((String) null)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxDocumentLength(maxFrameBytes)
                        .maxStringLength(maxString)
                        .build())
                .streamWriteConstraints(StreamWriteConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build())
                .build();
        // Payloads are read in place inside a frame, with the rest of the frame after them.
        // An input or result with no visible properties is not data: refuse it rather than send {}.
        this.data = JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        // A stateless task class is fine: it travels as {}.
        this.state = data.rebuild()
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .addModule(NestedTasks.module(() -> this))
                .changeDefaultVisibility(v -> v.withFieldVisibility(Visibility.ANY)
                        .withGetterVisibility(Visibility.NONE)
                        .withIsGetterVisibility(Visibility.NONE)
                        .withSetterVisibility(Visibility.NONE))
                .build();
    }
}
