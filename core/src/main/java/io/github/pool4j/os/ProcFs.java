package io.github.pool4j.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads process and thread rows from a Linux {@code /proc} file system, computing every value as
 * procps' {@code ps} does.
 *
 * <p>Sources: {@code /proc/<pid>/stat} (state, session, process group, terminal, nice, thread
 * count, CPU ticks, start ticks), {@code /proc/<pid>/status} (effective uid, {@code VmSize},
 * {@code VmRSS}, {@code VmLck} in KiB: {@code ps} reads RSS there, not from {@code stat}, whose
 * counters lag), {@code /proc/<pid>/cmdline}, {@code /proc/<pid>/task/<tid>/stat} for threads,
 * and the system files {@code uptime}, {@code stat} ({@code btime}), {@code meminfo}
 * ({@code MemTotal}) and {@code sys/kernel/pid_max}.
 */
final class ProcFs {

    /**
     * USER_HZ, the unit of the tick counts in {@code /proc}: 100 on every mainstream Linux
     * architecture (x86, ARM, RISC-V, POWER, s390), used when it cannot be derived.
     */
    static final long DEFAULT_HZ = 100;

    private final Path proc;
    private final Path passwd;
    private final Clock clock;
    private final long fixedHz;

    /**
     * @param hz USER_HZ to assume, or 0 to derive it from this JVM's start time
     */
    ProcFs(Path proc, Path passwd, Clock clock, long hz) {
        this.proc = proc;
        this.passwd = passwd;
        this.clock = clock;
        this.fixedHz = hz;
    }

    static ProcFs system() {
        return new ProcFs(Path.of("/proc"), Path.of("/etc/passwd"), Clock.systemDefaultZone(), SystemHz.VALUE);
    }

    /** USER_HZ of this machine, derived once per JVM. */
    private static final class SystemHz {
        static final long VALUE = new ProcFs(Path.of("/proc"), Path.of("/etc/passwd"), Clock.systemUTC(), 0).hz();
    }

    /** Tells whether this looks like a Linux {@code /proc} we can read. */
    boolean isAvailable() {
        return Files.isReadable(proc.resolve("uptime"))
                && Files.isReadable(proc.resolve("stat"))
                && Files.isReadable(proc.resolve("meminfo"));
    }

    /** Returns the width {@code ps} gives PID columns: the digits of {@code pid_max}, at least 5. */
    int pidWidth() {
        try {
            return Math.max(5, read(proc.resolve("sys/kernel/pid_max")).trim().length());
        } catch (IOException | RuntimeException e) {
            return 5;
        }
    }

