package io.github.pool4j.process.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.PoolStats;
import io.github.pool4j.TaskResult;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.process.ProcessPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Maps over a 4-worker pool while another thread {@code kill -9}s a random worker
 * every 200 ms whenever all four are ready. With {@code retries(3)} every result is correct; without, every input is
 * correct or fails with a {@link WorkerCrashedException} naming it: at most one per killed worker is
 * blamed for the crash, the others ran but their results died with the worker (never run twice).
 * Nothing is lost, duplicated or delivered to the wrong input, and nothing hangs.
 *
 * <p>Scale: maps of 20,000 trivial inputs in chunks of 10, repeated until the killer, which starts
 * with the first map, has made 8 kills ({@code -Dpool4j.reliability.full=true}: 40 kills and at
 * least 100,000 inputs).
 */
@Tag("reliability")
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class ChaosTest {

    private static final int SIZE = 4;
    private static final int INPUTS = 20_000;
    /**
     * How many workers to kill before the maps may stop. Each kill costs a JVM start (about half a
     * CPU-second), so kills come every 200 ms only while the pool is at full strength, and the
     * killer stops after this many.
     */
    private static final int KILLS = Abuse.scale(8, 40);
    private static final long KILL_EVERY_MILLIS = 200;

    @AfterEach
    void nothingLeft() {
        Abuse.assertNothingLeft();
    }

    static long work(Integer x) {
        return 3L * x + 1;
    }

    /**
     * Every 200 ms, kills a random worker that said hello, if all {@value #SIZE} have. Killing while
     * replacements are still starting would keep hitting the one fresh worker that took the killed
     * worker's re-queued inputs, so a single input would soon use up any number of retries: the pool
     * blames the first unfinished input of a killed worker, started or not.
     */
    private static final class Killer implements PoolListener, Runnable {
        final Set<Long> ready = ConcurrentHashMap.newKeySet();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger killed = new AtomicInteger();
        final int killBudget;
        volatile boolean stop;

        Killer(int killBudget) {
            this.killBudget = killBudget;
        }

        @Override
        public void onWorkerStarted(WorkerStats worker) {
            started.incrementAndGet();
            ready.add(worker.pid());
        }

        @Override
        public void onWorkerStopped(WorkerStats worker, PoolException cause) {
            ready.remove(worker.pid());
        }

        @Override
        public void run() {
            while (!stop && killed.get() < killBudget) {
                List<Long> candidates = new ArrayList<>(ready);
                if (candidates.size() == SIZE) {
                    long pid = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
                    if (ready.remove(pid) && ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
                        killed.incrementAndGet(); // destroyForcibly is SIGKILL on Linux
                    }
                }
                try {
                    Thread.sleep(KILL_EVERY_MILLIS); // the chaos schedule itself, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** {@code crashed}: inputs blamed for a crash; {@code resultLost}: inputs that ran but whose result died. */
    private record Outcome(long inputs, int killed, int replaced, long lost, long wrong, long crashed, long resultLost) {}

    private static Outcome chaos(String name, int retries) throws Exception {
        Killer killer = new Killer(KILLS);
        ProcessPool<Integer, Long> pool = ProcessPool.builder().size(SIZE).chunkSize(10).retries(retries)
                .listener(killer).build();
        Abuse.await("4 workers ready", 60, () -> killer.ready.size() == SIZE);
        Thread chaos = new Thread(killer, "chaos-killer");
        List<Integer> inputs = IntStream.range(0, INPUTS).boxed().toList();
        long processed = 0;
        long lost = 0;
        long wrong = 0;
        long crashed = 0;
        long resultLost = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Abuse.scale(120, 300));
        try {
            chaos.start();
            do {
                List<TaskResult<Long>> results = assertTimeoutPreemptively(Duration.ofSeconds(Abuse.scale(100, 600)),
                        () -> pool.mapResults(ChaosTest::work, inputs), name + ": the map hung");
                processed += INPUTS;
                lost += INPUTS - results.size();
                for (int i = 0; i < results.size(); i++) {
                    TaskResult<Long> r = results.get(i);
                    if (r.inputIndex() != i) {
                        wrong++;
                    } else if (r.isSuccess()) {
                        wrong += r.value() == work(i) ? 0 : 1;
                    } else if (r.failure() instanceof WorkerCrashedException e && e.inputIndex() == i && retries == 0) {
                        if (e.getMessage().contains("ran, but its result was lost")) {
                            resultLost++;
                        } else {
                            crashed++;
                        }
                    } else {
                        wrong++;
                        System.out.println("[reliability] " + name + " unexpected outcome " + r);
                    }
                }
            } while ((killer.killed.get() < KILLS || processed < INPUTS * Abuse.scale(1, 5))
                    && System.nanoTime() < deadline);
            killer.stop = true;
            chaos.interrupt();
            chaos.join(10_000);
            PoolStats stats = pool.stats();
            assertEquals(0, stats.pending(), "every submitted input has one outcome: " + stats);
            Abuse.await("the pool to be back at 4 workers", 60, () -> killer.ready.size() == SIZE);
            assertTimeoutPreemptively(Duration.ofSeconds(60), pool::close, name + ": close hung");
        } finally {
            killer.stop = true;
            chaos.interrupt();
            pool.terminate();
        }
        Outcome outcome = new Outcome(processed, killer.killed.get(), killer.started.get() - SIZE, lost, wrong, crashed,
                resultLost);
        Abuse.figure(name, "inputs-processed", outcome.inputs());
        Abuse.figure(name, "workers-killed", outcome.killed());
        Abuse.figure(name, "workers-replaced", outcome.replaced());
        Abuse.figure(name, "inputs-lost", outcome.lost());
        Abuse.figure(name, "wrong-results", outcome.wrong());
        Abuse.figure(name, "inputs-failed-crashed", outcome.crashed());
        Abuse.figure(name, "inputs-failed-result-lost", outcome.resultLost());
        return outcome;
    }

    @Test
    void map_workersKilledEvery200ms_withRetries_everyResultCorrect() throws Exception {
        Outcome outcome = chaos("chaos-retries", 3);
        assertEquals(0, outcome.lost(), "inputs lost");
        assertEquals(0, outcome.wrong(), "wrong, misplaced or failed results");
        assertTrue(outcome.killed() >= KILLS, "the killer killed " + outcome.killed() + " workers");
        assertTrue(outcome.replaced() >= outcome.killed(), "every killed worker was replaced");
    }

    @Test
    void map_workersKilledEvery200ms_withoutRetries_eachInputCorrectOrCrashed() throws Exception {
        Outcome outcome = chaos("chaos-no-retries", 0);
        assertEquals(0, outcome.lost(), "inputs lost");
        assertEquals(0, outcome.wrong(), "wrong or misplaced results, or failures other than a crash of that input");
        assertTrue(outcome.killed() >= KILLS, "the killer killed " + outcome.killed() + " workers");
        assertTrue(outcome.crashed() <= outcome.killed(), "at most one input is blamed per killed worker");
    }
}
