package io.github.pool4j.process;

import io.github.pool4j.Pool;
import java.util.List;

/** An application that maps with a process pool; {@link ClassPathTest} runs it from a class loader of its own. */
public final class IsolatedApp {

    private IsolatedApp() {}

    public static void main(String[] args) {
        try (Pool<String, Integer> pool = ProcessPool.create(2)) {
            System.out.println("lengths " + pool.map(IsolatedApp::length, List.of("Kai", "Tessa", "Jess")));
        }
    }

    static Integer length(String name) {
        return name.length();
    }
}
