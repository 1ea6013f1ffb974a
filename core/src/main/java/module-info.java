/**
 * pool4j's core: the {@link io.github.pool4j.Pool} API shared by every pool, the reference
 * {@link io.github.pool4j.SerialPool}, timing decorators ({@code io.github.pool4j.timing}) and a
 * {@code ps}-like view of processes and threads ({@code io.github.pool4j.os}).
 *
 * <p>The engine every pool is built on ({@code io.github.pool4j.spi}) and the flight-recorder
 * events ({@code io.github.pool4j.internal}) are exported to pool4j's own modules only. Runs
 * without the {@code jdk.jfr} module: events are then not recorded.
 */
@SuppressWarnings("module") // qualified exports name modules built after this one
module io.github.pool4j.core {
    requires org.slf4j;
    requires static jdk.jfr;

    exports io.github.pool4j;
    exports io.github.pool4j.timing;
    // A process pool ships a TimedTask by its fields.
    opens io.github.pool4j.timing to tools.jackson.databind;
    exports io.github.pool4j.os;
    exports io.github.pool4j.spi to
            io.github.pool4j.thread,
            io.github.pool4j.process,
            io.github.pool4j.hazelcast;
    exports io.github.pool4j.internal to
            io.github.pool4j.thread,
            io.github.pool4j.process,
            io.github.pool4j.hazelcast;
}
