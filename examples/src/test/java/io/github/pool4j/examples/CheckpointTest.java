package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void await_threadsArrive_returnsEachWithThisPidAndItsOwnNativeThreadId() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.create()) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                threads.add(new Thread(() -> Checkpoint.arrive(checkpoint.dir())));
            }
            threads.forEach(Thread::start);

            List<Checkpoint.Arrival> arrivals = checkpoint.await(3, Duration.ofSeconds(30), () -> false);

            for (Thread t : threads) {
                t.join(30_000);
            }
            assertEquals(3, arrivals.size());
            assertTrue(arrivals.stream().allMatch(a -> a.pid() == SELF), arrivals.toString());
            Set<Long> tids = arrivals.stream().map(Checkpoint.Arrival::tid).collect(Collectors.toSet());
            assertEquals(3, tids.size(), "one native id per thread: " + arrivals);
            assertFalse(tids.contains(SELF), "not the main thread's id");
        }
    }

    @Test
    void await_giveUp_returnsWhatArrivedWithoutWaitingForTheRest() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.create()) {
            Checkpoint.arrive(checkpoint.dir());

            List<Checkpoint.Arrival> arrivals = checkpoint.await(2, Duration.ofMinutes(5), () -> true);

            assertEquals(1, arrivals.size());
            assertEquals(Checkpoint.nativeThreadId(), arrivals.get(0).tid());
        }
    }

    @Test
    void close_deletesTheDirectory() {
        Checkpoint checkpoint = Checkpoint.create();
        Checkpoint.arrive(checkpoint.dir());
        checkpoint.close();
        assertFalse(Files.exists(Path.of(checkpoint.dir())));
    }
}
