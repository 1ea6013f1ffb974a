package io.github.pool4j.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PsTextTest {

    private static final ZoneId ZONE = ZoneOffset.UTC;
    private static final Instant NOW = ZonedDateTime.of(2026, 11, 25, 14, 38, 0, 0, ZONE).toInstant();

    @Test
    void line_overwideValues_pushRightAndLaterColumnsCatchUp() {
        // Captured from procps-ng 4.0.2 on this machine: a 7-digit VSZ overflows its 6 columns.
        String header = "USER       PID  SPID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND";
        String row = "root     12680 12682 75.0  0.1 8973540 45964 ?       Sl   14:38   0:00 java -cp /work/wt-os/core/target/classes:. Demo x";
        List<PsText.Column> columns = PsText.columns(true, 5);

        assertEquals(header, PsText.line(columns, columns.stream().map(PsText.Column::header).toList(), 0));
        assertEquals(row, PsText.line(columns, List.of("root", "12680", "12682", "75.0", "0.1", "8973540", "45964",
                "?", "Sl", "14:38", "0:00", "java -cp /work/wt-os/core/target/classes:. Demo x"), 0));
    }

    @Test
    void line_processColumns_matchPsU() {
        String header = "USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND";
        String row = "root         1  0.4  0.0  42172 12752 ?        SLl  14:21   0:02 /process_api --firecracker-init";
        List<PsText.Column> columns = PsText.columns(false, 5);

        assertEquals(header, PsText.line(columns, columns.stream().map(PsText.Column::header).toList(), 0));
        assertEquals(row, PsText.line(columns, List.of("root", "1", "0.4", "0.0", "42172", "12752", "?", "SLl",
                "14:21", "0:02", "/process_api --firecracker-init"), 0));
    }

    @Test
    void line_withWidth_cutsTheCommandAtTheLineEnd() {
        List<PsText.Column> columns = PsText.columns(false, 5);
        List<String> cells = List.of("root", "1", "0.0", "0.0", "2920", "1816", "?", "S", "14:35", "0:00",
                "sleep 300 and a very long tail of arguments");

        String line = PsText.line(columns, cells, 80);

        assertEquals(80, line.length());
        assertEquals("root         1  0.0  0.0   2920  1816 ?        S    14:35   0:00 sleep 300 and a", line);
    }

    @Test
    void line_widePidMax_widensPidColumns() {
        List<PsText.Column> columns = PsText.columns(true, 7);

        assertEquals("USER         PID    SPID %CPU",
                PsText.line(columns.subList(0, 4), List.of("USER", "PID", "SPID", "%CPU"), 0));
    }

    @Test
    void user_longerThanItsColumn_isCutWithAPlus() {
        assertEquals("root", PsText.user("root"));
        assertEquals("eightchr", PsText.user("eightchr"));
        assertEquals("systemd+", PsText.user("systemd-timesync"));
    }

    @Test
    void percent_printsLikePs() {
        assertEquals("0.0", PsText.percent(0));
        assertEquals("0.4", PsText.percent(0.4));
        assertEquals("99.9", PsText.percent(99.9));
        assertEquals("100", PsText.percent(100.0));
        assertEquals("133", PsText.percent(133.3));
        assertEquals("-", PsText.percent(-1));
    }

    @Test
    void cpuPermille_cutsLikeProcpsIntegerArithmetic() {
        assertEquals(0, PsText.cpuPermille(0, 1000));
        assertEquals(20, PsText.cpuPermille(200, 10_000));
        assertEquals(1333, PsText.cpuPermille(100, 75));
        assertEquals(6, PsText.cpuPermille(2, 333));
        assertEquals(0, PsText.cpuPermille(5, 0));
    }

    @Test
    void bsdTime_isMinutesColonSeconds() {
        assertEquals("0:00", PsText.bsdTime(0));
        assertEquals("0:09", PsText.bsdTime(9));
        assertEquals("1:01", PsText.bsdTime(61));
        assertEquals("1000:00", PsText.bsdTime(60_000));
    }

    @Test
    void startTime_todayYesterdayLastYear_likePs() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            assertEquals("14:21", PsText.startTime(NOW.minusSeconds(17 * 60).getEpochSecond(), NOW, ZONE));
            assertEquals("Nov24", PsText.startTime(NOW.minusSeconds(86_400).getEpochSecond(), NOW, ZONE));
            assertEquals("Mar03", PsText.startTime(
                    ZonedDateTime.of(2026, 3, 3, 9, 0, 0, 0, ZONE).toEpochSecond(), NOW, ZONE));
            assertEquals("2025", PsText.startTime(
                    ZonedDateTime.of(2025, 12, 31, 23, 59, 0, 0, ZONE).toEpochSecond(), NOW, ZONE));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void escape_replacesControlCharacters() {
        assertEquals("a?b?c", PsText.escape("a\tb\u001bc"));
        assertEquals("grüße", PsText.escape("grüße"));
    }

    @Test
    void abbreviateClassPath_keepsTheMainClassVisible() {
        String command = "/usr/bin/java -Xmx64m -cp /a/very/long/path/classes:/root/.m2/x.jar:/root/.m2/y.jar"
                + " io.github.pool4j.process.internal.WorkerMain";

        assertEquals("/usr/bin/java -Xmx64m -cp <3 class path entries> io.github.pool4j.process.internal.WorkerMain",
                PsText.abbreviateClassPath(command));
        assertEquals("java -cp short Main", PsText.abbreviateClassPath("java -cp short Main"));
        assertEquals("java -Djava.class.path=<2 class path entries> Main",
                PsText.abbreviateClassPath("java -Djava.class.path=/a/very/long/path/classes:/another/long/path.jar Main"));
    }
}
