/**
 * pool4j's {@link io.github.pool4j.process.ProcessPool}: the {@link io.github.pool4j.Pool} API over
 * worker JVM processes, Python's {@code multiprocessing.Pool} for Java.
 *
 * <p>Worker JVMs always run from the class path; this descriptor matters to the parent only.
 */
module io.github.pool4j.process {
    requires transitive io.github.pool4j.core;
    requires io.github.pool4j.codec;
    requires tools.jackson.databind;
    requires org.slf4j;

    exports io.github.pool4j.process;
}
