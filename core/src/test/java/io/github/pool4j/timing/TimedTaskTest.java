package io.github.pool4j.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.SerialPool;
import io.github.pool4j.Task;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.WrappingTask;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimedTaskTest {

    private final FakeTicker ticker = new FakeTicker();
    private final CollectingSink sink = TimingSink.collecting();
    private final Timer timer = Timed.with(sink, ticker);

    static String sayHello(String name) {
        return "Hi " + name + "!";
    }

    @Test
    void task_inAPool_recordsEveryCall() {
        Task<String, String> hello = name -> {
            ticker.advance(Duration.ofMillis(name.length()));
            return sayHello(name);
        };
        try (Pool<String, String> pool = SerialPool.create()) {
            List<String> greetings = pool.map(timer.task("say_hello", hello), List.of("Kai", "Tessa", "Jess"));

            assertEquals(List.of("Hi Kai!", "Hi Tessa!", "Hi Jess!"), greetings);
        }
        assertEquals(List.of(Duration.ofMillis(3), Duration.ofMillis(5), Duration.ofMillis(4)), sink.durations("say_hello"));
    }

    @Test
    void task_throws_poolReportsTheOriginalExceptionAndTheCallIsTimed() {
        IOException boom = new IOException("no greeting today");
        Task<String, String> failing = name -> {
            throw boom;
        };
        try (Pool<String, String> pool = SerialPool.create()) {
            TaskFailedException thrown = assertThrows(TaskFailedException.class,
                    () -> pool.map(timer.task("say_hello", failing), List.of("Kai")));

            assertSame(boom, thrown.getCause());
        }
        assertEquals(1, sink.durations("say_hello").size());
    }

    @Test
    void task_madeWithThePublicConstructor_printsNameSecondsToStdout() throws Exception {
        // What a worker JVM has: the name and the wrapped task, no sink or clock.
        TimedTask<String, String> rebuilt = new TimedTask<>("say_hello", TimedTaskTest::sayHello);

        String printed;
        String result;
        try (StdoutCapture out = StdoutCapture.out()) {
            result = rebuilt.apply("Kai");
            printed = out.text();
        }

        assertEquals("Hi Kai!", result);
        assertTrue(printed.matches("say_hello \\d+\\.\\d{1,9}" + System.lineSeparator()), printed);
    }

    @Test
    void timedTask_isAnImmutableWrapperWhoseStateIsItsNameAndTask() throws Exception {
        assertTrue(WrappingTask.class.isAssignableFrom(TimedTask.class));
        // Only name and delegate are state; the sink and clock stay in the JVM that made them.
        for (Field field : TimedTask.class.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            boolean state = field.getName().equals("name") || field.getName().equals("delegate");
            assertTrue(Modifier.isFinal(modifiers), field.toString());
            assertTrue(state || Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers), field.toString());
        }
        TimedTask<String, String> task = Timed.task("say_hello", TimedTaskTest::sayHello);
        assertEquals("say_hello", task.name());
        assertEquals("Hi Jess!", task.wrapped().apply("Jess"));
    }

    @Test
    void task_nullArguments_throwNullPointerException() {
        assertThrows(NullPointerException.class, () -> Timed.task(null, TimedTaskTest::sayHello));
        assertThrows(NullPointerException.class, () -> Timed.task("x", null));
        assertThrows(NullPointerException.class, () -> new TimedTask<String, String>("x", null));
    }
}
