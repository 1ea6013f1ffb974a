/**
 * pool4j's {@link io.github.pool4j.hazelcast.HazelcastPool}: the {@link io.github.pool4j.Pool} API on
 * a Hazelcast cluster, and {@link io.github.pool4j.hazelcast.MemberMain} to start a member.
 *
 * <p>Members run from the class path (Hazelcast instantiates the envelope classes of the internal
 * package there); this descriptor matters to the side that creates the pool.
 */
module io.github.pool4j.hazelcast {
    requires transitive io.github.pool4j.core;
    requires transitive com.hazelcast.core;
    requires io.github.pool4j.codec;
    requires tools.jackson.databind;
    requires org.slf4j;

    exports io.github.pool4j.hazelcast;
    // Hazelcast builds the envelope and its reply from their class names; Jackson reads the replies' records.
    exports io.github.pool4j.hazelcast.internal to com.hazelcast.core;
    opens io.github.pool4j.hazelcast.internal to tools.jackson.databind;
}
