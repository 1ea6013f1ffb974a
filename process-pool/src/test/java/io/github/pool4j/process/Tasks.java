package io.github.pool4j.process;

import io.github.pool4j.Task;
import java.util.List;
import java.util.Map;

/** Named tasks and static methods the tests ship to workers. */
final class Tasks {

    private Tasks() {}

    static String sayHello(String name) {
        System.out.println("Hi " + name + "!");
        return "Hi " + name + "!";
    }

    static Map<String, List<Long>> group(List<Long> values) {
        return Map.of("even", values.stream().filter(v -> v % 2 == 0).toList(),
                "odd", values.stream().filter(v -> v % 2 != 0).toList());
    }

    static java.util.Optional<java.time.LocalDate> nextDay(java.time.LocalDate day) {
        return java.util.Optional.of(day.plusDays(1));
    }

    static int square(int x) {
        return x * x;
    }

    static long widen(int x) {
        return 2L * x;
    }

    static long pid(Object ignored) {
        return ProcessHandle.current().pid();
    }

    /** A named task with JSON state. */
    static final class Multiply implements Task<Integer, Integer> {
        private int factor;

        Multiply() {}

        Multiply(int factor) {
            this.factor = factor;
        }

        @Override
        public Integer apply(Integer input) {
            return input * factor;
        }
    }

    record Point(int x, int y) {}
}
