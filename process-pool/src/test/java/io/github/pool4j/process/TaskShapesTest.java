package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.Task;
import io.github.pool4j.TaskSerializationException;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tasks written the usual Java way travel with no annotation and no compiler flag. */
class TaskShapesTest extends SharedPool {

    /**
     * A named task as Java code usually has it: private final fields set by constructors. Two
     * constructors, so no library can guess which one rebuilds it.
     */
    static final class Scale implements Task<Integer, String> {
        private final int factor;
        private final String unit;

        Scale(int factor) {
            this(factor, "m");
        }

        Scale(int factor, String unit) {
            if (factor <= 0) {
                throw new IllegalArgumentException("factor must be > 0, was " + factor);
            }
            this.factor = factor;
            this.unit = unit;
        }

        @Override
        public String apply(Integer input) {
            return input * factor + unit;
        }
    }

    /** A value a lambda captures: private final state, two constructors, no getters. */
    static final class Money {
        private final BigDecimal amount;
        private final String currency;

        Money(BigDecimal amount, String currency) {
            this.amount = amount;
            this.currency = currency;
        }

        Money(String text) {
            this(new BigDecimal(text.split(" ")[0]), text.split(" ")[1]);
        }

        String times(int n) {
            return amount.multiply(BigDecimal.valueOf(n)) + " " + currency;
        }
    }

    /** Neither a record nor Serializable: what a bound method reference's receiver usually is. */
    static final class PojoFormatter {
        private final String prefix;
        private final Object extra;

        PojoFormatter(String prefix, Object extra) {
            this.prefix = prefix;
            this.extra = extra;
        }

        PojoFormatter(String prefix) {
            this(prefix, null);
        }

        String format(Integer i) {
            return prefix + i;
        }
    }

    @Test
    void map_namedTaskWithPrivateFinalFieldsAndConstructors_travels() {
        Pool<Integer, String> p = pool();
        assertEquals(List.of("3km", "6km"), p.map(new Scale(3, "km"), List.of(1, 2)));
        assertEquals(List.of("2m"), p.map(new Scale(2), List.of(1)));
    }

    @Test
    void map_lambdaCapturingAPlainObject_carriesItByItsFields() {
        Pool<Integer, String> p = pool();
        Money price = new Money("2.50 EUR");
        assertEquals(List.of("2.50 EUR", "5.00 EUR"), p.map(n -> price.times(n), List.of(1, 2)));
    }

    @Test
    void map_boundMethodReference_behavesLikeTheEquivalentLambda() {
        Pool<Integer, String> p = pool();
        PojoFormatter formatter = new PojoFormatter("#");
        List<String> viaLambda = p.map(i -> formatter.format(i), List.of(1, 2));
        assertEquals(List.of("#1", "#2"), viaLambda);
        assertEquals(viaLambda, p.map(formatter::format, List.of(1, 2)));
    }

    @Test
    void map_boundMethodReferenceThatCannotTravel_isNamedAsWritten() {
        Pool<Integer, String> p = pool();
        PojoFormatter formatter = new PojoFormatter("#", new Thread(() -> {}));
        TaskSerializationException e = assertThrows(TaskSerializationException.class,
                () -> p.map(formatter::format, List.of(1)));
        assertTrue(e.getMessage().contains("method reference TaskShapesTest.PojoFormatter::format"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        assertFalse(e.getMessage().contains("$$Lambda"), e.getMessage());
        assertFalse(e.typeName().contains("$$Lambda"), e.typeName());
    }

    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void map_lambdaCapturingThis_isNamedByItsEnclosingMethodAndLine() {
        Pool<Integer, Integer> p = pool();
        TaskSerializationException e = assertThrows(TaskSerializationException.class,
                () -> p.map(x -> x + calls.get(), List.of(1)));
        assertTrue(e.getMessage().contains("lambda in TaskShapesTest.map_lambdaCapturingThis_isNamedByItsEnclosingMethodAndLine"
                + " (TaskShapesTest.java:"), e.getMessage());
        assertFalse(e.getMessage().contains("$$Lambda"), e.getMessage());
    }
}
