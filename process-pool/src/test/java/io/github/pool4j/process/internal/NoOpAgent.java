package io.github.pool4j.process.internal;

/** A Java agent that does nothing: what {@code -javaagent:} needs to start a JVM with an agent. */
public final class NoOpAgent {

    private NoOpAgent() {}

    /**
     * Called before the worker's main method; does nothing.
     *
     * @param arguments the agent's arguments
     */
    public static void premain(String arguments) {
        // Nothing: being an agent is the point.
    }
}
