package io.github.pool4j.spi;

import io.github.pool4j.PoolException;
import io.github.pool4j.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * A call whose inputs are all known up front ({@code map}, {@code mapAsync}, {@code mapResults},
 * {@code submit}): every chunk is dispatched at once, like {@code invokeAll}.
 */
final class BatchCall extends Call {

    private final List<Object> inputs;
    private final int chunkSize;
    private final Chunk[] chunks;
    private final boolean failFast;
    private final AtomicInteger remaining;
    /** Completes when every input is done, or when fail-fast found the first failure in input order. */
    final CompletableFuture<Void> done = new CompletableFuture<>();

    private volatile boolean sawFailure;
    /** Inputs before this index are done and succeeded; guarded by {@code this}. */
    private int successfulPrefix;

    BatchCall(AbstractPool<?, ?> pool, long id, Object prepared, List<Object> inputs, boolean failFast) {
        super(pool, id, prepared);
        this.inputs = inputs;
        this.failFast = failFast;
        this.chunkSize = pool.options().chunkSizeFor(inputs.size());
        this.chunks = new Chunk[(inputs.size() + chunkSize - 1) / chunkSize];
        this.remaining = new AtomicInteger(inputs.size());
    }

    void start() {
        if (inputs.isEmpty()) {
            done.complete(null);
            return;
        }
        for (int c = 0; c < chunks.length; c++) {
            int from = c * chunkSize;
            int to = Math.min(inputs.size(), from + chunkSize);
            dispatch(from, inputs.subList(from, to).toArray());
            if (done.isDone()) {
                break; // an input already failed fast (e.g. could not be serialized); don't send more
            }
        }
    }

    @Override
    void register(Chunk chunk) {
        chunks[(int) (chunk.firstIndex() / chunkSize)] = chunk;
    }

    @Override
    void onOutcome(Chunk chunk, int offset, boolean failed, boolean chunkResolved) {
        countOutcome(chunk, failed);
        int left = remaining.decrementAndGet();
        progress(inputs.size() - left, inputs.size());
        if (failed) {
            sawFailure = true;
        }
        if (left == 0) {
            finish();
        } else if (failFast && sawFailure) {
            checkFirstFailure();
        }
    }

    private void checkFirstFailure() {
        int failedAt = -1;
        synchronized (this) {
            while (successfulPrefix < inputs.size()) {
                Object outcome = outcome(successfulPrefix);
                if (outcome == null) {
                    return;
                }
                if (outcome instanceof Chunk.Failure) {
                    failedAt = successfulPrefix;
                    break;
                }
                successfulPrefix++;
            }
        }
        if (failedAt >= 0 && finish()) {
            cancel(cancelledFailure("input #" + failedAt + " failed first"));
        }
    }

    private Object outcome(int index) {
        Chunk chunk = chunks[index / chunkSize];
        return chunk == null ? null : chunk.outcome(index % chunkSize);
    }

    private boolean finish() {
        if (done.complete(null)) {
            pool.callEnded(this);
            return true;
        }
        return false;
    }

    /** Gives up on every input not done yet: the caller no longer wants them. */
    void cancel(LongFunction<PoolException> failureForIndex) {
        for (Chunk chunk : chunks) {
            if (chunk != null && !chunk.isResolved()) {
                chunk.cancel(failureForIndex);
                pool.chunkCancelled(chunk);
            }
        }
        finish();
    }

    @Override
    void abort(LongFunction<PoolException> failureForIndex) {
        cancel(failureForIndex);
    }

    /** Returns all values in input order, or throws the first failure in input order. */
    List<Object> values() {
        List<Object> values = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Object outcome = outcome(i);
            if (outcome instanceof Chunk.Failure failure) {
                throw failure.exception();
            }
            values.add(Chunk.valueOf(outcome));
        }
        return values;
    }

    /** Returns one outcome per input in input order; call only once {@link #done} completed. */
    <R> List<TaskResult<R>> results() {
        List<TaskResult<R>> results = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Object outcome = outcome(i);
            if (outcome instanceof Chunk.Failure failure) {
                results.add(TaskResult.failure(failure.exception()));
            } else {
                @SuppressWarnings("unchecked")
                R value = (R) Chunk.valueOf(outcome);
                results.add(TaskResult.success(i, value));
            }
        }
        return results;
    }
}