    /**
     * Reads one row per process, or per thread, of the given processes, in ascending order of
     * PID then thread id, as {@code ps} lists them; processes and threads that have exited are
     * left out.
     *
     * @throws UncheckedIOException if a system file cannot be read
     */
    List<ProcessRow> rows(Collection<Long> pids, boolean perThread) {
        try {
            Machine machine = machine(clock.instant(), clock.getZone());
            Map<Long, String> users = null;
            List<ProcessRow> rows = new ArrayList<>();
            for (long pid : new TreeSet<>(pids)) {
                Path dir = proc.resolve(Long.toString(pid));
                Optional<Stat> stat = Stat.read(dir.resolve("stat"));
                Optional<Status> status = Status.read(dir.resolve("status"));
                if (stat.isEmpty() || status.isEmpty()) {
                    continue;
                }
                if (users == null) {
                    users = users();
                }
                String user = users.getOrDefault(status.get().uid(), Long.toString(status.get().uid()));
                String command = command(dir, stat.get());
                String tty = Terminals.name(dir, stat.get().ttyNr());
                if (!perThread) {
                    rows.add(row(machine, user, pid, pid, stat.get(), status.get(), tty, command));
                    continue;
                }
                List<Long> tids = threadIds(dir);
                if (tids.isEmpty()) {
                    // No task directory to list (very old kernels): the process is its only thread.
                    rows.add(row(machine, user, pid, pid, stat.get(), status.get(), tty, command));
                }
                for (long tid : tids) {
                    Optional<Stat> threadStat = Stat.read(dir.resolve("task").resolve(Long.toString(tid)).resolve("stat"));
                    if (threadStat.isPresent()) {
                        rows.add(row(machine, user, pid, tid, threadStat.get(), status.get(), tty, command));
                    }
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The system-wide figures one snapshot needs, read once. */
    private record Machine(double uptimeSeconds, long bootEpochSecond, long memTotalKiB, long hz, Instant now, ZoneId zone) {}

    private Machine machine(Instant now, ZoneId zone) throws IOException {
        double uptime = Double.parseDouble(read(proc.resolve("uptime")).trim().split("\\s+")[0]);
        long btime = field(read(proc.resolve("stat")), "btime");
        long memTotal = field(read(proc.resolve("meminfo")), "MemTotal:");
        long hz = fixedHz > 0 ? fixedHz : derivedHz(btime);
        return new Machine(uptime, btime, memTotal, hz, now, zone);
    }

    /** Returns USER_HZ: the fixed value if given, else derived; {@link #DEFAULT_HZ} if that fails. */
    long hz() {
        if (fixedHz > 0) {
            return fixedHz;
        }
        try {
            return derivedHz(field(read(proc.resolve("stat")), "btime"));
        } catch (IOException | RuntimeException e) {
            return DEFAULT_HZ;
        }
    }

    private static ProcessRow row(Machine machine, String user, long pid, long spid, Stat stat, Status status, String tty, String command) {
        long ticks = stat.utime() + stat.stime();
        // procps 4: life in seconds from uptime and the start tick (TIME_ELAPSED), cut to ticks.
        double secondsAlive = Math.max(0, machine.uptimeSeconds() - (double) stat.startTicks() / machine.hz());
        long cpu = PsText.cpuPermille(ticks, (long) (secondsAlive * machine.hz()));
        long mem = Math.min(999, PsText.permille(status.rssKiB(), machine.memTotalKiB()));
        long startEpochSecond = machine.bootEpochSecond() + stat.startTicks() / machine.hz();
        return new ProcessRow(
                user,
                pid,
                spid,
                cpu / 10.0,
                mem / 10.0,
                status.vszKiB(),
                status.rssKiB(),
                tty,
                stateFlags(pid, stat, status),
                PsText.startTime(startEpochSecond, machine.now(), machine.zone()),
                PsText.bsdTime(ticks / machine.hz()),
                command);
    }

    /** The {@code STAT} column, letters and flags in procps' order. */
    static String stateFlags(long pid, Stat stat, Status status) {
        StringBuilder flags = new StringBuilder().append(stat.state());
        if (stat.nice() < 0) {
            flags.append('<');
        }
        if (stat.nice() > 0) {
            flags.append('N');
        }
        if (status.lockedKiB() > 0) {
            flags.append('L');
        }
        if (stat.session() == pid) {
            flags.append('s');
        }
        if (stat.threads() > 1) {
            flags.append('l');
        }
        if (stat.pgrp() == stat.tpgid()) {
            flags.append('+');
        }
        return flags.toString();
    }

    /** The command line with NULs as spaces, or {@code [comm]} when there is none, as {@code ps}. */
    private static String command(Path dir, Stat stat) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve("cmdline"));
        } catch (NoSuchFileException e) {
            bytes = new byte[0];
        }
        int length = bytes.length;
        while (length > 0 && bytes[length - 1] == 0) {
            length--;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[i] == 0) {
                bytes[i] = ' ';
            }
        }
        String command = length == 0
                ? "[" + stat.comm() + "]"
                : new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (stat.state() == 'Z') {
            command += " <defunct>";
        }
        return PsText.escape(command);
    }

