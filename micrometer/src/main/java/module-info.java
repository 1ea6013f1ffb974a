/**
 * pool4j's Micrometer binding: {@link io.github.pool4j.micrometer.PoolMetrics} shows any
 * {@link io.github.pool4j.Pool} in a {@code MeterRegistry}. Micrometer is the application's to bring.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Micrometer ships an Automatic-Module-Name, no descriptor
module io.github.pool4j.micrometer {
    requires transitive io.github.pool4j.core;
    requires static transitive micrometer.core;

    exports io.github.pool4j.micrometer;
}
