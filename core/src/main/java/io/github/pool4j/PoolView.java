package io.github.pool4j;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The view behind {@link Pool#typed()}: forwards every call to the pool it was made from, under
 * other compile-time types, and has a lifecycle of its own that never reaches that pool.
 *
 * <p>Thread-safety: thread-safe; {@link #futures} is a concurrent set and {@link #closed} volatile.
 */
final class PoolView<T, R> implements Pool<T, R> {

    private final Pool<Object, Object> pool;
    /** Futures returned through this view and not complete yet, for close() and terminate(). */
    private final Set<CompletableFuture<?>> futures = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    @SuppressWarnings("unchecked")
    PoolView(Pool<?, ?> pool) {
        // A pool's types are compile-time only: every pool runs a task on whatever inputs it gets.
        this.pool = (Pool<Object, Object>) Objects.requireNonNull(pool, "pool");
    }

    @Override
    public List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        checkOpen();
        return cast(pool.map(erase(task), inputs, options));
    }

    @Override
    public ResultIterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        checkOpen();
        return cast(pool.imap(erase(task), inputs, options));
    }

    @Override
    public ResultIterator<R> imapUnordered(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        checkOpen();
        return cast(pool.imapUnordered(erase(task), inputs, options));
    }

    @Override
    public CompletableFuture<R> submit(Task<? super T, ? extends R> task, T input, CallOptions options) {
        return track(() -> cast(pool.submit(erase(task), input, options)));
    }

    @Override
    public CompletableFuture<List<R>> mapAsync(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return track(() -> cast(pool.mapAsync(erase(task), inputs, options)));
    }

    @Override
    public List<TaskResult<R>> mapResults(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        checkOpen();
        return cast(pool.mapResults(erase(task), inputs, options));
    }

    @Override
    public <A, B> Pool<A, B> typed() {
        return pool.typed();
    }

    @Override
    public int size() {
        return pool.size();
    }

    @Override
    public PoolStats stats() {
        return pool.stats();
    }

    @Override
    public boolean isClosed() {
        return closed || pool.isClosed();
    }

    /** Refuses further calls through this view and waits for the futures it returned; the pool stays open. */
    @Override
    public void close() {
        closed = true;
        boolean interrupted = false;
        for (CompletableFuture<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // its failure is the caller's to see through the future
            }
        }
        if (interrupted) {
            terminate();
            Thread.currentThread().interrupt();
        }
    }

    /** Refuses further calls through this view and cancels its unfinished futures; the pool stays open. */
    @Override
    public void terminate() {
        closed = true;
        for (CompletableFuture<?> future : futures) {
            future.cancel(true); // cancels its call's unfinished inputs
        }
    }

    @Override
    public String toString() {
        return "View[" + pool + (closed ? ", view closed" : "") + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new PoolClosedException("This pool view is closed: no new work is accepted (the pool itself may be open)");
        }
    }

    private <V> CompletableFuture<V> track(Supplier<CompletableFuture<V>> call) {
        checkOpen();
        CompletableFuture<V> future = call.get();
        futures.add(future);
        future.whenComplete((value, failure) -> futures.remove(future));
        return future;
    }

    @SuppressWarnings("unchecked")
    private static Task<Object, Object> erase(Task<?, ?> task) {
        return (Task<Object, Object>) task;
    }

    @SuppressWarnings("unchecked")
    private static <V> V cast(Object value) {
        return (V) value;
    }
}
