package io.github.pool4j.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bound on the archive cache, on fake archives and a fixed clock. */
class ArchiveCacheTest {

    private static final long MIB = 1024 * 1024;
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private ArchiveCache cache(long maxMb) {
        return new ArchiveCache(dir, maxMb * MIB, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** A sparse file of {@code mb} MiB last used {@code ago} before now. */
    private Path file(String name, long mb, Duration ago) throws IOException {
        Path file = dir.resolve(name);
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(mb * MIB);
        }
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(ago)));
        return file;
    }

    private Set<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void overTheBound_leastRecentlyUsedGoFirst_untilTheRestFits() throws IOException {
        file("worker-a.jsa", 10, Duration.ofDays(3));
        file("worker-b.jsa", 10, Duration.ofDays(2));
        file("worker-c.jsa", 10, Duration.ofDays(1));
        Path kept = file("worker-d.jsa", 10, Duration.ofDays(5));

        cache(25).trim(kept);

        assertEquals(Set.of("worker-c.jsa", "worker-d.jsa"), names(),
                "the archive in use stays even though it is the oldest; then the newest fit");
    }

    @Test
    void withinTheBound_nothingGoes() throws IOException {
        file("worker-a.jsa", 10, Duration.ofDays(3));
        Path kept = file("worker-b.jsa", 10, Duration.ZERO);

        cache(100).trim(kept);

        assertEquals(Set.of("worker-a.jsa", "worker-b.jsa"), names());
    }

    @Test
    void boundZero_keepsOnlyTheArchiveInUse() throws IOException {
        file("worker-a.jsa", 1, Duration.ZERO);
        Path kept = file("worker-b.jsa", 10, Duration.ofDays(1));

        cache(0).trim(kept);

        assertEquals(Set.of("worker-b.jsa"), names());
    }

    @Test
    void unusedForLong_goesEvenWithinTheBound_andStaleDumpsGo() throws IOException {
        file("worker-old.jsa", 1, ArchiveCache.MAX_AGE.plusHours(1));
        file("worker-recent.jsa", 1, ArchiveCache.MAX_AGE.minusHours(1));
        file("worker-x-dump-1-1.tmp", 1, ArchiveCache.STALE_DUMP.plusMinutes(1));
        file("worker-x-dump-2-1.tmp", 1, Duration.ofMinutes(1));

        cache(100).trim(null);

        assertEquals(Set.of("worker-recent.jsa", "worker-x-dump-2-1.tmp"), names(),
                "a dump still being written stays");
    }

    @Test
    void otherFilesInTheDirectory_areNeverTouched() throws IOException {
        file("notes.txt", 5, Duration.ofDays(400));
        file("other.jsa", 5, Duration.ofDays(400));
        file("worker-a.jsa", 5, Duration.ofDays(1));

        cache(0).trim(null);

        assertEquals(Set.of("notes.txt", "other.jsa"), names());
    }

    @Test
    void used_refreshesTheArchive_soItOutlivesOlderOnes() throws IOException {
        Path a = file("worker-a.jsa", 10, Duration.ofDays(3));
        file("worker-b.jsa", 10, Duration.ofDays(2));
        ArchiveCache cache = cache(15);

        cache.used(a);
        cache.used(dir.resolve("worker-missing.jsa"));
        cache.trim(null);

        assertEquals(Set.of("worker-a.jsa"), names());
    }

    @Test
    void negativeBound_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ArchiveCache(dir, -1, Clock.systemUTC()));
        assertEquals("maxBytes must be >= 0, was -1", e.getMessage());
    }
}
