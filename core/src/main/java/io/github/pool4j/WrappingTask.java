package io.github.pool4j;

/**
 * A task that runs another task with something around it (timing, logging, retrying), such as
 * {@link io.github.pool4j.timing.Timed#task(String, Task)} returns.
 *
 * <p>A pool that ships tasks to another JVM looks through a wrapping task: when the wrapper's own
 * class does not fix the input and result types (a generic {@code MyWrapper<T, R>}), the wrapped
 * task's types decide how inputs and results travel. The wrapper itself travels as any task class
 * does, by its fields, with the wrapped task among them; so a wrapper must hold the task it
 * returns from {@link #wrapped()} in a field. A wrapper that does not implement this interface
 * still runs, but its inputs and results travel with only the types its class declares.
 *
 * <pre>{@code
 * record Logged<T, R>(Task<T, R> wrapped) implements WrappingTask<T, R> {
 *     public R apply(T input) throws Exception {
 *         System.out.println("input " + input);
 *         return wrapped.apply(input);
 *     }
 * }
 * }</pre>
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public interface WrappingTask<T, R> extends Task<T, R> {

    /**
     * Returns the task this one runs for each input.
     *
     * @return the wrapped task, never null
     */
    Task<T, R> wrapped();
}
