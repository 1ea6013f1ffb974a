package io.github.pool4j.timing;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.PoolStats;
import io.github.pool4j.ResultIterator;
import io.github.pool4j.Task;
import io.github.pool4j.TaskResult;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The decorator behind {@link Timer#pool}: forwards every {@link Pool} method and times the calls
 * that run tasks. It never subclasses a pool, so it works on any implementation, and it declares
 * every method of {@code Pool} itself, defaults included, so none bypasses the delegate. Its
 * {@link #typed()} view is a view of the decorator: the view's calls are timed too.
 */
final class TimedPool<T, R> implements Pool<T, R> {

    private final Pool<T, R> delegate;
    private final Timer timer;

    TimedPool(Pool<T, R> delegate, Timer timer) {
        this.delegate = Objects.requireNonNull(delegate, "pool");
        this.timer = timer;
    }

    @Override
    public List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return timer.get("map", () -> delegate.map(task, inputs, options));
    }

    @Override
    public List<TaskResult<R>> mapResults(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return timer.get("mapResults", () -> delegate.mapResults(task, inputs, options));
    }

    @Override
    public CompletableFuture<R> submit(Task<? super T, ? extends R> task, T input, CallOptions options) {
        return whenDone("submit", () -> delegate.submit(task, input, options));
    }

    @Override
    public CompletableFuture<List<R>> mapAsync(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return whenDone("mapAsync", () -> delegate.mapAsync(task, inputs, options));
    }

    @Override
    public ResultIterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return whenExhausted("imap", () -> delegate.imap(task, inputs, options));
    }

    @Override
    public ResultIterator<R> imapUnordered(
            Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options) {
        return whenExhausted("imapUnordered", () -> delegate.imapUnordered(task, inputs, options));
    }

    @Override
    public List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
        return timer.get("map", () -> delegate.map(task, inputs));
    }

    @Override
    public List<TaskResult<R>> mapResults(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
        return timer.get("mapResults", () -> delegate.mapResults(task, inputs));
    }

    @Override
    public CompletableFuture<R> submit(Task<? super T, ? extends R> task, T input) {
        return whenDone("submit", () -> delegate.submit(task, input));
    }

    @Override
    public CompletableFuture<List<R>> mapAsync(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
        return whenDone("mapAsync", () -> delegate.mapAsync(task, inputs));
    }

    @Override
    public ResultIterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
        return whenExhausted("imap", () -> delegate.imap(task, inputs));
    }

    @Override
    public ResultIterator<R> imapUnordered(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
        return whenExhausted("imapUnordered", () -> delegate.imapUnordered(task, inputs));
    }

    /** A view of this decorator, not of the delegate, so the view's calls are timed too. */
    @Override
    public <A, B> Pool<A, B> typed() {
        return Pool.super.typed();
    }

    @Override
    public int size() {
        return delegate.size();
    }

    @Override
    public PoolStats stats() {
        return delegate.stats();
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void terminate() {
        delegate.terminate();
    }

    @Override
    public String toString() {
        return "Timed[" + delegate + "]";
    }

    private <V> CompletableFuture<V> whenDone(String name, Supplier<CompletableFuture<V>> call) {
        long start = timer.start();
        CompletableFuture<V> inner;
        try {
            inner = call.get();
        } catch (Throwable t) {
            timer.finish(name, start, t);
            throw t;
        }
        return timer.finishWhenDone(name, start, inner);
    }

    private ResultIterator<R> whenExhausted(String name, Supplier<ResultIterator<R>> call) {
        long start = timer.start();
        ResultIterator<R> inner;
        try {
            inner = call.get();
        } catch (Throwable t) {
            timer.finish(name, start, t);
            throw t;
        }
        return new TimedIterator<>(inner, timer, name, start);
    }

    /** Records its timing once: when the results run out, reading them fails, or it is closed. */
    private static final class TimedIterator<R> implements ResultIterator<R> {

        private final ResultIterator<R> delegate;
        private final Timer timer;
        private final String name;
        private final long start;
        private final AtomicBoolean recorded = new AtomicBoolean();

        TimedIterator(ResultIterator<R> delegate, Timer timer, String name, long start) {
            this.delegate = delegate;
            this.timer = timer;
            this.name = name;
            this.start = start;
        }

        @Override
        public boolean hasNext() {
            boolean more;
            try {
                more = delegate.hasNext();
            } catch (Throwable t) {
                finish(t);
                throw t;
            }
            if (!more) {
                finish(null);
            }
            return more;
        }

        @Override
        public R next() {
            return delegate.next();
        }

        @Override
        public void close() {
            Throwable failure = null;
            try {
                delegate.close();
            } catch (Throwable t) {
                failure = t;
                throw t;
            } finally {
                finish(failure);
            }
        }

        private void finish(Throwable failure) {
            if (recorded.compareAndSet(false, true)) {
                timer.finish(name, start, failure);
            }
        }
    }
}
