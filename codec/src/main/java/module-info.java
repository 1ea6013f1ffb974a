/**
 * pool4j's task and value codec: how a task, its inputs and its results travel to another JVM as
 * JSON, shared by pool4j's out-of-process pools and exported to them only.
 *
 * <p>Jackson reads and writes the codec's own value types by reflection, so the package is open to
 * it. An application on the module path whose task or value classes travel must open their
 * packages to {@code tools.jackson.databind} and {@code io.github.pool4j.codec} likewise.
 */
@SuppressWarnings("module") // qualified exports name modules built after this one
module io.github.pool4j.codec {
    requires transitive io.github.pool4j.core;
    requires transitive tools.jackson.databind;

    exports io.github.pool4j.codec to
            io.github.pool4j.process,
            io.github.pool4j.hazelcast;
    opens io.github.pool4j.codec to tools.jackson.databind;
}
