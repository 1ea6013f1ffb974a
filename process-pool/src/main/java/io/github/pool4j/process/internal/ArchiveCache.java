package io.github.pool4j.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of worker AppCDS archives: which worker of this JVM keeps each archive, how a
 * JDK 13–18 keeper's dump is published, and the bound on what the directory holds.
 *
 * <p>Where: the {@value #DIR_PROPERTY} system property, else {@code $XDG_CACHE_HOME/pool4j}, else
 * {@code ~/.cache/pool4j}. {@link #of} gives one instance per directory for the whole JVM, because
 * what it tracks is per archive file, not per pool: two pools with the same class path and options
 * share an archive, so they must share its one keeper ({@link #keep}) and its count of failed
 * dumps; a second instance would start a second keeper writing the same file.
 *
 * <p>Keepers: one live worker per archive and JVM keeps it (checks and rewrites it on JDK 19+,
 * dumps it on JDK 13–18) until {@link #released}. A JDK 13–18 keeper dumps into a private
 * temporary file that is moved into place atomically once it has exited ({@link #dumpFile}), so
 * several pools and JVMs may race: readers only ever see a whole archive. The size is part of the
 * published name and is checked before each use ({@link #published}), because JDK 17 crashes with
 * SIGBUS on a truncated archive instead of ignoring it. After {@value #MAX_DUMP_ATTEMPTS} keepers of
 * one archive ended without a dump, this JVM stops trying.
 *
 * <p>The bound: each class path, JDK and option list gets an archive of its own (~10 MB), so a
 * rebuilt application leaves its old archives behind; they would pile up forever. Each use of an
 * archive refreshes its modification time ({@link #used}), and whenever a worker may have written
 * an archive ({@link #trim}) archives unused for {@link #MAX_AGE} go, then the least recently used
 * ones until the archives take at most {@value #MAX_MB_PROPERTY} MiB (default
 * {@value #DEFAULT_MAX_MB}; 0 keeps only the archive in use). The archive just written is never
 * evicted. Deleting an archive that a running worker maps is harmless on POSIX systems: the mapping
 * stays, only the name goes; where the delete fails (Windows) the file stays for a later trim.
 * Temporary dumps of killed JVMs go after {@link #STALE_DUMP}.
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
    /** Keepers of one archive that may end without a dump (JDK 13–18) before this JVM stops trying. */
    static final int MAX_DUMP_ATTEMPTS = 3;
    /** The first four bytes of a dynamic archive (JDK 13+), little-endian {@code 0xf00baba8}. */
    private static final byte[] DYNAMIC_MAGIC = {(byte) 0xa8, (byte) 0xab, 0x0b, (byte) 0xf0};

    private static final long MIB = 1024 * 1024;

    /** The instance of each directory in this JVM; see the class description for why it is shared. */
    private static final Map<Path, ArchiveCache> shared = new ConcurrentHashMap<>();

    private final Path dir;
    private final LongSupplier maxBytes;
    private final Clock clock;
    /** Archives (JDK 13–18: name prefixes) a live worker of this JVM keeps: one keeper each. */
    private final Set<Path> keepers = ConcurrentHashMap.newKeySet();
    /** Keepers per archive name prefix that ended without publishing a dump (JDK 13–18). */
    private final Map<Path, AtomicInteger> failedDumps = new ConcurrentHashMap<>();
    private final AtomicLong dumpNumbers = new AtomicLong();

    /**
     * Creates a cache on a directory, not shared with anyone else in this JVM.
     *
     * @param dir the directory
     * @param maxBytes the bound on the archives' total size, {@code >= 0}
     * @param clock the time that "unused for" and "stale" are measured against
     * @throws IllegalArgumentException if {@code maxBytes < 0}
     */
    ArchiveCache(Path dir, long maxBytes, Clock clock) {
        this(dir, checked(maxBytes), clock);
    }

    private ArchiveCache(Path dir, LongSupplier maxBytes, Clock clock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    private static LongSupplier checked(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
        }
        return () -> maxBytes;
    }

    /**
     * Returns this JVM's instance for {@code dir}, or for the configured directory when {@code dir}
     * is null; its size bound is the configured one, read at each trim.
     */
    static ArchiveCache of(Path dir) {
        Path where = (dir != null ? dir : configuredDirectory()).toAbsolutePath().normalize();
        return shared.computeIfAbsent(where, d -> new ArchiveCache(d, ArchiveCache::configuredMaxBytes, Clock.systemUTC()));
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

    /**
     * Makes the calling worker the keeper of {@code archive} if no live worker of this JVM keeps it.
     *
     * @param archive the archive (JDK 19+) or its name prefix (JDK 13–18), in this directory
     * @return true if the caller is now its keeper and must call {@link #released} once it is gone
     */
    boolean keep(Path archive) {
        return keepers.add(archive);
    }

    /**
     * Makes the calling worker the keeper of the JDK 13–18 archive named by {@code prefix} and
     * returns the private file it dumps into; returns null if another live worker of this JVM keeps
     * it or {@value #MAX_DUMP_ATTEMPTS} keepers already ended without a dump.
     */
    Path dumpFile(Path prefix) {
        AtomicInteger failed = failedDumps.get(prefix);
        if (failed != null && failed.get() >= MAX_DUMP_ATTEMPTS || !keepers.add(prefix)) {
            return null;
        }
        return prefix.resolveSibling(prefix.getFileName() + "dump-" + ProcessHandle.current().pid() + "-"
                + dumpNumbers.incrementAndGet() + ".tmp");
    }

    /**
     * Ends a keeper's claim once its worker has exited: publishes its JDK 13–18 dump, if any (a
     * missing or partial one counts as a failed attempt), and trims the cache, which the keeper may
     * have grown.
     *
     * @param archive what {@link #keep} or {@link #dumpFile} was given
     * @param dump the keeper's dump file, or null on JDK 19+
     */
    void released(Path archive, Path dump) {
        try {
            Path kept = archive;
            if (dump != null) {
                kept = publish(archive, dump);
                if (kept == null) {
                    failedDumps.computeIfAbsent(archive, a -> new AtomicInteger()).incrementAndGet();
                    kept = published(archive);
                }
            }
            trim(kept);
        } finally {
            keepers.remove(archive);
        }
    }

    /**
     * Returns a published JDK 13–18 archive named by {@code prefix} whose size is the one in its
     * name, or null; deletes those whose size is not (truncated, and fatal to a JDK 17 that maps them).
     */
    Path published(Path prefix) {
        String start = prefix.getFileName().toString();
        Path found = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix.getParent(), start + "*.jsa")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                long size;
                try {
                    size = Long.parseLong(name.substring(start.length(), name.length() - ".jsa".length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                long actual = sizeOf(file);
                if (actual == size) {
                    found = found == null ? file : found;
                } else if (actual >= 0) {
                    delete(file, actual + " bytes, expected " + size);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot list AppCDS archives in {}: {}", prefix.getParent(), e.toString());
        }
        return found;
    }

    /**
     * Moves a whole dump into place under a name that carries its size and returns it, or returns
     * null if there was none; the dump file is gone either way.
     */
    private Path publish(Path prefix, Path dump) {
        try {
            long size = sizeOf(dump);
            if (size <= DYNAMIC_MAGIC.length || !startsWithMagic(dump)) {
                // Killed or halted before or while dumping: nothing usable.
                return null;
            }
            String start = prefix.getFileName().toString();
            Path target = prefix.resolveSibling(start + size + ".jsa");
            Files.move(dump, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.debug("Published AppCDS archive {}", target);
            // Delete other published archives of the same name (a racing JVM's). Workers that map
            // one keep their mapping: the file only loses its name.
            try (DirectoryStream<Path> files = Files.newDirectoryStream(target.getParent(), start + "*.jsa")) {
                for (Path file : files) {
                    if (!file.equals(target)) {
                        delete(file, "replaced by " + target.getFileName());
                    }
                }
            }
            return target;
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot publish AppCDS archive {}: {}", dump, e.toString());
            return null;
        } finally {
            delete(dump, "published or unusable");
        }
    }

    private static boolean startsWithMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(DYNAMIC_MAGIC.length), DYNAMIC_MAGIC);
        }
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
        long bound = maxBytes.getAsLong();
        long total = kept == null ? 0 : Math.max(0, sizeOf(kept));
        for (Entry entry : archives) {
            total += entry.size();
        }
        // Least recently used first.
        archives.sort(Comparator.comparingLong(Entry::lastUsed));
        for (Entry entry : archives) {
            if (total <= bound) {
                break;
            }
            delete(entry.file(), "the cache holds more than " + bound / MIB + " MiB");
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
