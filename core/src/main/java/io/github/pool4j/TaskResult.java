package io.github.pool4j;

import java.util.Objects;

/**
 * The outcome of a task for one input: its value, or the {@link PoolException} that replaced it.
 *
 * <p>{@link Pool#mapResults} returns one per input, in input order, so one bad input never
 * discards the others' results. Instances are immutable.
 *
 * @param <R> the result type
 */
public final class TaskResult<R> {

    private final long inputIndex;
    private final R value;
    private final PoolException failure;

    private TaskResult(long inputIndex, R value, PoolException failure) {
        this.inputIndex = inputIndex;
        this.value = value;
        this.failure = failure;
    }

    /**
     * Returns a successful outcome.
     *
     * @param inputIndex the input's index in its call
     * @param value the task's result, possibly {@code null}
     * @param <R> the result type
     * @return the outcome
     */
    public static <R> TaskResult<R> success(long inputIndex, R value) {
        return new TaskResult<>(inputIndex, value, null);
    }

    /**
     * Returns a failed outcome.
     *
     * @param failure why there is no value; its {@link PoolException#inputIndex()} is the outcome's
     * @param <R> the result type
     * @return the outcome
     * @throws NullPointerException if {@code failure} is null
     */
    public static <R> TaskResult<R> failure(PoolException failure) {
        return new TaskResult<>(failure.inputIndex(), null, Objects.requireNonNull(failure, "failure"));
    }

    /**
     * Returns the index of the input this outcome belongs to.
     *
     * @return the zero-based input index
     */
    public long inputIndex() {
        return inputIndex;
    }

    /**
     * Tells whether the task produced a value.
     *
     * @return {@code true} on success
     */
    public boolean isSuccess() {
        return failure == null;
    }

    /**
     * Returns the task's result.
     *
     * @return the value, possibly {@code null}
     * @throws PoolException the {@linkplain #failure() failure} if the task did not succeed
     */
    public R value() {
        if (failure != null) {
            throw failure;
        }
        return value;
    }

    /**
     * Returns why the task produced no value.
     *
     * @return the failure, or {@code null} on success
     */
    public PoolException failure() {
        return failure;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskResult<?> other
                && inputIndex == other.inputIndex
                && Objects.equals(value, other.value)
                && Objects.equals(failure, other.failure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputIndex, value, failure);
    }

    @Override
    public String toString() {
        return isSuccess()
                ? "TaskResult[#" + inputIndex + " = " + value + "]"
                : "TaskResult[#" + inputIndex + " failed: " + failure + "]";
    }
}
