package io.github.pool4j.process.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of worker AppCDS archives, and the bound on what it holds.
 *
 * <p>Where: the {@value #DIR_PROPERTY} system property, else {@code $XDG_CACHE_HOME/pool4j}, else
 * {@code ~/.cache/pool4j}. Each class path, JDK and option list gets an archive of its own (~10 MB),
 * so a rebuilt application leaves its old archives behind; they would pile up forever. The bound:
 * each use of an archive refreshes its modification time ({@link #used}), and whenever a worker
 * may have written an archive ({@link #trim}) archives unused for {@link #MAX_AGE} go, then the
 * least recently used ones until the archives take at most {@value #MAX_MB_PROPERTY} MiB
 * (default {@value #DEFAULT_MAX_MB}; 0 keeps only the archive in use). The archive just written is
 * never evicted. Deleting an archive that a running worker maps is harmless on POSIX systems: the
 * mapping stays, only the name goes; where the delete fails (Windows) the file stays for a later
 * trim. Temporary dumps of killed JVMs go after {@link #STALE_DUMP}.
 *
 * <p>Only files named {@code worker-*.jsa} and {@code worker-*.tmp} are touched, so pointing the
 * cache at a shared directory deletes nothing else.
 *
 * <p>Thread-safety: thread-safe; several JVMs may trim one directory at once (a file deleted by
 * another is skipped).
 */
final class ArchiveCache {

    private static final Logger log = LoggerFactory.getLogger(ArchiveCache.class);

    /** System property naming the cache directory. */
    static final String DIR_PROPERTY = "pool4j.cacheDir";
    /** System property bounding the archives' total size, in MiB. */
    static final String MAX_MB_PROPERTY = "pool4j.cacheMaxMb";
    /** Default bound on the archives' total size: about ten class paths' worth. */
    static final long DEFAULT_MAX_MB = 100;
    /** Archives unused for this long go whatever their size. */
    static final Duration MAX_AGE = Duration.ofDays(30);
    /** Temporary dumps older than this are left over from killed JVMs. */
    static final Duration STALE_DUMP = Duration.ofHours(1);

    private static final long MIB = 1024 * 1024;

    private final Path dir;
    private final long maxBytes;
    private final Clock clock;

    /**
     * Creates a view of a cache directory.
     *
     * @param dir the directory
     * @param maxBytes the bound on the archives' total size, {@code >= 0}
     * @param clock the time that "unused for" and "stale" are measured against
     */
    ArchiveCache(Path dir, long maxBytes, Clock clock) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /**
     * The cache at {@code dir}, or at the configured directory when {@code dir} is null, bounded by
     * the configured size.
     */
    static ArchiveCache of(Path dir) {
        return new ArchiveCache(dir != null ? dir : configuredDirectory(), configuredMaxBytes(), Clock.systemUTC());
    }

    /** The directory. */
    Path dir() {
        return dir;
    }

    /** The configured directory; see the class description. */
    static Path configuredDirectory() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path root = xdg != null && !xdg.isEmpty() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return root.resolve("pool4j");
    }

    private static long configuredMaxBytes() {
        String configured = System.getProperty(MAX_MB_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return DEFAULT_MAX_MB * MIB;
        }
        try {
            long mb = Long.parseLong(configured.trim());
            if (mb >= 0) {
                return mb * MIB;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        log.warn("Ignoring -D{}={}: not a number of MiB >= 0; using {}", MAX_MB_PROPERTY, configured, DEFAULT_MAX_MB);
        return DEFAULT_MAX_MB * MIB;
    }

    /** Marks an archive as used now, so trimming keeps it longer than unused ones; a missing file is fine. */
    void used(Path archive) {
        try {
            if (Files.isRegularFile(archive)) {
                Files.setLastModifiedTime(archive, FileTime.from(clock.instant()));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot mark AppCDS archive {} as used: {}", archive, e.toString());
        }
    }

    /**
     * Deletes old temporary dumps, archives unused for {@link #MAX_AGE}, then the least recently used
     * archives until the rest fits the size bound. Never deletes {@code kept}.
     *
     * @param kept the archive just written or in use, or null
     */
    void trim(Path kept) {
        long now = clock.millis();
        List<Entry> archives = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "worker-*")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue; // deleted meanwhile
                }
                long age = now - attributes.lastModifiedTime().toMillis();
                if (name.endsWith(".tmp")) {
                    if (age > STALE_DUMP.toMillis()) {
                        delete(file, "a dump left by a killed JVM");
                    }
                } else if (name.endsWith(".jsa") && attributes.isRegularFile() && !file.equals(kept)) {
                    if (age > MAX_AGE.toMillis()) {
                        delete(file, "unused for " + MAX_AGE.toDays() + " days");
                    } else {
                        archives.add(new Entry(file, attributes.size(), attributes.lastModifiedTime().toMillis()));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot list AppCDS archives in {}: {}", dir, e.toString());
            return;
        }
        long total = kept == null ? 0 : Math.max(0, sizeOf(kept));
        for (Entry entry : archives) {
            total += entry.size();
        }
        // Least recently used first.
        archives.sort(Comparator.comparingLong(Entry::lastUsed));
        for (Entry entry : archives) {
            if (total <= maxBytes) {
                break;
            }
            delete(entry.file(), "the cache holds more than " + maxBytes / MIB + " MiB");
            total -= entry.size();
        }
    }

    private record Entry(Path file, long size, long lastUsed) {}

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void delete(Path file, String why) {
        try {
            if (Files.deleteIfExists(file)) {
                log.debug("Deleted {}: {}", file, why);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot delete {}: {}", file, e.toString());
        }
    }
}
