package io.github.pool4j.process;

import io.github.pool4j.Pool;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A parent JVM for the orphan tests: starts a pool busy with endless tasks, prints its workers'
 * pids, then either waits to be killed ({@code kill}) or exits without closing the pool ({@code exit}).
 */
public final class OrphanParent {

    private OrphanParent() {}

    public static void main(String[] args) throws Exception {
        ProcessPool<String, String> pool = ProcessPool.builder().size(2).build();
        Pool<String, String> p = pool;
        p.mapAsync(FaultTasks::run, List.of("sleep:", "sleep:"));
        while (pool.workerPids().size() < 2) {
            Thread.sleep(50);
        }
        System.out.println("PIDS " + pool.workerPids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        System.out.flush();
        if (args.length > 0 && args[0].equals("exit")) {
            Thread.sleep(500);
            System.exit(0);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
