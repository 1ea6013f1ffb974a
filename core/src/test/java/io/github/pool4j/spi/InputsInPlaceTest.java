package io.github.pool4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Task;
import io.github.pool4j.WorkerStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which inputs a batch call copies before dispatching and which it reads in place: in place only
 * where the pool reads each input while dispatching ({@link AbstractPool#readsInputsOnDispatch})
 * and the collection is a plain list of the JDK's or pool4j's. A change the caller makes after the
 * call started is what tells the two apart: a chunk reading in place sees it, a copy does not.
 * (A pool that reads in place reads before the call returns; this fake one reads later, on
 * purpose, to show where its chunks read from.)
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class InputsInPlaceTest {

    /** Holds the chunks it is given; the test reads and completes them. */
    private static final class HoldingPool extends AbstractPool<Object, Object> {
        private final boolean readsOnDispatch;
        final List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
        /** Runs before each chunk is held: what another thread might do meanwhile. */
        Runnable beforeEachDispatch = () -> {};
        /** Whether dispatch reads the inputs, as a process pool does, instead of the test later. */
        boolean readInDispatch;
        private final Map<Chunk, Object[]> read = new ConcurrentHashMap<>();

        HoldingPool(boolean readsOnDispatch) {
            super("HoldingPool", PoolOptions.ofSize(1));
            this.readsOnDispatch = readsOnDispatch;
        }

        @Override
        protected Object prepare(Task<?, ?> task) {
            return task;
        }

        @Override
        protected void dispatch(Chunk chunk) {
            beforeEachDispatch.run();
            chunks.add(chunk);
            if (readInDispatch) {
                // As a process pool does: every input is read (encoded) here, in the caller's thread.
                Object[] values = new Object[chunk.size()];
                for (int i = 0; i < chunk.size(); i++) {
                    values[i] = chunk.input(i);
                }
                read.put(chunk, values);
            }
        }

        @Override
        protected boolean readsInputsOnDispatch() {
            return readsOnDispatch;
        }

        @Override
        protected void stopWorkers() {}

        @Override
        protected void killWorkers() {}

        @Override
        protected List<WorkerStats> workerStats() {
            return List.of();
        }

        /** Completes every input not failed yet with what dispatch read for it, or else reads now. */
        void echoAll() {
            for (Chunk chunk : chunks) {
                Object[] values = read.get(chunk);
                for (int i = 0; i < chunk.size(); i++) {
                    if (chunk.isDone(i)) {
                        continue;
                    }
                    chunk.succeed(i, values != null ? values[i] : chunk.input(i));
                }
            }
        }
    }

    /**
     * Starts a map of {@code inputs} on {@code pool}, lets {@code change} alter the caller's
     * collection, then returns what the chunks read.
     */
    private static <C extends Iterable<Object>> List<Object> mapThenChange(HoldingPool pool, C inputs,
            Function<C, Object> change) throws Exception {
        try (pool) {
            CompletableFuture<List<Object>> results = pool.mapAsync(x -> x, inputs);
            change.apply(inputs);
            pool.echoAll();
            return results.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPoolThatReadsOnDispatch_readsPlainListsInPlace() throws Exception {
        assertEquals(List.of(9, 2, 3), mapThenChange(new HoldingPool(true), new ArrayList<>(List.of(1, 2, 3)),
                list -> list.set(0, 9)));
        Object[] backing = {1, 2, 3};
        assertEquals(List.of(9, 2, 3), mapThenChange(new HoldingPool(true), Arrays.asList(backing),
                list -> backing[0] = 9));
        // A map's own result list, passed on to the next map.
        HoldingPool first = new HoldingPool(false);
        List<Object> results = mapThenChange(first, List.of(1, 2, 3), list -> null);
        assertEquals(List.of(9, 2, 3), mapThenChange(new HoldingPool(true), results, list -> list.set(0, 9)));
        // Immutable lists cannot change; they are read in place and still give every input.
        assertEquals(List.of(1, 2, 3), mapThenChange(new HoldingPool(true), List.<Object>of(1, 2, 3), list -> null));
        assertEquals(Arrays.asList(1, null), mapThenChange(new HoldingPool(true),
                Stream.<Object>of(1, null).toList(), list -> null));
    }

    @Test
    void otherPools_copyTheInputsBeforeDispatching() throws Exception {
        assertEquals(List.of(1, 2, 3), mapThenChange(new HoldingPool(false), new ArrayList<>(List.of(1, 2, 3)),
                list -> list.set(0, 9)));
        Object[] backing = {1, 2, 3};
        assertEquals(List.of(1, 2, 3), mapThenChange(new HoldingPool(false), Arrays.asList(backing),
                list -> backing[0] = 9));
    }

    @Test
    void collectionsMeantForConcurrentChangeViewsAndCallerClasses_areCopiedEvenThen() throws Exception {
        assertEquals(List.of(1, 2, 3), mapThenChange(new HoldingPool(true),
                new CopyOnWriteArrayList<>(List.of(1, 2, 3)), list -> list.set(0, 9)));
        assertEquals(List.of(1, 2, 3), mapThenChange(new HoldingPool(true),
                new Vector<>(List.of(1, 2, 3)), list -> list.set(0, 9)));
        assertEquals(List.of(1, 2, 3), mapThenChange(new HoldingPool(true), new LinkedList<>(List.of(1, 2, 3)),
                list -> list.set(0, 9)));
        List<Object> underlying = new ArrayList<>(List.of(0, 1, 2, 3));
        assertEquals(List.of(1, 2, 3), mapThenChange(new HoldingPool(true), underlying.subList(1, 4),
                list -> underlying.set(1, 9)));
        List<Object> wrapped = new ArrayList<>(List.of(1, 2, 3));
        assertEquals(List.of(1, 2, 3), mapThenChange(new HoldingPool(true), Collections.unmodifiableList(wrapped),
                list -> wrapped.set(0, 9)));
        @SuppressWarnings("serial")
        ArrayList<Object> callersOwn = new ArrayList<>(List.of(1, 2, 3)) {
            @Override
            public Object get(int index) {
                return super.get(index);
            }
        };
        assertEquals(List.of(1, 2, 3), mapThenChange(new HoldingPool(true), callersOwn, list -> list.set(0, 9)));
    }

    @Test
    void aListAnotherThreadShrinksWhileTheCallReadsIt_failsTheCall_neverHangsIt() throws Exception {
        List<Object> inputs = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6));
        HoldingPool pool = new HoldingPool(true);
        pool.readInDispatch = true;
        // A racing thread, made deterministic: the list shrinks once the first chunk was read.
        pool.beforeEachDispatch = () -> {
            if (pool.chunks.size() == 1) {
                inputs.subList(1, inputs.size()).clear();
            }
        };
        try (pool) {
            CompletableFuture<List<Object>> results = pool.mapAsync(x -> x, inputs, CallOptions.chunkSize(2));
            pool.echoAll();
            ExecutionException thrown = assertThrows(
                    ExecutionException.class, () -> results.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IndexOutOfBoundsException.class, thrown.getCause().getCause(),
                    "the chunk that read past the list's new end fails with why");
            assertTrue(thrown.getCause().getMessage().contains("another thread probably changed"),
                    thrown.getCause().getMessage());
        }
        assertEquals(List.of(1), inputs);
    }
}
