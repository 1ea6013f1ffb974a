package io.github.pool4j.benchmarks;

/**
 * The bare {@code java Hello} the pool start is compared with: a JVM that starts, prints one
 * line and exits.
 */
public final class Hello {

    private Hello() {}

    /**
     * Prints {@code Hello}.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("Hello");
    }
}
