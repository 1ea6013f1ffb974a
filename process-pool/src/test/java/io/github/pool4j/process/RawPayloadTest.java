package io.github.pool4j.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.CallOptions;
import io.github.pool4j.Pool;
import io.github.pool4j.Task;
import io.github.pool4j.TaskResult;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.TaskSerializationException.Subject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large binary values travel beside their frames as raw bytes, both ways, and arrive equal; a value
 * past {@code maxPayloadBytes} fails its own input, on either side, and the pool goes on.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RawPayloadTest {

    @AfterEach
    void nothingLeft() {
        Leftovers.assertNone();
    }

    /** Binary values inside a value, next to other fields. */
    record Parcel(String label, byte[] body, List<byte[]> extras) {}

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static byte[] reversed(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[in.length - 1 - i];
        }
        return out;
    }

    static Parcel rewrap(Parcel p) {
        List<byte[]> extras = new ArrayList<>(p.extras());
        extras.add(reversed(p.body()));
        return new Parcel(p.label() + "!", p.body(), extras);
    }

    static List<Object> echoObjects(List<Object> values) {
        return new ArrayList<>(values);
    }

    static byte[] pid() {
        return new byte[] {(byte) ProcessHandle.current().pid(), (byte) (ProcessHandle.current().pid() >> 8)};
    }

    static byte[] ofLength(Integer n) {
        return random(n);
    }

    static List<Integer> plusOne(List<Integer> numbers) {
        // The worker's list is mutable, as the JSON path's ArrayList is.
        numbers.replaceAll(x -> x + 1);
        numbers.add(-7);
        return numbers;
    }

    static ArrayList<Integer> doubled(ArrayList<Integer> numbers) {
        ArrayList<Integer> out = new ArrayList<>(numbers.size());
        numbers.forEach(x -> out.add(2 * x));
        return out;
    }

    static long[] negated(long[] numbers) {
        return Arrays.stream(numbers).map(x -> -x).toArray();
    }

    static List<Object> listOfObjects(List<Integer> numbers) {
        return new ArrayList<>(numbers);
    }

    static List<Integer> ints(int n) {
        return new Random(n).ints(n).boxed().collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    @Test
    void numberLists_roundTripBothWays_asTheirJsonWould() {
        try (ProcessPool<Object, Object> any = ProcessPool.builder().size(2).build()) {
            Pool<List<Integer>, List<Integer>> pool = any.typed();
            List<List<Integer>> inputs = List.of(ints(10), ints(128), ints(1_000_000), new ArrayList<>(List.of()));
            List<List<Integer>> results = pool.map(RawPayloadTest::plusOne, inputs);
            for (int i = 0; i < inputs.size(); i++) {
                List<Integer> expected = new ArrayList<>(inputs.get(i));
                expected.replaceAll(x -> x + 1);
                expected.add(-7);
                assertEquals(expected, results.get(i), "input " + i);
                // Mutable and null-friendly in the parent too, as an ArrayList.
                results.get(i).add(null);
                assertEquals(null, results.get(i).remove(results.get(i).size() - 1));
            }
            long[] longs = new Random(5).longs(5000).toArray();
            Pool<long[], long[]> arrays = any.typed();
            assertArrayEquals(negated(longs), arrays.submit(RawPayloadTest::negated, longs).join());
            // Declared List<Object>: the JSON path, Integers as ever.
            Pool<List<Integer>, List<Object>> objects = any.typed();
            List<Object> back = objects.submit(RawPayloadTest::listOfObjects, ints(1000)).join();
            assertEquals(ints(1000), back);
            back.forEach(x -> assertEquals(Integer.class, x.getClass()));
            // Declared ArrayList: an ArrayList on both sides, the numbers still binary.
            Pool<ArrayList<Integer>, ArrayList<Integer>> arrayLists = any.typed();
            ArrayList<Integer> doubledBack = arrayLists.submit(RawPayloadTest::doubled, new ArrayList<>(ints(5000))).join();
            assertEquals(ArrayList.class, doubledBack.getClass());
            assertEquals(ints(5000).stream().map(x -> 2 * x).toList(), doubledBack);
            // A list that came back travels on again as it is.
            assertEquals(results.get(2).size() + 1, pool.submit(RawPayloadTest::plusOne, results.get(2)).join().size());
        }
    }

    static Integer tripledOrNull(Integer x) {
        return x == null ? Integer.valueOf(-1) : x % 300 == 299 ? null : x * 3;
    }

    static Object asObject(Integer x) {
        return tripledOrNull(x);
    }

    static Number asNumber(Integer x) {
        return tripledOrNull(x);
    }

    static Long negatedLong(Long x) {
        return -x;
    }

    @Test
    void mapsOfNumbers_travelAsSegmentsBothWays_andAsDigitsAroundNullsAndSmallRuns() {
        List<Integer> inputs = new ArrayList<>(ints(20_000));
        inputs.set(0, Integer.MIN_VALUE);
        inputs.set(1, Integer.MAX_VALUE);
        List<Integer> expected = inputs.stream().map(RawPayloadTest::tripledOrNull).toList();
        List<Integer> withNull = new ArrayList<>(inputs);
        withNull.set(10_000, null);
        List<Long> longs = new Random(3).longs(5000).boxed().toList();
        try (ProcessPool<Object, Object> any = ProcessPool.builder().size(2).build()) {
            Pool<Integer, Integer> pool = any.typed();
            // Whole chunks of numbers both ways; runs of results broken by nulls; runs too short for a segment.
            for (int chunkSize : new int[] {0, 1, 100, 5000, 20_000}) {
                CallOptions options = chunkSize == 0 ? CallOptions.defaults() : CallOptions.chunkSize(chunkSize);
                assertEquals(expected, pool.map(RawPayloadTest::tripledOrNull, inputs, options), "chunk " + chunkSize);
            }
            List<Integer> expectedWithNull = new ArrayList<>(expected);
            expectedWithNull.set(10_000, -1);
            assertEquals(expectedWithNull, pool.map(RawPayloadTest::tripledOrNull, withNull));
            Pool<Long, Long> longPool = any.typed();
            assertEquals(longs.stream().map(x -> -x).toList(), longPool.map(RawPayloadTest::negatedLong, longs));
            // Integer results of a task declared to return something wider stay JSON, read as declared.
            Pool<Integer, Object> objects = any.typed();
            assertEquals(expected, objects.map(RawPayloadTest::asObject, inputs, CallOptions.chunkSize(5000)));
            Pool<Integer, Number> numbers = any.typed();
            assertEquals(expected, numbers.map(RawPayloadTest::asNumber, inputs, CallOptions.chunkSize(5000)));
            Pool<Object, Object> untyped = any;
            assertEquals(expected, untyped.map(x -> tripledOrNull((Integer) x), new ArrayList<>(inputs)));
            // Results are plain mutable lists, whatever the values travelled as.
            List<Integer> results = pool.map(RawPayloadTest::tripledOrNull, inputs);
            results.set(0, null);
            results.add(7);
            assertEquals(Integer.class, results.get(1).getClass());
        }
    }

    /** Returns its input plus one, but halts its worker at input {@code at} once (the marker outlives the worker). */
    record HaltOnceAt(String marker, int at) implements Task<Integer, Integer> {
        @Override
        public Integer apply(Integer input) throws Exception {
            Path file = Path.of(marker);
            if (input == at && Files.notExists(file)) {
                Files.writeString(file, "halted");
                Runtime.getRuntime().halt(9);
            }
            return input + 1;
        }
    }

    /** The one buffer each worker thread keeps: larger than a copy is worth, as a reading loop's buffer is. */
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[200_000]);

    /** Returns the thread's buffer refilled with {@code n}: the next input overwrites the last result. */
    static byte[] refilledBuffer(Integer n) {
        byte[] buffer = BUFFER.get();
        Arrays.fill(buffer, n.byteValue());
        return buffer;
    }

    static Parcel refilledInParcel(Integer n) {
        return new Parcel("p" + n, refilledBuffer(n), List.of(refilledBuffer(n)));
    }

    @Test
    void aTaskReturningTheBufferItRefillsForEveryInput_givesEachResultAsItWasReturned() {
        // A worker sends a large byte[] result without copying it, so it must be on the pipe
        // before the task runs again; many results of one chunk would otherwise gather first.
        // Inside a record the array is copied (another type's serializer may reuse its arrays).
        List<Integer> inputs = java.util.stream.IntStream.range(0, 60).boxed().toList();
        try (ProcessPool<Object, Object> any = ProcessPool.builder().size(2).build()) {
            Pool<Integer, byte[]> pool = any.typed();
            Pool<Integer, Parcel> parcels = any.typed();
            for (int chunkSize : new int[] {1, 7, 60}) {
                CallOptions options = CallOptions.chunkSize(chunkSize);
                List<byte[]> results = pool.map(RawPayloadTest::refilledBuffer, inputs, options);
                List<Parcel> wrapped = parcels.map(RawPayloadTest::refilledInParcel, inputs, options);
                for (int n : inputs) {
                    byte[] expected = new byte[200_000];
                    Arrays.fill(expected, (byte) n);
                    assertArrayEquals(expected, results.get(n), "chunk size " + chunkSize + ", input " + n);
                    assertArrayEquals(expected, wrapped.get(n).body(), "chunk size " + chunkSize + ", parcel " + n);
                    assertArrayEquals(expected, wrapped.get(n).extras().get(0), "chunk size " + chunkSize + ", extra " + n);
                }
            }
        }
    }

    /** Two binary fields that its serializer writes from one scratch array, refilled between them. */
    @tools.jackson.databind.annotation.JsonSerialize(using = ScratchSerializer.class)
    record Pair(byte[] first, byte[] second) {}

    /** Writes a {@link Pair} through one reused array, as a serializer that avoids garbage may. */
    static final class ScratchSerializer extends tools.jackson.databind.ValueSerializer<Pair> {
        @Override
        public void serialize(Pair pair, tools.jackson.core.JsonGenerator g, tools.jackson.databind.SerializationContext ctxt) {
            byte[] scratch = new byte[pair.first().length];
            g.writeStartObject();
            System.arraycopy(pair.first(), 0, scratch, 0, scratch.length);
            g.writeName("first");
            g.writeBinary(scratch);
            System.arraycopy(pair.second(), 0, scratch, 0, scratch.length);
            g.writeName("second");
            g.writeBinary(scratch);
            g.writeEndObject();
        }
    }

    static Pair pairOf(Integer n) {
        byte[] first = new byte[100_000];
        byte[] second = new byte[100_000];
        Arrays.fill(first, (byte) 1);
        Arrays.fill(second, (byte) 2);
        return new Pair(first, second);
    }

    @Test
    void aSerializerWritingOneScratchArrayTwice_givesBothValuesAsWritten() {
        // Only a result that is itself a byte[] travels uncopied: another type's serializer may
        // hand the generator the same array twice with other bytes in it.
        try (ProcessPool<Object, Object> any = ProcessPool.builder().size(1).build()) {
            Pool<Integer, Pair> pool = any.typed();
            Pair pair = pool.submit(RawPayloadTest::pairOf, 0).join();
            byte[] ones = new byte[100_000];
            byte[] twos = new byte[100_000];
            Arrays.fill(ones, (byte) 1);
            Arrays.fill(twos, (byte) 2);
            assertArrayEquals(ones, pair.first());
            assertArrayEquals(twos, pair.second());
        }
    }

    @Test
    void chunksOfNumbersACrashedWorkerHeld_areSentAgainAsTheyWere(@TempDir Path dir) {
        // A chunk of numbers keeps the bytes it was sent as: a resend sends them again.
        List<Integer> inputs = java.util.stream.IntStream.range(0, 4_000).boxed().toList();
        Path marker = dir.resolve("halted");
        try (Pool<Integer, Integer> pool = ProcessPool.builder().size(1).chunkSize(500).retries(1).build()) {
            List<Integer> results = pool.map(new HaltOnceAt(marker.toString(), 2_345), inputs);
            assertTrue(Files.exists(marker), "the worker never halted");
            assertEquals(inputs.stream().map(x -> x + 1).toList(), results);
        }
    }

    @Test
    void aListTheCallerChangesOnceMapAsyncReturned_runsAsItWasRead_evenWhenItsChunksAreSentAgain(@TempDir Path dir)
            throws Exception {
        // The pool reads an ArrayList in place, while dispatching, instead of copying it first: what
        // mapAsync read before it returned is what runs, a crashed worker's chunks included.
        List<Integer> numbers = new ArrayList<>(java.util.stream.IntStream.range(0, 4_000).boxed().toList());
        List<Object> mixed = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            mixed.add(i % 3 == 0 ? "s" + i : i % 3 == 1 ? (Object) i : null);
        }
        List<Integer> expectedNumbers = numbers.stream().map(x -> x + 1).toList();
        List<Object> expectedMixed = new ArrayList<>(mixed);
        try (Pool<Integer, Integer> pool = ProcessPool.builder().size(1).chunkSize(500).retries(1).build()) {
            CompletableFuture<List<Integer>> ran = pool.mapAsync(
                    new HaltOnceAt(dir.resolve("halted").toString(), 2_345), numbers);
            java.util.Collections.fill(numbers, -1);
            numbers.clear();
            assertEquals(expectedNumbers, ran.get(60, TimeUnit.SECONDS));
            assertTrue(Files.exists(dir.resolve("halted")), "the worker never halted");
            Pool<Object, Object> objects = pool.typed();
            CompletableFuture<List<Object>> echoed = objects.mapAsync(RawPayloadTest::same, mixed, CallOptions.chunkSize(7));
            java.util.Collections.reverse(mixed);
            mixed.set(0, "changed");
            assertEquals(expectedMixed, echoed.get(60, TimeUnit.SECONDS));
        }
    }

    static Object same(Object value) {
        return value;
    }

    @Test
    void binary_ofEverySize_roundTripsBothWays() {
        List<byte[]> inputs = List.of(new byte[0], new byte[] {-1}, random(1000), random(1 << 20), random(10 << 20),
                random(1 << 20));
        try (Pool<byte[], byte[]> pool = ProcessPool.builder().size(2).chunkSize(2).build()) {
            List<byte[]> results = pool.map(RawPayloadTest::reversed, inputs);
            for (int i = 0; i < inputs.size(); i++) {
                assertArrayEquals(reversed(inputs.get(i)), results.get(i), "input " + i);
            }
            byte[] one = random(3 << 20);
            assertArrayEquals(reversed(one), pool.submit(RawPayloadTest::reversed, one).join());
            // Many in one results frame of a worker, each its own segment.
            List<byte[]> many = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                many.add(random(600 + i));
            }
            List<byte[]> back = ProcessPoolChunks.map(pool, many);
            for (int i = 0; i < many.size(); i++) {
                assertArrayEquals(reversed(many.get(i)), back.get(i), "small input " + i);
            }
        }
    }

    /** Maps with one chunk for all inputs, so a worker gathers their results. */
    static final class ProcessPoolChunks {
        static List<byte[]> map(Pool<byte[], byte[]> pool, List<byte[]> inputs) {
            return pool.map(RawPayloadTest::reversed, inputs, CallOptions.chunkSize(inputs.size()));
        }
    }

    static String mirrored(String s) {
        return new StringBuilder(s).reverse().toString();
    }

    @Test
    void strings_longShortAndNonAscii_roundTripBothWays() {
        List<String> inputs = List.of("", "a", "\u0001", "\u00017 not a reference", "é ü 漢字 🎉",
                "x".repeat(8 * 1024), "é ü 漢字 🎉 \u0001 ".repeat(10_000), "y".repeat(3 << 20));
        try (Pool<String, String> pool = ProcessPool.builder().size(2).chunkSize(3).build()) {
            List<String> results = pool.map(RawPayloadTest::mirrored, inputs);
            for (int i = 0; i < inputs.size(); i++) {
                assertEquals(mirrored(inputs.get(i)), results.get(i), "input " + i);
            }
        }
    }

    @Test
    void binary_nestedInRecordsListsAndObjectSlots_roundTrips() {
        try (Pool<Parcel, Parcel> pool = ProcessPool.builder().size(1).build()) {
            Parcel parcel = new Parcel("é 漢字 🎉", random(70_000), List.of(random(5), random(9000)));
            Parcel back = pool.submit(RawPayloadTest::rewrap, parcel).join();
            assertEquals("é 漢字 🎉!", back.label());
            assertArrayEquals(parcel.body(), back.body());
            assertEquals(3, back.extras().size());
            assertArrayEquals(parcel.extras().get(0), back.extras().get(0));
            assertArrayEquals(parcel.extras().get(1), back.extras().get(1));
            assertArrayEquals(reversed(parcel.body()), back.extras().get(2));
        }
        try (Pool<List<Object>, List<Object>> pool = ProcessPool.builder().size(1).build()) {
            List<Object> mixed = Arrays.asList("a", random(4000), 3, null, random(2), "ü".repeat(20_000));
            List<Object> back = pool.submit(RawPayloadTest::echoObjects, mixed).join();
            assertEquals(mixed.size(), back.size());
            assertEquals("a", back.get(0));
            assertArrayEquals((byte[]) mixed.get(1), (byte[]) back.get(1));
            assertEquals(3, back.get(2));
            assertEquals(null, back.get(3));
            assertArrayEquals((byte[]) mixed.get(4), (byte[]) back.get(4));
            assertEquals(mixed.get(5), back.get(5));
        }
    }

    @Test
    void input_isSnapshotAtSubmit_evenIfTheCallerChangesItLater() throws Exception {
        try (Pool<byte[], byte[]> pool = ProcessPool.builder().size(1).build()) {
            byte[] value = random(100_000);
            byte[] original = value.clone();
            var future = pool.submit(RawPayloadTest::reversed, value);
            Arrays.fill(value, (byte) 0);
            assertArrayEquals(reversed(original), future.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void payloadPastMaxPayloadBytes_failsOnlyItsInput_bothWays() {
        try (Pool<Object, byte[]> pool = ProcessPool.builder().size(1).maxPayloadBytes(64 * 1024).build()) {
            long pid = pool.submit(x -> pid(), (Object) 0).join()[0];
            List<Object> inputs = List.of(random(1000), random(100_000), random(30_000), random(30_000));
            List<TaskResult<byte[]>> results = pool.mapResults(b -> reversed((byte[]) b), inputs, CallOptions.chunkSize(4));
            assertArrayEquals(reversed((byte[]) inputs.get(0)), results.get(0).value());
            TaskSerializationException in = assertInstanceOf(TaskSerializationException.class, results.get(1).failure());
            assertEquals(Subject.INPUT, in.what());
            assertEquals(1, in.inputIndex());
            assertTrue(in.getMessage().contains("maxPayloadBytes"), in.getMessage());
            // Two that together pass the bound travel in two frames.
            assertArrayEquals(reversed((byte[]) inputs.get(2)), results.get(2).value());
            assertArrayEquals(reversed((byte[]) inputs.get(3)), results.get(3).value());

            List<TaskResult<byte[]>> made = pool.mapResults(n -> ofLength((Integer) n), List.of(10, 200_000, 20), CallOptions.chunkSize(3));
            assertEquals(10, made.get(0).value().length);
            TaskSerializationException out = assertInstanceOf(TaskSerializationException.class, made.get(1).failure());
            assertEquals(Subject.RESULT, out.what());
            assertTrue(out.getMessage().contains("maxPayloadBytes"), out.getMessage());
            assertEquals(20, made.get(2).value().length);
            assertEquals(pid, pool.submit(x -> pid(), (Object) 0).join()[0], "no worker died of a value");
        }
    }
}
