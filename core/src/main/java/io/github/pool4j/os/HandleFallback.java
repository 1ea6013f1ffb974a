package io.github.pool4j.os;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Builds rows from {@link ProcessHandle} where there is no {@code /proc}: user, PID, command,
 * start and CPU time (hence {@code %CPU}) are known; memory, terminal and state are not, and
 * threads cannot be listed.
 */
final class HandleFallback {

    private HandleFallback() {}

    static List<ProcessRow> rows(Collection<Long> pids, Instant now, ZoneId zone) {
        List<ProcessRow> rows = new ArrayList<>();
        for (long pid : new TreeSet<>(pids)) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent()) {
                rows.add(row(pid, handle.get().info(), now, zone));
            }
        }
        return rows;
    }

    static ProcessRow row(long pid, ProcessHandle.Info info, Instant now, ZoneId zone) {
        Optional<Instant> start = info.startInstant();
        Optional<Duration> cpu = info.totalCpuDuration();
        double cpuPercent = -1;
        if (start.isPresent() && cpu.isPresent()) {
            long millisAlive = Duration.between(start.get(), now).toMillis();
            cpuPercent = PsText.cpuPermille(cpu.get().toMillis(), millisAlive) / 10.0;
        }
        String command = info.commandLine().or(info::command).map(PsText::escape).orElse(PsText.UNKNOWN);
        return new ProcessRow(
                info.user().orElse(PsText.UNKNOWN),
                pid,
                pid,
                cpuPercent,
                -1,
                -1,
                -1,
                PsText.UNKNOWN,
                PsText.UNKNOWN,
                start.map(s -> PsText.startTime(s.getEpochSecond(), now, zone)).orElse(PsText.UNKNOWN),
                cpu.map(c -> PsText.bsdTime(c.toSeconds())).orElse(PsText.UNKNOWN),
                command);
    }
}
