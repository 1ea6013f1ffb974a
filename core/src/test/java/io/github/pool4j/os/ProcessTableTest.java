package io.github.pool4j.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pool4j.Pool;
import io.github.pool4j.SerialPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Compares the table with the real {@code ps} of this machine. */
class ProcessTableTest {

    /** Fields of a {@code ps u} line before COMMAND: USER PID %CPU %MEM VSZ RSS TTY STAT START TIME. */
    private static final int PROCESS_FIELDS = 10;
    private static final int THREAD_FIELDS = 11;
    private static final int USER = 0;
    private static final int PID = 1;
    private static final int CPU = 2;
    private static final int VSZ = 4;
    private static final int RSS = 5;
    private static final int STAT = 7;

    private final long self = ProcessHandle.current().pid();
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void needsProcAndPs() {
        Ps.assumeAvailable();
    }

    @AfterEach
    void noChildLeft() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not exit: " + child.pid());
        }
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(), "a child is left");
    }

    /** Starts {@code command} and waits (bounded) until it has exec'd and sleeps. */
    private long startSleeping(String... command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        children.add(child);
        Path stat = Path.of("/proc", Long.toString(child.pid()), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(stat);
            if (text.contains("(sleep) S")) {
                return child.pid();
            }
            Thread.sleep(10); // polling a condition with a deadline, not timing a race
        }
        throw new AssertionError("child never slept: " + Files.readString(stat));
    }

    private static List<String> lines(ProcessTable table) {
        return table.format(0).lines().toList();
    }

    private static void assertSameProcessFields(List<String> ps, List<String> ours, String what) {
        for (int i = 0; i < ps.size(); i++) {
            if (i == CPU || i == VSZ || i == RSS) {
                continue;
            }
            assertEquals(ps.get(i), ours.get(i), what + ": field " + i + " of " + ps + " vs " + ours);
        }
    }

    private static void assertNear(String ps, String ours, String what) {
        long expected = Long.parseLong(ps);
        long actual = Long.parseLong(ours);
        long tolerance = Math.max(expected / 10, 2048);
        assertTrue(Math.abs(expected - actual) <= tolerance, what + ": ps " + expected + " KiB, ours " + actual + " KiB");
    }

    @Test
    void processes_headerMatchesPsExactly() {
        assertEquals(Ps.u(false, self).get(0), lines(ProcessTable.self()).get(0));
    }

    @Test
    void threads_headerMatchesPsExactly() {
        assertEquals(Ps.u(true, self).get(0), lines(ProcessTable.threads(List.of(self))).get(0));
    }

    @Test
    void processes_sleepingChild_lineMatchesPs() throws Exception {
        long child = startSleeping("sleep", "30");

        ProcessTable table = ProcessTable.processes(List.of(child));
        List<String> ps = Ps.u(false, child);

        assertEquals(2, ps.size(), ps.toString());
        List<String> ours = lines(table);
        assertEquals(2, ours.size(), ours.toString());
        List<String> psFields = Ps.fields(ps.get(1), PROCESS_FIELDS);
        List<String> ourFields = Ps.fields(ours.get(1), PROCESS_FIELDS);
        assertSameProcessFields(psFields, ourFields, "sleep");
        assertNear(psFields.get(RSS), ourFields.get(RSS), "RSS");
        assertEquals(psFields.get(VSZ), ourFields.get(VSZ));
        ProcessRow row = table.rows().get(0);
        assertTrue(row.stat().equals("S") || row.stat().equals("S+"), "sleeping, single-threaded: " + row.stat());
        assertEquals("sleep 30", row.command());
        assertEquals("0:00", row.time());
        if (psFields.get(CPU).equals(ourFields.get(CPU))) {
            // Same %CPU (the usual case: no tick used yet): then the whole line must be identical.
            assertEquals(ps.get(1), ours.get(1));
        }
    }

    @Test
    void processes_stateFlags_matchPsForSessionLeaderAndNicedChildren() throws Exception {
        long leader = startSleeping("setsid", "sleep", "31");
        long niced = startSleeping("nice", "-n", "5", "sleep", "32");

        List<ProcessRow> rows = ProcessTable.processes(List.of(leader, niced)).rows();
        List<String> ps = Ps.u(false, leader, niced);

        assertEquals(3, ps.size(), ps.toString());
        assertEquals(2, rows.size());
        assertEquals(Ps.fields(ps.get(1), PROCESS_FIELDS).get(STAT), rows.get(0).stat());
        assertEquals(Ps.fields(ps.get(2), PROCESS_FIELDS).get(STAT), rows.get(1).stat());
        assertTrue(rows.get(0).stat().startsWith("Ss"), rows.get(0).toString());
        assertTrue(rows.get(1).stat().startsWith("SN"), rows.get(1).toString());
    }

    @Test
    void processes_childOnAPseudoTerminal_showsItsTtyAndForegroundFlagLikePs() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "no script(1) to make a terminal");
        Process script = new ProcessBuilder("script", "-qc", "sleep 34", "/dev/null").redirectErrorStream(true).start();
        children.add(script);
        long sleeper = awaitSleepingDescendant(script);
        try {
            ProcessRow row = ProcessTable.processes(List.of(sleeper)).rows().get(0);
            List<String> ps = Ps.fields(Ps.u(false, sleeper).get(1), PROCESS_FIELDS);

            assertTrue(row.tty().startsWith("pts/"), row.tty());
            assertEquals(ps.get(6), row.tty());
            // Whether the sleeper leads its session depends on script(1) and the shell it runs
            // (some exec the command, some fork it), so the expected flags come from /proc.
            String expected = isSessionLeader(sleeper) ? "Ss+" : "S+";
            assertEquals(expected, row.stat(), "in the terminal's foreground group");
            assertEquals(ps.get(STAT), row.stat());
        } finally {
            // script reaps its child and exits, so no zombie is left for init.
            ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroyForcibly);
            assertTrue(script.waitFor(30, TimeUnit.SECONDS), "script did not exit");
        }
    }

    private static boolean isSessionLeader(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // After "(comm) ": state ppid pgrp session ...
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]) == pid;
    }

    private static long awaitSleepingDescendant(Process parent) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (ProcessHandle descendant : parent.descendants().toList()) {
                Path stat = Path.of("/proc", Long.toString(descendant.pid()), "stat");
                if (Files.exists(stat) && Files.readString(stat).contains("(sleep) S")) {
                    return descendant.pid();
                }
            }
            Thread.sleep(10); // polling a condition with a deadline, not timing a race
        }
        throw new AssertionError("no sleeping descendant of " + parent.pid());
    }

    @Test
    void processes_thisJvmAndAChild_matchPsFieldByField() throws Exception {
        long child = startSleeping("sleep", "30");

        ProcessTable table = ProcessTable.ofThisJvmAnd(List.of(child), false);
        List<String> ps = Ps.u(false, self, child);

        assertEquals(2, table.processCount());
        assertEquals(ps.size() - 1, table.rows().size());
        List<String> ours = lines(table);
        for (int i = 1; i < ps.size(); i++) {
            List<String> psFields = Ps.fields(ps.get(i), PROCESS_FIELDS);
            List<String> ourFields = Ps.fields(ours.get(i), PROCESS_FIELDS);
            assertEquals(psFields.get(USER), ourFields.get(USER));
            assertEquals(psFields.get(PID), ourFields.get(PID));
            // This JVM's main thread state can differ (R while reading /proc), its flags cannot.
            assertEquals(psFields.get(STAT).substring(1), ourFields.get(STAT).substring(1), "STAT flags");
            // TIME left out: this busy JVM may cross a CPU second between ps and the snapshot.
            assertEquals(psFields.get(8), ourFields.get(8), "START");
            assertEquals(psFields.get(10), ourFields.get(10), "COMMAND");
            assertNear(psFields.get(RSS), ourFields.get(RSS), "RSS of " + psFields.get(PID));
        }
        ProcessRow jvm = table.rows().stream().filter(row -> row.pid() == self).findFirst().orElseThrow();
        assertTrue(jvm.stat().contains("l"), "a JVM is multi-threaded: " + jvm.stat());
        assertEquals(table.rows().stream().mapToLong(ProcessRow::rssKiB).sum(), table.totalRssKiB());
        assertTrue(table.isComplete());
        assertTrue(table.limitation().isEmpty());
    }

    @Test
    void threads_thisJvm_listsEveryThreadPsSees() {
        Set<Long> before = spids(Ps.u(true, self));
        ProcessTable table = ProcessTable.threads(List.of(self));
        Set<Long> after = spids(Ps.u(true, self));

        Set<Long> stable = new HashSet<>(before);
        stable.retainAll(after);
        Set<Long> ours = table.rows().stream().map(ProcessRow::spid).collect(Collectors.toSet());
        assertTrue(ours.containsAll(stable), "missing threads: " + difference(stable, ours));
        Set<Long> seenByPs = new HashSet<>(before);
        seenByPs.addAll(after);
        // Only a thread born and gone between the two ps runs could be ours alone.
        assertTrue(difference(ours, seenByPs).size() <= 2, "threads ps never saw: " + difference(ours, seenByPs));
        assertTrue(ours.contains(self), "the main thread has SPID == PID");
        assertTrue(table.isPerThread());
        assertEquals(1, table.processCount());
        assertEquals(table.rows().size(), table.rows().stream().filter(row -> row.pid() == self).count());
        assertTrue(table.rows().stream().allMatch(row -> row.stat().contains("l")));
    }

    @Test
    void threads_thisJvm_totalRssCountsTheProcessOnce() {
        ProcessTable table = ProcessTable.threads(List.of(self));

        assertTrue(table.rows().size() > 1);
        ProcessRow main = table.rows().stream().filter(row -> row.spid() == self).findFirst().orElseThrow();
        assertEquals(main.rssKiB(), table.totalRssKiB());
        assertTrue(table.totalRssKiB() > 0);
    }

    @Test
    void threads_sleepingChild_oneRowLikePsDashT() throws Exception {
        long child = startSleeping("sleep", "30");

        ProcessTable table = ProcessTable.threads(List.of(child));
        List<String> ps = Ps.u(true, child);

        assertEquals(ps.size() - 1, table.rows().size());
        assertEquals(1, table.rows().size());
        ProcessRow row = table.rows().get(0);
        assertEquals(child, row.spid());
        List<String> psFields = Ps.fields(ps.get(1), THREAD_FIELDS);
        assertEquals(List.of(Long.toString(child), Long.toString(child)), psFields.subList(1, 3));
        assertEquals(psFields.get(STAT + 1), row.stat());
        assertEquals(psFields.get(THREAD_FIELDS), row.command());
    }

    @Test
    void threads_thisJvm_startOfEachStableThreadMatchesPs() {
        List<String> ps = Ps.u(true, self);
        ProcessTable table = ProcessTable.threads(List.of(self));

        int compared = 0;
        for (String line : ps.subList(1, ps.size())) {
            List<String> fields = Ps.fields(line, THREAD_FIELDS);
            long spid = Long.parseLong(fields.get(2));
            for (ProcessRow row : table.rows()) {
                if (row.spid() == spid) {
                    assertEquals(fields.get(9), row.start(), "START of " + spid);
                    assertEquals(fields.get(0), row.user());
                    compared++;
                }
            }
        }
        assertTrue(compared > 1, "compared " + compared);
    }

    @Test
    void processes_exitedProcess_isLeftOut() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));

        ProcessTable table = ProcessTable.processes(List.of(child.pid()));

        assertEquals(List.of(), table.rows());
        assertEquals(1, lines(table).size(), "the header alone");
        assertEquals(0, table.totalRssKiB());
    }

    @Test
    void of_pool_showsThisJvmForASerialPool() {
        try (Pool<Integer, Integer> pool = SerialPool.create()) {
            ProcessTable table = ProcessTable.of(pool, false);

            assertEquals(1, table.processCount());
            assertEquals(self, table.rows().get(0).pid());
        }
    }

    @Test
    void hz_onThisMachine_equalsGetconfClkTck() {
        List<String> clkTck = Ps.run(List.of("getconf", "CLK_TCK"));

        assertEquals(Long.parseLong(clkTck.get(0).trim()), ProcFs.system().hz());
    }

    @Test
    void print_writesTheFormattedTable() {
        ProcessTable table = ProcessTable.self();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(table.format(), printed);
        assertFalse(printed.contains("note:"));
    }

    private static Set<Long> spids(List<String> psLines) {
        Set<Long> spids = new HashSet<>();
        for (String line : psLines.subList(1, psLines.size())) {
            spids.add(Long.parseLong(Ps.fields(line, THREAD_FIELDS).get(2)));
        }
        return spids;
    }

    private static Set<Long> difference(Set<Long> a, Set<Long> b) {
        Set<Long> result = new HashSet<>(a);
        result.removeAll(b);
        return result;
    }
}
