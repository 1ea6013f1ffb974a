package io.github.pool4j.process.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Tasks for the time tests: {@code "ok:N"} answers at once, {@code "stop:<dir>"} SIGSTOPs its own worker. */
final class StopTasks {

    private StopTasks() {}

    static String run(String input) throws Exception {
        String[] parts = input.split(":", 2);
        if (parts[0].equals("ok")) {
            return "done " + parts[1];
        }
        // Tell the test which process to wake or kill afterwards, then freeze the whole worker JVM:
        // its own watchdog cannot fire, only the parent can notice.
        long pid = ProcessHandle.current().pid();
        Path dir = Path.of(parts[1]);
        Path tmp = Files.createTempFile(dir, "pid", ".tmp");
        Files.writeString(tmp, Long.toString(pid));
        Files.move(tmp, dir.resolve("stopped-" + pid), StandardCopyOption.ATOMIC_MOVE);
        new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
        return "resumed";
    }
}