    private static List<Long> threadIds(Path dir) throws IOException {
        List<Long> tids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(dir.resolve("task"))) {
            tasks.forEach(task -> {
                String name = task.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    tids.add(Long.parseLong(name));
                }
            });
        } catch (NoSuchFileException e) {
            return List.of();
        }
        tids.sort(null);
        return tids;
    }

    /** uid to user name from the passwd file; uids without an entry print as numbers, as in ps. */
    private Map<Long, String> users() {
        Map<Long, String> users = new HashMap<>();
        try {
            for (String line : read(passwd).split("\n")) {
                String[] fields = line.split(":", -1);
                if (fields.length > 2 && !fields[0].isEmpty()) {
                    try {
                        users.putIfAbsent(Long.parseLong(fields[2]), fields[0]);
                    } catch (NumberFormatException e) {
                        // a malformed line names nobody
                    }
                }
            }
        } catch (IOException e) {
            // no passwd file: every user prints as a number
        }
        return users;
    }

    /**
     * USER_HZ derived from this JVM's start tick and the start instant the JDK computed from the
     * same tick with the real {@code sysconf(_SC_CLK_TCK)}; {@link #DEFAULT_HZ} if that fails.
     */
    private long derivedHz(long btime) {
        try {
            ProcessHandle self = ProcessHandle.current();
            Optional<Instant> started = self.info().startInstant();
            Optional<Stat> stat = Stat.read(proc.resolve(Long.toString(self.pid())).resolve("stat"));
            if (started.isEmpty() || stat.isEmpty()) {
                return DEFAULT_HZ;
            }
            long millisSinceBoot = started.get().toEpochMilli() - btime * 1000;
            if (millisSinceBoot < 5_000) {
                return DEFAULT_HZ;
            }
            double hz = stat.get().startTicks() * 1000.0 / millisSinceBoot;
            long rounded = Math.round(hz);
            return rounded >= 10 && Math.abs(hz - rounded) <= rounded * 0.01 ? rounded : DEFAULT_HZ;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_HZ;
        }
    }

    /** Reads a /proc file, or returns empty if its process (or thread) has gone meanwhile. */
    static Optional<String> readIfPresent(Path file) throws IOException {
        try {
            return Optional.of(read(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // ESRCH while the process exits reads as an I/O error
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Returns the first number after {@code key} at the start of a line. */
    private static long field(String text, String key) throws IOException {
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + key + " line");
    }

    /**
     * The fields of {@code /proc/<pid>/stat} (or a task's) that {@code ps u} uses. The command
     * name sits in parentheses and may itself contain spaces and parentheses, so fields are
     * counted from the last {@code )}.
     */
    record Stat(String comm, char state, long pgrp, long session, long ttyNr, long tpgid,
            long utime, long stime, long nice, long threads, long startTicks) {

        static Optional<Stat> read(Path file) throws IOException {
            return readIfPresent(file).map(Stat::parse);
        }

        static Stat parse(String text) {
            int open = text.indexOf('(');
            int close = text.lastIndexOf(')');
            if (open < 0 || close < open) {
                throw new IllegalArgumentException("not a /proc stat line: " + text);
            }
            String comm = text.substring(open + 1, close);
            String[] f = text.substring(close + 2).trim().split(" ");
            // f[0] is field 3 of proc(5): state
            return new Stat(
                    comm,
                    f[0].charAt(0),
                    Long.parseLong(f[5 - 3]),
                    Long.parseLong(f[6 - 3]),
                    Long.parseLong(f[7 - 3]),
                    Long.parseLong(f[8 - 3]),
                    Long.parseLong(f[14 - 3]),
                    Long.parseLong(f[15 - 3]),
                    Long.parseLong(f[19 - 3]),
                    Long.parseLong(f[20 - 3]),
                    Long.parseLong(f[22 - 3]));
        }
    }

    /** The fields of {@code /proc/<pid>/status} that {@code ps u} uses; kernel threads have no Vm lines. */
    record Status(long uid, long vszKiB, long rssKiB, long lockedKiB) {

        static Optional<Status> read(Path file) throws IOException {
            return readIfPresent(file).map(Status::parse);
        }

        static Status parse(String text) {
            long uid = -1;
            long vsz = 0;
            long rss = 0;
            long locked = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("Uid:")) {
                    uid = Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                } else if (line.startsWith("VmSize:")) {
                    vsz = kib(line);
                } else if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmLck:")) {
                    locked = kib(line);
                }
            }
            return new Status(uid, vsz, rss, locked);
        }

        private static long kib(String line) {
            return Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0]);
        }
    }
}
