package io.github.pool4j;

import java.io.Serializable;

/**
 * A function applied to each input of a {@link Pool} call, like the function given to Python's
 * {@code Pool.map}.
 *
 * <p>A task may run in the caller's thread ({@code SerialPool}), in a pool thread
 * ({@code ThreadPool}) or in another JVM ({@code ProcessPool}). Tasks that may run in another JVM
 * must be shippable: a named class implementing {@code Task} whose state is plain data, a method
 * reference such as {@code Hello::sayHello}, or a lambda whose captured values are plain data.
 * {@code Task} extends {@link Serializable} only so the compiler records how a lambda was made;
 * pool4j never uses Java object serialization on the wire.
 *
 * <pre>{@code
 * Task<String, String> sayHello = name -> "Hi " + name + "!";
 * }</pre>
 *
 * <p>Thread-safety: a pool may call {@link #apply} from several threads at once; a task with
 * mutable state must guard it itself.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Task<T, R> extends Serializable {

    /**
     * Computes the result for one input.
     *
     * @param input one element of the inputs given to the pool (may be {@code null} if the caller
     *     passed {@code null} elements)
     * @return the result, which may be {@code null}
     * @throws Exception any failure; the pool reports it as a {@link TaskFailedException} naming
     *     this input's index
     */
    R apply(T input) throws Exception;
}
