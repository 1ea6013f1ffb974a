package io.github.pool4j;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Formats one progress line of a {@link ProgressBar}, as {@code tqdm} prints it:
 * {@code map 370/1000  37% [#######-------------] 30.1/s 00:12 ETA 00:20}; with an unknown total,
 * {@code imap 370/? 30.1/s 00:12}.
 *
 * <p>The bar takes what room the text leaves in the given width and is dropped below
 * {@link #MIN_BAR} characters; a line that still does not fit is cut at the width. Numbers are
 * formatted the same in every locale. Stateless and thread-safe.
 */
final class ProgressLine {

    /** The narrowest bar worth drawing, brackets excluded. */
    static final int MIN_BAR = 10;
    /** The widest bar drawn, brackets excluded: a wide terminal does not need a longer one. */
    static final int MAX_BAR = 40;

    private static final char FILLED = '#';
    private static final char EMPTY = '-';
    private static final long SECONDS_PER_HOUR = 3600;

    private ProgressLine() {}

    /**
     * Returns the line.
     *
     * @param label the text before the counts (an operation name or the user's description)
     * @param done inputs finished
     * @param total inputs in all, or negative if unknown
     * @param failed inputs that failed (shown only at the end, when positive)
     * @param elapsedNanos time since the call started
     * @param width the most characters the line may take
     * @param last whether this is the call's final line (no ETA, failures shown)
     */
    static String format(String label, long done, long total, long failed, long elapsedNanos, int width, boolean last) {
        double seconds = Math.max(0, elapsedNanos) / 1e9;
        StringBuilder head = new StringBuilder(label).append(' ').append(done).append('/');
        head.append(total >= 0 ? Long.toString(total) : "?");
        if (total > 0) {
            long percent = Math.min(100, done * 100 / total);
            head.append(String.format(Locale.ROOT, " %3d%%", percent));
        } else if (total == 0) {
            head.append(" 100%");
        }
        StringBuilder tail = new StringBuilder();
        tail.append(' ').append(rate(done, seconds)).append(' ').append(clock(seconds));
        if (!last && total >= 0) {
            tail.append(" ETA ").append(done > 0 && seconds > 0 && done <= total
                    ? clock((total - done) * seconds / done)
                    : "--:--");
        }
        if (last && failed > 0) {
            tail.append(", ").append(failed).append(" failed");
        }
        int room = width - head.length() - tail.length() - 3; // a space and the two brackets
        StringBuilder line = new StringBuilder(head);
        if (total >= 0 && room >= MIN_BAR) {
            int barWidth = Math.min(MAX_BAR, room);
            int filled = total == 0 ? barWidth : (int) Math.min(barWidth, done * barWidth / total);
            line.append(" [");
            line.append(String.valueOf(FILLED).repeat(filled)).append(String.valueOf(EMPTY).repeat(barWidth - filled));
            line.append(']');
        }
        line.append(tail);
        return line.length() > width ? line.substring(0, Math.max(0, width)) : line.toString();
    }

    /** Inputs per second, or seconds per input when slower than one a second. */
    static String rate(long done, double seconds) {
        if (done <= 0 || seconds <= 0) {
            return "?/s";
        }
        double perSecond = done / seconds;
        if (perSecond >= 1) {
            return String.format(Locale.ROOT, perSecond >= 100 ? "%.0f/s" : "%.1f/s", perSecond);
        }
        return String.format(Locale.ROOT, "%.1fs/input", seconds / done);
    }

    /** {@code mm:ss}, or {@code h:mm:ss} from an hour on. */
    static String clock(double seconds) {
        long whole = (long) seconds;
        long hours = whole / SECONDS_PER_HOUR;
        long minutes = (whole % SECONDS_PER_HOUR) / TimeUnit.MINUTES.toSeconds(1);
        long secs = whole % TimeUnit.MINUTES.toSeconds(1);
        return hours > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs)
                : String.format(Locale.ROOT, "%02d:%02d", minutes, secs);
    }
}
