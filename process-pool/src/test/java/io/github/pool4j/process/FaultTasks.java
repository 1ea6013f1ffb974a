package io.github.pool4j.process;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Tasks that break their worker in every way the fault tests need. Inputs: "ok:N" or "mode:dir". */
final class FaultTasks {

    private FaultTasks() {}

    static String run(String input) throws Exception {
        String[] parts = input.split(":", 2);
        switch (parts[0]) {
            case "ok" -> {
                return "done " + parts[1];
            }
            case "block" -> {
                // Tell the test which worker holds this input, then wait to be killed.
                announce(Path.of(parts[1]), Long.toString(ProcessHandle.current().pid()));
                stuckForever();
                return "unreachable";
            }
            case "exit" -> {
                System.err.println("about to exit");
                System.exit(3);
                return "unreachable";
            }
            case "halt" -> {
                Runtime.getRuntime().halt(5);
                return "unreachable";
            }
            case "oom" -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }
            case "recurse" -> {
                return Integer.toString(recurse(0));
            }
            case "sleep" -> {
                stuckForever();
                return "unreachable";
            }
            case "once" -> {
                // Crashes the first time only: the marker survives the worker.
                Path marker = Path.of(parts[1]);
                if (Files.notExists(marker)) {
                    Files.writeString(marker, "crashed");
                    Runtime.getRuntime().halt(9);
                }
                return "second try";
            }
            case "child" -> {
                Process child = new ProcessBuilder("sleep", "300").start();
                announce(Path.of(parts[1]), ProcessHandle.current().pid() + " " + child.pid());
                stuckForever();
                return "unreachable";
            }
            case "orphan" -> {
                // A grandchild whose parent outlives a few of the pool's scans, then exits: init adopts it.
                new ProcessBuilder("sh", "-c", "sleep 300 & echo $! > '" + parts[1] + "'; sleep 3")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor();
                return "orphaned";
            }
            case "escape" -> {
                // A grandchild that leaves the process tree at once but keeps our stdout open.
                new ProcessBuilder("sh", "-c", "(sleep " + parts[1] + " &)")
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .start()
                        .waitFor();
                System.exit(3);
                return "unreachable";
            }
            case "hook" -> {
                // A shutdown hook of the task's, which must run when the pool stops the worker.
                Path file = Path.of(parts[1]);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Files.writeString(file, "hook ran in " + ProcessHandle.current().pid());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
                return "hooked";
            }
            case "linger" -> {
                // A thread that is not a daemon and never ends: it must not keep the worker alive.
                Thread thread = new Thread(() -> {
                    try {
                        stuckForever();
                    } catch (InterruptedException e) {
                        // ends with the worker
                    }
                }, "task-thread-never-ending");
                thread.start();
                return "lingering in " + ProcessHandle.current().pid();
            }
            default -> throw new IllegalArgumentException("unknown mode " + parts[0]);
        }
    }

    private static void announce(Path file, String text) throws Exception {
        Path tmp = Files.createTempFile(file.getParent(), "announce", ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static void stuckForever() throws InterruptedException {
        while (true) {
            Thread.sleep(60_000);
        }
    }

    static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
