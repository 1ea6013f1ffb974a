package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftovers.class)
class SayHelloCommandTest {

    private static final Pattern ELAPSED =
            Pattern.compile("^elapsed \\d+\\.\\d s \\(serial would take (\\d+\\.\\d) s\\)$", Pattern.MULTILINE);

    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void sayHello_processes_greetsFromWorkers_tableShowsThisJvmAndThreeWorkerJvms() {
        Run run = Run.of("say-hello", "--processes", "--sleep", "0.5");

        assertEquals(0, run.exitCode(), run.err());
        assertGreetedOnce(run, "Kai", "Tessa", "Jess");
        PsTable table = PsTable.parse(run.out());
        assertEquals(4, table.rows().size(), run.out());
        assertEquals(4, table.distinctPids(), run.out());
        assertTrue(table.rows().stream().anyMatch(r -> r.pid() == SELF), "this JVM is listed");
        assertTrue(run.out().contains("4 processes: this JVM and 3 worker JVMs"), run.out());
        assertTrue(Pattern.compile("^started 3 worker JVMs in \\d+\\.\\d s$", Pattern.MULTILINE).matcher(run.out()).find(),
                run.out());
        assertSerial(run, "1.5");
    }

    @Test
    void sayHello_cluster_greetsFromMembers_tableShowsThisJvmAndThreeMemberJvms() {
        Run run = Run.of("say-hello", "--cluster", "--sleep", "0.5");

        assertEquals(0, run.exitCode(), run.err());
        assertGreetedOnce(run, "Kai", "Tessa", "Jess");
        PsTable table = PsTable.parse(run.out());
        assertEquals(4, table.distinctPids(), run.out());
        assertTrue(table.rows().stream().anyMatch(r -> r.pid() == SELF), "this JVM is listed");
        assertTrue(Pattern.compile("^started 3 Hazelcast member JVMs in \\d+\\.\\d s$", Pattern.MULTILINE)
                .matcher(run.out()).find(), run.out());
        assertSerial(run, "1.5");
    }

    @Test
    void sayHello_threads_tableShowsOneProcessWithMainAndThreePoolThreads() {
        Run run = Run.of("say-hello", "--threads", "--sleep", "0.5");

        assertEquals(0, run.exitCode(), run.err());
        assertGreetedOnce(run, "Kai", "Tessa", "Jess");
        PsTable table = PsTable.parse(run.out());
        assertEquals(1, table.distinctPids(), run.out());
        assertEquals(SELF, table.rows().get(0).pid());
        assertEquals(4, table.rows().size(), "main + 3 pool threads:\n" + run.out());
        assertEquals(4, table.rows().stream().mapToLong(PsTable.Row::spid).distinct().count(), run.out());
        long mainThread = Checkpoint.nativeThreadId();
        assertTrue(table.rows().stream().anyMatch(r -> r.spid() == mainThread), "the thread that ran the command");
        assertTrue(run.out().contains("3 pool threads"), run.out());
        assertSerial(run, "1.5");
    }

    @Test
    void sayHello_threadsAllThreads_listsTheJvmsOtherThreadsToo() {
        Run run = Run.of("say-hello", "--threads", "--sleep", "0.2", "--all-threads");

        assertEquals(0, run.exitCode(), run.err());
        PsTable table = PsTable.parse(run.out());
        assertEquals(1, table.distinctPids(), run.out());
        assertTrue(table.rows().size() > 4, "GC and JIT threads too:\n" + run.out());
    }

    @Test
    void sayHello_givenNamesAndWorkers_greetsThoseNames() {
        Run run = Run.of("say-hello", "--threads", "--sleep", "0", "--workers", "2", "Ada", "Grace");

        assertEquals(0, run.exitCode(), run.err());
        assertGreetedOnce(run, "Ada", "Grace");
        assertTrue(!run.out().contains("Hi Kai!"), run.out());
        assertSerial(run, "0.0");
    }

    private static void assertGreetedOnce(Run run, String... names) {
        for (String name : names) {
            long greetings = run.outLines().stream().filter(l -> l.equals("Hi " + name + "!")).count();
            assertEquals(1, greetings, "'Hi " + name + "!' once in:\n" + run.out());
        }
    }

    private static void assertSerial(Run run, String serialSeconds) {
        Matcher elapsed = ELAPSED.matcher(run.out());
        assertTrue(elapsed.find(), run.out());
        assertEquals(serialSeconds, elapsed.group(1));
    }
}
