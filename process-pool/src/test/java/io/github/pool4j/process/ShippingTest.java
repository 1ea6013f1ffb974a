package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.pool4j.Pool;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShippingTest extends SharedPool {

    @Test
    void map_nonCapturingLambda_runsInWorkers() {
        Pool<Integer, Integer> p = pool();
        assertEquals(List.of(1, 4, 9), p.map(x -> x * x, List.of(1, 2, 3)));
    }

    @Test
    void map_staticMethodReference_runsInWorkers() {
        Pool<String, String> p = pool();
        assertEquals(List.of("Hi Kai!", "Hi Ana!"), p.map(Tasks::sayHello, List.of("Kai", "Ana")));
    }

    @Test
    void map_capturingLambda_carriesCapturedValues() {
        Pool<Integer, String> p = pool();
        String prefix = "n=";
        int offset = 10;
        assertEquals(List.of("n=11", "n=12"), p.map(x -> prefix + (x + offset), List.of(1, 2)));
    }

    @Test
    void map_namedTaskClass_carriesItsState() {
        Pool<Integer, Integer> p = pool();
        assertEquals(List.of(3, 6), p.map(new Tasks.Multiply(3), List.of(1, 2)));
    }

    @Test
    void map_timedTask_wrapsAShippedLambdaAndTimesInsideTheWorker() {
        Pool<Tasks.Point, Integer> p = pool();
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(List.of(3, 7),
                    p.map(io.github.pool4j.timing.Timed.task("add_xy", pt -> pt.x() + pt.y()),
                            List.of(new Tasks.Point(1, 2), new Tasks.Point(3, 4))));
        } finally {
            System.setOut(original);
        }
        String printed;
        synchronized (captured) {
            printed = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        // Timed.task prints "name seconds" in the worker; the line is forwarded to this JVM's stdout.
        assertEquals(2, printed.lines().filter(l -> l.matches("add_xy \\d+\\.\\d+")).count(), printed);
    }

    @Test
    void map_constructorReference_runsInWorkers() {
        Pool<String, java.math.BigInteger> p = pool();
        assertEquals(List.of(java.math.BigInteger.valueOf(12), java.math.BigInteger.TEN.pow(30)),
                p.map(java.math.BigInteger::new, List.of("12", "1" + "0".repeat(30))));
    }

    @Test
    void map_boundReceiverReference_carriesTheReceiver() {
        Pool<String, String> p = pool();
        String greeting = "Hi ";
        assertEquals(List.of("Hi Kai", "Hi Ana"), p.map(greeting::concat, List.of("Kai", "Ana")));
    }

    @Test
    void map_primitiveParameterAndResult_areBoxedOnTheWayInAndOut() {
        Pool<Integer, Long> p = pool();
        // Tasks.widen takes an int and returns a long: the worker unboxes the input, boxes the result.
        assertEquals(List.of(3_000_000_000L, -2L), p.map(Tasks::widen, List.of(1_500_000_000, -1)));
    }

    @Test
    void map_runsInOtherProcesses() {
        Pool<Integer, Long> p = pool();
        List<Long> pids = p.map(Tasks::pid, List.of(1, 2, 3, 4));
        for (long pid : pids) {
            assertNotEquals(ProcessHandle.current().pid(), pid);
        }
    }
}
