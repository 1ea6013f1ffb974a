package io.github.pool4j.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Task;
import io.github.pool4j.WrappingTask;
import io.github.pool4j.codec.TaskDefinition.Loaded;
import io.github.pool4j.codec.TaskDefinition.Role;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Ships tasks and loads them back in this JVM, as a worker would, without a worker process. */
class TaskDefinitionTest {

    private final Json json = new Json(1 << 20);

    private Loaded roundTrip(Task<?, ?> task) {
        TaskDefinition shipped = TaskDefinition.ship(task, Role.TASK, null, null, json);
        return TaskDefinition.load(shipped.node(), Role.TASK, json);
    }

    static long twice(int x) {
        return 2L * x;
    }

    @Test
    void load_staticReferenceWithPrimitives_callsItDirectlyAndBoxes() throws Throwable {
        Task<Integer, Long> task = TaskDefinitionTest::twice;
        Loaded loaded = roundTrip(task);

        assertEquals(6L, loaded.invoker().invoke(3));
        // Spun by the lambda metafactory into this class's nest: a direct call the JIT can inline,
        // not a call through a method handle held in a field.
        assertSame(TaskDefinitionTest.class, loaded.invoker().getClass().getNestHost());
    }

    @Test
    void load_capturingLambda_callsItDirectlyWithTheCapturedValues() throws Throwable {
        String prefix = "n=";
        int offset = 10;
        Task<Integer, String> task = x -> prefix + (x + offset);
        Loaded loaded = roundTrip(task);

        assertEquals("n=11", loaded.invoker().invoke(1));
        assertSame(TaskDefinitionTest.class, loaded.invoker().getClass().getNestHost());
    }

    @Test
    void load_referenceWithoutCaptures_doesNotBuildTheMappersUntilAResultNeedsThem() throws Throwable {
        // A worker's start is mostly Jackson's databind setting itself up: a worker whose task
        // takes and returns plain values must not pay for it.
        Task<Integer, Long> task = TaskDefinitionTest::twice;
        TaskDefinition shipped = TaskDefinition.ship(task, Role.TASK, null, null, json);
        Json worker = new Json(1 << 20);

        Loaded loaded = TaskDefinition.load(shipped.node(), Role.TASK, worker);
        assertEquals(6L, loaded.invoker().invoke(3));
        assertEquals("java.lang.Long", loaded.resultType().toCanonical());
        assertFalse(worker.mappersBuilt());

        assertEquals("6", loaded.resultWriter().writeValueAsString(6L));
        assertTrue(worker.mappersBuilt());
    }

    @Test
    void load_definitionAsPlainValues_loadsAsTheTreeDoes_withoutTheMappersForAReference() throws Throwable {
        // A worker reads definitions into maps and lists, not Jackson trees.
        tools.jackson.databind.json.JsonMapper untyped = new tools.jackson.databind.json.JsonMapper();
        Task<Integer, Long> reference = TaskDefinitionTest::twice;
        String prefix = "n=";
        Task<Integer, String> lambda = x -> prefix + x;
        Json worker = new Json(1 << 20);

        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> first = untyped.convertValue(
                TaskDefinition.ship(reference, Role.TASK, null, null, json).node(), java.util.Map.class);
        Loaded loaded = TaskDefinition.load(first, Role.TASK, worker);
        assertEquals(6L, loaded.invoker().invoke(3));
        assertEquals("java.lang.Long", loaded.resultType().toCanonical());
        assertFalse(worker.mappersBuilt());

        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> second = untyped.convertValue(
                TaskDefinition.ship(lambda, Role.TASK, null, null, json).node(), java.util.Map.class);
        assertEquals("n=4", TaskDefinition.load(second, Role.TASK, worker).invoker().invoke(4));
    }

    @Test
    void loadValueClasses_buildsTheMappersAndRunsItsSamplesThrough() {
        Json fresh = new Json(1 << 20);
        fresh.loadValueClasses(); // a sample that failed to travel would throw
        assertTrue(fresh.mappersBuilt());
    }

    @Test
    void load_capturingLambda_readsItsCapturesWithTheMapper() throws Throwable {
        int offset = 10;
        Task<Integer, Integer> task = x -> x + offset;
        TaskDefinition shipped = TaskDefinition.ship(task, Role.TASK, null, null, json);
        Json worker = new Json(1 << 20);

        Loaded loaded = TaskDefinition.load(shipped.node(), Role.TASK, worker);

        assertEquals(11, loaded.invoker().invoke(1));
        assertTrue(worker.mappersBuilt());
    }

    private static Task<Integer, Integer> adder(int n) {
        return x -> x + n;
    }

    @Test
    void load_sameImplementationAgain_reusesTheSpunClassWithItsOwnCapturedValues() throws Throwable {
        // A worker loads a definition for every map call: one class per load would pile up.
        Loaded plusOne = roundTrip(adder(1));
        Loaded plusTwo = roundTrip(adder(2));

        assertEquals(2, plusOne.invoker().invoke(1));
        assertEquals(3, plusTwo.invoker().invoke(1));
        assertSame(plusOne.invoker().getClass(), plusTwo.invoker().getClass());
    }

    @Test
    void load_constructorAndUnboundReceiverReferences_run() throws Throwable {
        Task<String, BigInteger> constructor = BigInteger::new;
        Task<String, Integer> length = String::length;

        assertEquals(BigInteger.valueOf(42), roundTrip(constructor).invoker().invoke("42"));
        assertEquals(3, roundTrip(length).invoker().invoke("abc"));
    }

    /** A user's own generic decorator: its class says nothing about the types. */
    public record Logged<T, R>(Task<T, R> wrapped) implements WrappingTask<T, R> {
        @Override
        public R apply(T input) throws Exception {
            return wrapped.apply(input);
        }
    }

    /** The same decorator without saying it wraps a task. */
    public record Opaque<T, R>(Task<T, R> inner) implements Task<T, R> {
        @Override
        public R apply(T input) throws Exception {
            return inner.apply(input);
        }
    }

    @Test
    void ship_wrappingTask_takesTheWrappedTasksTypesAndRunsItAfterLoading() throws Throwable {
        Task<BigInteger, Long> inner = BigInteger::longValueExact;
        TaskDefinition shipped = TaskDefinition.ship(new Logged<>(inner), Role.TASK, null, null, json);

        assertEquals(BigInteger.class, shipped.inputType().getRawClass());
        assertEquals(Long.class, shipped.resultType().getRawClass());
        Loaded loaded = TaskDefinition.load(shipped.node(), Role.TASK, json);
        assertEquals(7L, loaded.invoker().invoke(BigInteger.valueOf(7)));
        assertEquals(BigInteger.class, loaded.inputType().getRawClass());
    }

    @Test
    void ship_wrapperThatDoesNotSaySo_travelsWithTheTypesItsClassDeclares() {
        Task<BigInteger, Long> inner = BigInteger::longValueExact;
        TaskDefinition shipped = TaskDefinition.ship(new Opaque<>(inner), Role.TASK, null, null, json);

        // No guessing from fields: implementing WrappingTask is how a wrapper lends its task's types.
        assertEquals(Object.class, shipped.inputType().getRawClass());
        assertEquals(Object.class, shipped.resultType().getRawClass());
    }
}
