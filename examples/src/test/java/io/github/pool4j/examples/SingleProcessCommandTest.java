package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftovers.class)
class SingleProcessCommandTest {

    @Test
    void singleProcess_asksNameThenGreets() {
        Run run = Run.withInput("Kai\n", "single-process");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("Enter your name: Hi Kai!" + System.lineSeparator(), run.out());
    }

    @Test
    void singleProcess_inputEnds_saysSoInsteadOfFailing() {
        Run run = Run.withInput("", "single-process");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("(no name: input ended)"), run.out());
    }

    @Test
    void singleProcess_inputFails_oneLineOnStderr_exit1_noStackTrace() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("terminal went away");
            }
        };

        Run run = Run.withInput(broken, "single-process");

        assertEquals(1, run.exitCode());
        assertEquals("single-process: terminal went away" + System.lineSeparator(), run.err());
    }

    @Test
    void singleProcess_show_printsOneRowForThisJvmBeforeAsking() {
        Run run = Run.withInput("Tessa\n", "single-process", "--show");

        assertEquals(0, run.exitCode(), run.err());
        PsTable table = PsTable.parse(run.out());
        assertEquals(1, table.rows().size(), run.out());
        assertEquals(ProcessHandle.current().pid(), table.rows().get(0).pid());
        assertTrue(table.rows().get(0).rssKiB() > 0, run.out());
        assertTrue(run.out().indexOf("Enter your name: ") > run.out().indexOf(Long.toString(ProcessHandle.current().pid())));
        assertTrue(run.out().endsWith("Hi Tessa!" + System.lineSeparator()), run.out());
    }
}
