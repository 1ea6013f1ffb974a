package io.github.pool4j.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads a hand-made /proc tree, so each computed value is known exactly. */
class ProcFsTest {

    private static final long BOOT = 1_795_616_460L; // 2026-11-25T14:21:00Z
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(BOOT + 110), ZoneOffset.UTC);

    @TempDir
    Path root;

    private Path proc;
    private ProcFs fs;

    @BeforeEach
    void writeProc() throws IOException {
        proc = root.resolve("proc");
        write("uptime", "110.50 200.00\n");
        write("stat", "cpu  1 2 3 4\nbtime " + BOOT + "\nprocesses 99\n");
        write("meminfo", "MemTotal:       1000000 kB\nMemFree:         500000 kB\n");
        write("sys/kernel/pid_max", "4194304\n");
        Files.writeString(root.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n"
                + "verylongusername:x:1000:1000::/home/v:/bin/sh\nbroken-line\n");
        // A multi-threaded, niced session leader in the foreground, with locked pages; its name has
        // spaces and parentheses. Started 10 s after boot, used 2 s of CPU.
        write("4242/stat", stat(4242, "a) (b", 'S', 4242, 4242, 34816, 4242, 150, 50, -5, 3, 1000));
        write("4242/status", "Name:\tx\nUid:\t1000\t1000\t1000\t1000\nVmSize:\t  300000 kB\nVmLck:\t       4 kB\n"
                + "VmRSS:\t   50000 kB\n");
        write("4242/cmdline", "/usr/bin/java\0-version\0");
        write("4242/task/4242/stat", stat(4242, "java", 'S', 4242, 4242, 34816, 4242, 100, 0, -5, 3, 1000));
        write("4242/task/10001/stat", stat(10001, "GC", 'R', 4242, 4242, 34816, 4242, 40, 10, -5, 3, 2000));
        write("4242/task/4250/stat", stat(4250, "C2", 'S', 4242, 4242, 34816, 4242, 10, 0, -5, 3, 1001));
        // A kernel thread: no command line, no Vm lines.
        write("2/stat", stat(2, "kthreadd", 'S', 0, 0, 0, -1, 0, 0, 0, 1, 0));
        write("2/status", "Name:\tkthreadd\nUid:\t0\t0\t0\t0\n");
        write("2/cmdline", "");
        // A zombie owned by a uid without a name.
        write("77/stat", stat(77, "dead", 'Z', 77, 1, 0, -1, 1, 1, 5, 1, 5000));
        write("77/status", "Name:\tdead\nUid:\t4711\t4711\t4711\t4711\n");
        write("77/cmdline", "");
        fs = new ProcFs(proc, root.resolve("passwd"), CLOCK, 100);
    }

    private void write(String path, String text) throws IOException {
        Path file = proc.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** A stat line with the fields ps u reads set and the others zero. */
    private static String stat(long pid, String comm, char state, long pgrp, long session, long ttyNr, long tpgid,
            long utime, long stime, long nice, long threads, long startTicks) {
        long[] fields = new long[52];
        fields[5] = pgrp;
        fields[6] = session;
        fields[7] = ttyNr;
        fields[8] = tpgid;
        fields[14] = utime;
        fields[15] = stime;
        fields[19] = nice;
        fields[20] = threads;
        fields[22] = startTicks;
        StringBuilder line = new StringBuilder().append(pid).append(" (").append(comm).append(") ").append(state);
        line.append(" 1"); // ppid
        for (int field = 5; field < fields.length; field++) {
            line.append(' ').append(fields[field]);
        }
        return line.append('\n').toString();
    }

    @Test
    void processRow_computesEveryColumnAsPs() {
        List<ProcessRow> rows = fs.rows(List.of(4242L), false);

        // 200 ticks of CPU over 100.5 s alive = 1.99% -> 1.9; 50000 of 1000000 KiB = 5.0%.
        ProcessRow expected = new ProcessRow("verylongusername", 4242, 4242, 1.9, 5.0, 300000, 50000, "pts/0",
                "S<Lsl+", "14:21", "0:02", "/usr/bin/java -version");
        assertEquals(List.of(expected), rows);
    }

    @Test
    void threadRows_ascendingByThreadId_withTheirOwnCpuAndStart() {
        List<ProcessRow> rows = fs.rows(List.of(4242L), true);

        assertEquals(List.of(4242L, 4250L, 10001L), rows.stream().map(ProcessRow::spid).toList());
        ProcessRow gc = rows.get(2);
        assertEquals("R<Lsl+", gc.stat());
        assertEquals(0.5, gc.cpuPercent()); // 50 ticks over 90.5 s
        assertEquals("0:00", gc.time());
        assertEquals("14:21", gc.start());
        assertTrue(rows.stream().allMatch(row -> row.rssKiB() == 50000 && row.pid() == 4242));
    }

    @Test
    void kernelThreadAndZombie_printAsBracketedNames() {
        List<ProcessRow> rows = fs.rows(List.of(77L, 2L, 2L), false);

        assertEquals(List.of(2L, 77L), rows.stream().map(ProcessRow::pid).toList());
        assertEquals("[kthreadd]", rows.get(0).command());
        assertEquals("root", rows.get(0).user());
        assertEquals("?", rows.get(0).tty());
        assertEquals(0, rows.get(0).rssKiB());
        assertEquals("[dead] <defunct>", rows.get(1).command());
        assertEquals("4711", rows.get(1).user(), "a uid without a name prints as a number");
        assertEquals("ZN", rows.get(1).stat());
    }

    @Test
    void missingProcess_isLeftOut() {
        assertEquals(List.of(), fs.rows(List.of(31337L), true));
    }

    @Test
    void table_formatsWithPidMaxWidthAndCutUserNames() {
        ProcessTable table = ProcessTable.read(fs, List.of(4242L, 2L), false);

        assertEquals(List.of(
                "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND",
                "root           2  0.0  0.0      0     0 ?        S    14:21   0:00 [kthreadd]",
                "verylon+    4242  1.9  5.0 300000 50000 pts/0    S<Lsl+ 14:21 0:02 /usr/bin/java -version"),
                table.format(0).lines().toList());
        assertEquals(50000, table.totalRssKiB());
        assertEquals(2, table.processCount());
    }

    @Test
    void threadTable_totalRssCountsEachProcessOnce() {
        ProcessTable table = ProcessTable.read(fs, List.of(4242L, 77L), true);

        assertEquals(4, table.rows().size());
        assertEquals(50000, table.totalRssKiB());
        assertEquals(2, table.processCount());
    }

    @Test
    void statParse_commWithParenthesesAndSpaces() {
        ProcFs.Stat stat = ProcFs.Stat.parse(stat(9, ") x (y) ", 'D', 1, 2, 0, -1, 7, 8, 19, 4, 123));

        assertEquals(") x (y) ", stat.comm());
        assertEquals('D', stat.state());
        assertEquals(15, stat.utime() + stat.stime());
        assertEquals(19, stat.nice());
        assertEquals(4, stat.threads());
        assertEquals(123, stat.startTicks());
    }

    @Test
    void noProc_degradesToProcessHandleAndSaysWhatIsMissing() {
        ProcFs none = new ProcFs(root.resolve("no-such-proc"), root.resolve("passwd"), CLOCK, 100);
        long self = ProcessHandle.current().pid();

        ProcessTable table = ProcessTable.read(none, List.of(self), true);

        assertFalse(table.isComplete());
        assertFalse(table.isPerThread(), "threads cannot be listed without /proc");
        String limitation = table.limitation().orElseThrow();
        assertTrue(limitation.contains("/proc") && limitation.contains("RSS") && limitation.contains("threads"), limitation);
        ProcessRow row = table.rows().get(0);
        assertEquals(self, row.pid());
        assertEquals(-1, row.rssKiB());
        assertEquals("-", row.stat());
        assertTrue(row.command().contains("java"), row.command());
        assertTrue(row.cpuPercent() >= 0, "CPU time and start are known: " + row);
        assertEquals(-1, table.totalRssKiB());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"), printed);
        assertTrue(printed.lines().skip(1).findFirst().orElseThrow()
                .matches("\\S+ +" + self + " +\\d+\\.\\d +- +- +- +- +- +\\S+ +\\d+:\\d\\d .*java.*"), printed);
        assertTrue(printed.contains("note: " + limitation), printed);
    }
}
