package io.github.pool4j.process;

import io.github.pool4j.PoolException;
import io.github.pool4j.PoolListener;
import io.github.pool4j.WorkerStats;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A parent JVM that gets SIGTERM while its pool is open: builds a pool of two, runs a call, prints
 * {@code READY} and waits. Its own shutdown hook waits until the pool has reported both workers
 * stopped (so the pool's log lines are written before the JVM ends) and prints {@code STOPPED} with
 * each cause.
 */
public final class TerminatedParent {

    private static final int WORKERS = 2;

    private TerminatedParent() {}

    /**
     * Runs the parent.
     *
     * @param args none
     * @throws Exception if the pool cannot start
     */
    public static void main(String[] args) throws Exception {
        CountDownLatch stopped = new CountDownLatch(WORKERS);
        StringBuffer causes = new StringBuffer();
        ProcessPool<String, String> pool = ProcessPool.builder().size(WORKERS).listener(new PoolListener() {
            @Override
            public void onWorkerStopped(WorkerStats worker, PoolException cause) {
                causes.append(' ').append(cause == null ? "none" : cause.getMessage());
                stopped.countDown();
            }
        }).build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                boolean all = stopped.await(20, TimeUnit.SECONDS);
                System.out.println("STOPPED" + (all ? "" : " (not all)") + causes);
                System.out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        pool.map(s -> s + "!", List.of("a", "b", "c", "d"));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
