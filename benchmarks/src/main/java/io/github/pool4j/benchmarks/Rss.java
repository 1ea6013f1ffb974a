package io.github.pool4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resident set sizes read from {@code /proc/PID/status} ({@code VmRSS}), the figure {@code ps}
 * shows as RSS. Linux only; elsewhere every reading is 0 and the memory rows say so.
 *
 * <p>Thread-safety: stateless, except {@link Sampler} which is safe to start and stop from
 * different threads.
 */
final class Rss {

    private Rss() {}

    /** Returns the RSS of {@code pid} in bytes, or 0 if it is gone or unreadable. */
    static long of(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /**
     * Returns the proportional set size of {@code pid} in bytes (shared pages divided among the
     * processes sharing them, from {@code /proc/PID/smaps_rollup}), or 0 if unreadable.
     */
    static long pssOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** Returns the RSS of this JVM plus all of its descendant processes, in bytes. */
    static long ofTree() {
        ProcessHandle self = ProcessHandle.current();
        long total = of(self.pid());
        for (ProcessHandle child : (Iterable<ProcessHandle>) self.descendants()::iterator) {
            total += of(child.pid());
        }
        return total;
    }

    /** Returns true if RSS can be read here. */
    static boolean available() {
        return of(ProcessHandle.current().pid()) > 0;
    }

    /** Samples the process tree's RSS every 20 ms on a daemon thread and keeps the peak. */
    static final class Sampler implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        Sampler() {
            thread = new Thread(this::loop, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running) {
                peak.accumulateAndGet(ofTree(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Returns the highest tree RSS seen so far, in bytes. */
        long peak() {
            return peak.get();
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
