package io.github.pool4j.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The archive cache's bound and keepers, on fake archives and a fixed clock. */
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

    /** A file that starts like a dynamic AppCDS archive, {@code bytes} long. */
    private Path dump(String name, int bytes) throws IOException {
        byte[] content = new byte[bytes];
        content[0] = (byte) 0xa8;
        content[1] = (byte) 0xab;
        content[2] = 0x0b;
        content[3] = (byte) 0xf0;
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void keep_oneKeeperPerArchive_untilItIsReleased() {
        ArchiveCache cache = cache(100);
        Path archive = dir.resolve("worker-a.jsa");
        assertTrue(cache.keep(archive));
        assertFalse(cache.keep(archive), "a second worker only reads the archive");
        assertTrue(cache.keep(dir.resolve("worker-b.jsa")), "another archive has a keeper of its own");
        cache.released(archive, null);
        assertTrue(cache.keep(archive), "once released, the next worker keeps it");
    }

    @Test
    void released_publishesAWholeDumpUnderItsSize_andDropsOlderOnesOfTheName() throws IOException {
        ArchiveCache cache = cache(100);
        Path prefix = dir.resolve("worker-a-");
        Path older = dump("worker-a-100.jsa", 100);
        Path dump = cache.dumpFile(prefix);
        assertNotNull(dump);
        dump(dump.getFileName().toString(), 200);

        cache.released(prefix, dump);

        assertEquals(Set.of("worker-a-200.jsa"), names(), "the dump moved into place; " + older + " went");
        assertEquals(dir.resolve("worker-a-200.jsa"), cache.published(prefix));
    }

    @Test
    void published_deletesAnArchiveShorterThanItsName() throws IOException {
        ArchiveCache cache = cache(100);
        Files.write(dir.resolve("worker-a-100.jsa"), new byte[50]);
        assertNull(cache.published(dir.resolve("worker-a-")));
        assertEquals(Set.of(), names(), "a truncated archive would crash a JDK 17 that maps it");
    }

    @Test
    void dumpFile_afterTheMaximumOfFailedDumps_noMoreKeepers() throws IOException {
        ArchiveCache cache = cache(100);
        Path prefix = dir.resolve("worker-a-");
        for (int i = 0; i < ArchiveCache.MAX_DUMP_ATTEMPTS; i++) {
            Path dump = cache.dumpFile(prefix);
            assertNotNull(dump, "attempt " + i);
            assertNull(cache.dumpFile(prefix), "one keeper at a time");
            Files.write(dump, new byte[] {1, 2, 3}); // what a killed keeper leaves
            cache.released(prefix, dump);
        }
        assertNull(cache.dumpFile(prefix));
        assertEquals(Set.of(), names(), "partial dumps are deleted");
    }

    @Test
    void of_oneInstancePerDirectory() {
        assertSame(ArchiveCache.of(dir), ArchiveCache.of(dir.resolve("sub").resolve("..")));
        assertNotSame(ArchiveCache.of(dir), ArchiveCache.of(dir.resolve("sub")));
    }
}
