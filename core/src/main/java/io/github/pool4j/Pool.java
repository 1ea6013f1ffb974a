package io.github.pool4j;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A pool of workers that applies a {@link Task} to many inputs at once: Python's
 * {@code multiprocessing.Pool} for Java.
 *
 * <p>Implementations run tasks in the caller's thread ({@code SerialPool}), in threads of this JVM
 * ({@code ThreadPool}) or in worker JVM processes ({@code ProcessPool}); code written against
 * {@code Pool} runs unchanged on each.
 *
 * <pre>{@code
 * try (Pool<String, String> pool = ThreadPool.create(3)) {
 *     List<String> greetings = pool.map(name -> "Hi " + name + "!", List.of("Kai", "Tessa", "Jess"));
 * }
 * }</pre>
 *
 * <h2>Calls</h2>
 * Each call splits its inputs into chunks (see the pool's chunk size) and hands them to the
 * workers. {@link #map} and {@link #imap} give results in input order whatever order the work
 * finished in; {@link #imapUnordered} gives them in completion order. {@code map},
 * {@link #mapAsync} and {@link #mapResults} read all inputs, each once, in the calling thread
 * before they return or hand out a future: the caller may change or reuse its collection once
 * {@code mapAsync} returned. Until then another thread must not change it: a pool may read a plain
 * list (an {@code ArrayList}, {@code List.of}) while its first inputs already run, as
 * {@code ExecutorService.invokeAll} does, where other collections are copied before anything runs.
 * {@code imap} and {@code imapUnordered} read them lazily, keeping a bounded window in flight, so
 * they work on endless inputs.
 *
 * <h2>Failures</h2>
 * When a task throws for some input, {@code map} throws a {@link TaskFailedException} for the
 * first failing input <em>in input order</em>, once every earlier input has finished; the inputs
 * of that call not started yet are cancelled and those running are left to finish, their results
 * discarded. {@link #mapResults} never throws for a task: it reports one {@link TaskResult} per
 * input. An exception thrown by the caller's own {@code inputs} iterator reaches the caller
 * unchanged and nothing of that call is run. Interrupting a thread blocked in a call makes it
 * return promptly with a {@link PoolException} whose cause is the {@link InterruptedException};
 * the interrupt flag stays set and the call's unstarted inputs are cancelled.
 *
 * <h2>Per-call options</h2>
 * Each operation has an overload taking {@link CallOptions} (chunk size, a progress listener for
 * that call); options not set there are the pool's, from its builder.
 *
 * <h2>Chunk size</h2>
 * Unless a chunk size is set (per pool or per call), {@code map}, {@code mapAsync},
 * {@code mapResults} use Python's {@code ceil(n / (4 * size))} for {@code n} inputs, and
 * {@code imap}/{@code imapUnordered}, which do not know {@code n}, start with chunks of one input
 * (first results come soon) and double the chunk size while chunks come back fast, halving it again
 * when they turn slow, up to a bound.
 *
 * <h2>Callbacks</h2>
 * The futures returned by {@link #submit} and {@link #mapAsync} are completed on a shared daemon
 * thread named {@code pool4j-callback-N}, never on a thread the pool needs to make progress (a pool
 * thread, a worker process's reader): a callback attached with {@code thenApply},
 * {@code whenComplete}... may call the pool again, block on another of its futures, or close it,
 * even in a pool of size 1. (A callback attached to a future already complete runs in the thread
 * that attaches it, as always with {@link CompletableFuture}; with {@code SerialPool}, whose calls
 * are done when they return, that is the caller.) Callback threads are created as needed and end
 * after a few idle seconds.
 *
 * <h2>Differently typed tasks on one pool</h2>
 * {@link #typed()} gives a view of the same pool for other input and result types, so one pool
 * (one set of worker processes) runs tasks of any types:
 * <pre>{@code
 * try (ProcessPool<Object, Object> pool = ProcessPool.create(3)) {
 *     Pool<String, Integer> lengths = pool.typed();
 *     List<Integer> n = lengths.map(String::length, names);
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * A pool is RUNNING when built. {@link #close()} moves it to SHUTDOWN: new calls are refused with
 * {@link PoolClosedException}, accepted work finishes, then the workers stop and the pool is
 * TERMINATED. {@link #terminate()} goes to TERMINATED at once: unstarted work is cancelled, workers
 * are stopped (processes killed, threads interrupted), and every pending call fails with
 * {@code PoolClosedException}.
 *
 * <p>Thread-safety: all methods may be called from many threads at once.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public interface Pool<T, R> extends AutoCloseable {

    /**
     * Applies {@code task} to every input and returns the results in input order, blocking until
     * all are done: Python's {@code Pool.map}.
     *
     * @param task the task to apply
     * @param inputs the inputs, read once, in the calling thread, before the call returns (see
     *     "Calls" above); elements may be {@code null}
     * @return the results, one per input, in input order (a new, modifiable list)
     * @throws NullPointerException if {@code task} or {@code inputs} is null
     * @throws TaskFailedException for the first input, in input order, whose task threw
     * @throws PoolException another failure of an input ({@link WorkerCrashedException},
     *     {@link TaskTimeoutException}, {@link TaskSerializationException}), or wrapping an
     *     {@link InterruptedException} if the calling thread is interrupted
     * @throws PoolClosedException if the pool is closed, or terminates before the call completes
     */
    default List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
        return map(task, inputs, CallOptions.defaults());
    }

    /**
     * Applies {@code task} to every input and returns an iterator over the results in input
     * order, each available as soon as it and all earlier ones are done: Python's {@code Pool.imap}.
     *
     * <p>Inputs are read lazily, in the thread that iterates, keeping at most a bounded window of
     * inputs in flight, so {@code inputs} may be endless ({@code stream::iterator}).
     *
     * @param task the task to apply
     * @param inputs the inputs, read lazily
     * @return the results, in input order
     * @throws NullPointerException if {@code task} or {@code inputs} is null
     * @throws PoolClosedException if the pool is closed
     * @throws TaskSerializationException if the task cannot be sent to a worker process
     */
    default ResultIterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
        return imap(task, inputs, CallOptions.defaults());
    }

    /**
     * Like {@link #imap} but returns results in the order they complete: Python's
     * {@code Pool.imap_unordered}.
     *
     * @param task the task to apply
     * @param inputs the inputs, read lazily
     * @return the results, in completion order
     * @throws NullPointerException if {@code task} or {@code inputs} is null
     * @throws PoolClosedException if the pool is closed
     * @throws TaskSerializationException if the task cannot be sent to a worker process
     */
    default ResultIterator<R> imapUnordered(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
        return imapUnordered(task, inputs, CallOptions.defaults());
    }

    /**
     * Applies {@code task} to one input without waiting: Python's {@code Pool.apply_async}.
     *
     * <p>The future completes with the result, or exceptionally with a {@link PoolException}
     * (a {@link TaskFailedException} if the task threw), on a callback thread (see the class
     * documentation). Cancelling it cancels the input if it has
     * not started.
     *
     * @param task the task to apply
     * @param input the input, possibly {@code null}
     * @return a future of the result
     * @throws NullPointerException if {@code task} is null
     * @throws PoolClosedException if the pool is closed
     * @throws TaskSerializationException if the task cannot be sent to a worker process
     */
    default CompletableFuture<R> submit(Task<? super T, ? extends R> task, T input) {
        return submit(task, input, CallOptions.defaults());
    }

    /**
     * Like {@link #map} but returns at once with a future of the results: Python's
     * {@code Pool.map_async}.
     *
     * <p>Inputs are read in the calling thread before this method returns. The future completes
     * exceptionally with the exception {@code map} would throw. Cancelling it cancels the inputs
     * not started yet.
     *
     * @param task the task to apply
     * @param inputs the inputs
     * @return a future of the results in input order
     * @throws NullPointerException if {@code task} or {@code inputs} is null
     * @throws PoolClosedException if the pool is closed
     */
    default CompletableFuture<List<R>> mapAsync(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
        return mapAsync(task, inputs, CallOptions.defaults());
    }

    /**
     * Applies {@code task} to every input and returns one outcome per input, in input order,
     * never throwing for a failed task: one bad input does not discard the others' results.
     *
     * @param task the task to apply
     * @param inputs the inputs, read once, in the calling thread, before the call returns
     * @return one {@link TaskResult} per input, in input order
     * @throws NullPointerException if {@code task} or {@code inputs} is null
     * @throws PoolClosedException if the pool is closed when called
     * @throws PoolException wrapping an {@link InterruptedException} if the calling thread is
     *     interrupted
     */
    default List<TaskResult<R>> mapResults(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
        return mapResults(task, inputs, CallOptions.defaults());
    }

    /**
     * Like {@link #map(Task, Iterable)}, with options for this call.
     *
     * @param task the task to apply
     * @param inputs the inputs, read once, in the calling thread, before the call returns
     * @param options this call's options
     * @return the results, one per input, in input order (a new, modifiable list)
     * @throws NullPointerException if {@code task}, {@code inputs} or {@code options} is null
     * @throws TaskFailedException for the first input, in input order, whose task threw
     * @throws PoolException another failure of an input, or wrapping an
     *     {@link InterruptedException} if the calling thread is interrupted
     * @throws PoolClosedException if the pool is closed, or terminates before the call completes
     */
    List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options);

    /**
     * Like {@link #imap(Task, Iterable)}, with options for this call.
     *
     * @param task the task to apply
     * @param inputs the inputs, read lazily
     * @param options this call's options
     * @return the results, in input order
     * @throws NullPointerException if {@code task}, {@code inputs} or {@code options} is null
     * @throws PoolClosedException if the pool is closed
     * @throws TaskSerializationException if the task cannot be sent to a worker process
     */
    ResultIterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, CallOptions options);

    /**
     * Like {@link #imapUnordered(Task, Iterable)}, with options for this call.
     *
     * @param task the task to apply
     * @param inputs the inputs, read lazily
     * @param options this call's options
     * @return the results, in completion order
     * @throws NullPointerException if {@code task}, {@code inputs} or {@code options} is null
     * @throws PoolClosedException if the pool is closed
     * @throws TaskSerializationException if the task cannot be sent to a worker process
     */
    ResultIterator<R> imapUnordered(Task<? super T, ? extends R> task, Iterable<? extends T> inputs,
            CallOptions options);

    /**
     * Like {@link #submit(Task, Object)}, with options for this call.
     *
     * @param task the task to apply
     * @param input the input, possibly {@code null}
     * @param options this call's options
     * @return a future of the result, completed on a callback thread (see the class documentation)
     * @throws NullPointerException if {@code task} or {@code options} is null
     * @throws PoolClosedException if the pool is closed
     * @throws TaskSerializationException if the task cannot be sent to a worker process
     */
    CompletableFuture<R> submit(Task<? super T, ? extends R> task, T input, CallOptions options);

    /**
     * Like {@link #mapAsync(Task, Iterable)}, with options for this call.
     *
     * @param task the task to apply
     * @param inputs the inputs
     * @param options this call's options
     * @return a future of the results in input order, completed on a callback thread
     * @throws NullPointerException if {@code task}, {@code inputs} or {@code options} is null
     * @throws PoolClosedException if the pool is closed
     */
    CompletableFuture<List<R>> mapAsync(Task<? super T, ? extends R> task, Iterable<? extends T> inputs,
            CallOptions options);

    /**
     * Like {@link #mapResults(Task, Iterable)}, with options for this call.
     *
     * @param task the task to apply
     * @param inputs the inputs, read once, in the calling thread, before the call returns
     * @param options this call's options
     * @return one {@link TaskResult} per input, in input order
     * @throws NullPointerException if {@code task}, {@code inputs} or {@code options} is null
     * @throws PoolClosedException if the pool is closed when called
     * @throws PoolException wrapping an {@link InterruptedException} if the calling thread is
     *     interrupted
     */
    List<TaskResult<R>> mapResults(Task<? super T, ? extends R> task, Iterable<? extends T> inputs,
            CallOptions options);

    /**
     * Returns a view of this pool for tasks of other input and result types: the same workers,
     * queues, counters and lifecycle, so one pool runs differently typed tasks. Only the compile-time
     * types differ; a pool checks no types at run time (a process pool ships each task with its own
     * declared types).
     *
     * <p>Closing the view does not close the pool: {@link #close()} on a view refuses further calls
     * through the view and waits for the futures it returned; {@link #terminate()} on a view refuses
     * further calls through it and cancels its unfinished futures. Both leave this pool and other
     * views running. A view is closed as soon as this pool is. Its {@code typed()} gives another view
     * of this pool.
     *
     * <p>Thread-safety: the view is thread-safe, as the pool is.
     *
     * @param <A> the view's input type
     * @param <B> the view's result type
     * @return a new view sharing this pool's workers
     */
    default <A, B> Pool<A, B> typed() {
        return new PoolView<>(this);
    }

    /**
     * Returns the number of workers: threads or processes.
     *
     * @return the pool size, at least 1
     */
    int size();

    /**
     * Returns a snapshot of the pool's counters and workers.
     *
     * @return the statistics
     */
    PoolStats stats();

    /**
     * Tells whether {@link #close()} or {@link #terminate()} has been called.
     *
     * @return {@code true} once the pool refuses new work
     */
    boolean isClosed();

    /**
     * Closes the pool gracefully: refuses new work, waits for accepted work to finish, then stops
     * the workers. Idempotent; blocks until the workers have stopped. If the closing thread is
     * interrupted while waiting, the pool {@linkplain #terminate() terminates} and the interrupt
     * flag stays set.
     */
    @Override
    void close();

    /**
     * Stops the pool now: cancels unstarted work, stops the workers (worker processes are killed,
     * pool threads interrupted) and fails every pending call with {@link PoolClosedException}.
     * Idempotent; may be called after {@link #close()} to cut it short.
     */
    void terminate();
}
