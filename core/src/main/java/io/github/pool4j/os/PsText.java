package io.github.pool4j.os;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The text procps' {@code ps} prints: each value's format (from procps {@code ps/output.c}) and
 * the column layout of {@code ps u} and {@code ps u -T}, including how an over-wide value pushes
 * the rest of its line right and the following columns take the space back.
 */
final class PsText {

    /** What {@code ps} prints for a value it cannot know. */
    static final String UNKNOWN = "-";

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    private static final int USER_WIDTH = 8;
    private static final int MIN_CLASS_PATH_TO_ABBREVIATE = 40;

    private PsText() {}

    /** How {@code ps} aligns a column. */
    enum Align {
        /** Text flush left, padded by the next column. */
        LEFT,
        /** Numbers flush right within the width. */
        RIGHT,
        /** The last column: as wide as the line allows. */
        UNLIMITED
    }

    /** One column: its header, its nominal width and its alignment. */
    record Column(String header, int width, Align align) {}

    /**
     * Returns the columns of {@code ps u} ({@code perThread} false) or {@code ps u -T}.
     *
     * @param pidWidth the width of PID and SPID: the digits of {@code kernel.pid_max}, at least 5
     */
    static List<Column> columns(boolean perThread, int pidWidth) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("USER", USER_WIDTH, Align.LEFT));
        columns.add(new Column("PID", pidWidth, Align.RIGHT));
        if (perThread) {
            columns.add(new Column("SPID", pidWidth, Align.RIGHT));
        }
        columns.add(new Column("%CPU", 4, Align.RIGHT));
        columns.add(new Column("%MEM", 4, Align.RIGHT));
        columns.add(new Column("VSZ", 6, Align.RIGHT));
        columns.add(new Column("RSS", 5, Align.RIGHT));
        columns.add(new Column("TTY", 8, Align.LEFT));
        columns.add(new Column("STAT", 4, Align.LEFT));
        columns.add(new Column("START", 5, Align.RIGHT));
        columns.add(new Column("TIME", 6, Align.RIGHT));
        columns.add(new Column("COMMAND", 27, Align.UNLIMITED));
        return columns;
    }

    /** Returns the cells of {@code row} in the order of {@link #columns}. */
    static List<String> cells(ProcessRow row, boolean perThread) {
        List<String> cells = new ArrayList<>();
        cells.add(user(row.user()));
        cells.add(Long.toString(row.pid()));
        if (perThread) {
            cells.add(row.spid() < 0 ? UNKNOWN : Long.toString(row.spid()));
        }
        cells.add(percent(row.cpuPercent()));
        cells.add(percent(row.memPercent()));
        cells.add(row.vszKiB() < 0 ? UNKNOWN : Long.toString(row.vszKiB()));
        cells.add(row.rssKiB() < 0 ? UNKNOWN : Long.toString(row.rssKiB()));
        cells.add(row.tty());
        cells.add(row.stat());
        cells.add(row.start());
        cells.add(row.time());
        cells.add(row.command());
        return cells;
    }

    /**
     * Lays out one line as procps' {@code show_one_proc} does: each column should start one space
     * after the previous column's nominal end; a value wider than its column pushes the line
     * right, and later right-aligned columns give up their padding to catch up.
     *
     * @param maxWidth the line width to cut the last column at, or {@code <= 0} for no limit
     */
    static String line(List<Column> columns, List<String> cells, int maxWidth) {
        StringBuilder line = new StringBuilder();
        int correct = 0;
        int actual = 0;
        int separator = 0;
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            String cell = cells.get(i);
            int leftPad = column.align() == Align.RIGHT ? Math.max(0, column.width() - cell.length()) : 0;
            int space = correct - actual + leftPad;
            if (space < 1) {
                space = separator;
            }
            if (column.align() == Align.UNLIMITED && maxWidth > 0) {
                int room = Math.max(1, maxWidth - actual - space);
                if (cell.length() > room) {
                    cell = cell.substring(0, room);
                }
            }
            line.append(" ".repeat(space)).append(cell);
            actual += space + cell.length();
            correct += column.width() + 1;
            separator = 1;
        }
        return line.toString();
    }

    /** Cuts a user name to its column as procps does: {@code systemd-timesync} prints {@code systemd+}. */
    static String user(String name) {
        return name.length() <= USER_WIDTH ? name : name.substring(0, USER_WIDTH - 1) + "+";
    }

    /**
     * Formats a percentage as {@code ps}' {@code %CPU}: one decimal, none past 99.9 ({@code 150}).
     */
    static String percent(double percent) {
        if (percent < 0 || Double.isNaN(percent)) {
            return UNKNOWN;
        }
        long permille = Math.round(percent * 10);
        return permille > 999 ? Long.toString(permille / 10) : permille / 10 + "." + permille % 10;
    }

    /** Returns {@code part / whole} in tenths of a percent, cut (not rounded), like procps. */
    static long permille(long part, long whole) {
        return whole <= 0 ? 0 : part * 1000 / whole;
    }

    /**
     * Returns {@code ps}' {@code %CPU} in tenths of a percent: CPU time over time alive, both in
     * the same unit (procps 4 uses clock ticks, the life cut to whole ticks), cut not rounded.
     */
    static long cpuPermille(long cpuTime, long lifeTime) {
        return lifeTime <= 0 ? 0 : cpuTime * 1000 / lifeTime;
    }

    /** Formats CPU seconds as {@code ps}' BSD {@code TIME}: {@code M:SS}, minutes unbounded. */
    static String bsdTime(long cpuSeconds) {
        long seconds = cpuSeconds % 60;
        return cpuSeconds / 60 + ":" + (seconds < 10 ? "0" : "") + seconds;
    }

    /**
     * Formats a start time as {@code ps}' {@code START}: {@code HH:MM} on the same day as
     * {@code now}, {@code MonDD} in the same year, else the year. Month names are English (the C
     * locale), whatever the default locale.
     */
    static String startTime(long startEpochSecond, Instant now, ZoneId zone) {
        ZonedDateTime start = Instant.ofEpochSecond(startEpochSecond).atZone(zone);
        ZonedDateTime today = now.atZone(zone);
        if (start.getYear() != today.getYear()) {
            return Integer.toString(start.getYear());
        }
        if (start.getDayOfYear() != today.getDayOfYear()) {
            return MONTHS[start.getMonthValue() - 1] + twoDigits(start.getDayOfMonth());
        }
        return twoDigits(start.getHour()) + ":" + twoDigits(start.getMinute());
    }

    private static String twoDigits(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }

    /** Replaces control characters with {@code ?}, as {@code ps} does so a name cannot move the cursor. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            escaped.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c);
        }
        return escaped.toString();
    }

    /**
     * Shortens the class path argument of a {@code java} command line, which can run to
     * thousands of characters, to {@code <N class path entries>}, so the main class stays
     * visible in a width-limited table.
     */
    static String abbreviateClassPath(String command) {
        String[] words = command.split(" ", -1);
        boolean changed = false;
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            boolean option = i > 0 && isClassPathOption(words[i - 1]);
            String prefix = "-Djava.class.path=";
            if (option && word.length() >= MIN_CLASS_PATH_TO_ABBREVIATE) {
                words[i] = "<" + entries(word) + " class path entries>";
                changed = true;
            } else if (word.startsWith(prefix) && word.length() >= MIN_CLASS_PATH_TO_ABBREVIATE) {
                words[i] = prefix + "<" + entries(word.substring(prefix.length())) + " class path entries>";
                changed = true;
            }
        }
        return changed ? String.join(" ", words) : command;
    }

    private static boolean isClassPathOption(String word) {
        return word.equals("-cp") || word.equals("-classpath") || word.equals("--class-path");
    }

    private static int entries(String classPath) {
        int count = 1;
        for (int i = 0; i < classPath.length(); i++) {
            if (classPath.charAt(i) == ':') {
                count++;
            }
        }
        return count;
    }
}
