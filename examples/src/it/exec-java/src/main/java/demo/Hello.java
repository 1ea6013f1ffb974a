package demo;

import io.github.pool4j.Pool;
import io.github.pool4j.process.ProcessPool;
import java.util.List;

/** The README's quick start, run by {@code mvn exec:java}: fails the build unless the workers ran it. */
public final class Hello {

    public static String sayHello(String name) {
        return "Hi " + name + "! from pid " + ProcessHandle.current().pid();
    }

    public static void main(String[] args) {
        long self = ProcessHandle.current().pid();
        try (Pool<String, String> pool = ProcessPool.create(2)) {
            List<String> greetings = pool.map(Hello::sayHello, List.of("Kai", "Tessa", "Jess"));
            for (String greeting : greetings) {
                if (!greeting.startsWith("Hi ") || greeting.endsWith("pid " + self)) {
                    throw new IllegalStateException("not greeted by a worker JVM: " + greetings);
                }
            }
            System.out.println("exec:java ran a ProcessPool: " + greetings);
        }
    }
}
