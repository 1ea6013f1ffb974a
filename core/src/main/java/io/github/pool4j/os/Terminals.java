package io.github.pool4j.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Names a controlling terminal from the {@code tty_nr} of {@code /proc/<pid>/stat}, as {@code ps} does. */
final class Terminals {

    private static final String DEV = "/dev/";

    private Terminals() {}

    /**
     * Returns the terminal's name without {@code /dev/} ({@code pts/0}, {@code tty1},
     * {@code ttyS0}), or {@code ?} for none.
     *
     * <p>Like procps, it first looks for a standard stream of the process (fd 2, 0, 255) open on a
     * device with that number, then falls back to the kernel's fixed device numbers.
     */
    static String name(Path processDir, long ttyNr) {
        if (ttyNr == 0) {
            return "?";
        }
        // The kernel's new_encode_dev: minor in bits 0-7 and 20-31, major in bits 8-19.
        long major = (ttyNr >> 8) & 0xfff;
        long minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        for (String fd : new String[] {"2", "0", "255"}) {
            String linked = linkedDevice(processDir.resolve("fd").resolve(fd), major, minor);
            if (linked != null) {
                return linked;
            }
        }
        if (major >= 136 && major <= 143) {
            return "pts/" + ((major - 136) * 256 + minor);
        }
        if (major == 4) {
            return minor < 64 ? "tty" + minor : "ttyS" + (minor - 64);
        }
        if (major == 5 && minor == 1) {
            return "console";
        }
        return "?";
    }

    private static String linkedDevice(Path fd, long major, long minor) {
        try {
            Path target = Files.readSymbolicLink(fd);
            String name = target.toString();
            if (!name.startsWith(DEV)) {
                return null;
            }
            Object rdev = Files.getAttribute(target, "unix:rdev");
            if (!(rdev instanceof Long dev)) {
                return null;
            }
            // glibc's dev_t: minor in bits 0-7 and 20-31, major in bits 8-19 and 44-63.
            long devMajor = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long devMinor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            return devMajor == major && devMinor == minor ? name.substring(DEV.length()) : null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }
}
