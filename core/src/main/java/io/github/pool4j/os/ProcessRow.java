package io.github.pool4j.os;

/**
 * One row of a {@link ProcessTable}: a process (as {@code ps u} shows it) or one thread of a
 * process (as {@code ps u -T} shows it).
 *
 * <p>Values are computed as procps' {@code ps} computes them, so they equal what {@code ps}
 * prints for the same process at the same moment. Where the system cannot tell a value (no
 * {@code /proc}, see {@link ProcessTable#limitation()}), numbers are {@code -1} and text is
 * {@code "-"}.
 *
 * @param user the effective user's name, or the numeric uid if it has no name
 * @param pid the process id
 * @param spid the thread id (Linux TID) for thread rows; the process id for process rows
 * @param cpuPercent CPU time divided by the time since the process (or thread) started, in
 *     percent, cut to one decimal like {@code ps}: 0.0 to 100.0 per core
 * @param memPercent resident memory as a share of physical memory, in percent, cut to one decimal
 * @param vszKiB virtual memory size in KiB
 * @param rssKiB resident set size in KiB (for thread rows: the whole process's, as {@code ps})
 * @param tty the controlling terminal without {@code /dev/}, such as {@code pts/0}, or {@code ?}
 * @param stat the state letter ({@code R} running, {@code S} sleeping, {@code D} disk wait,
 *     {@code Z} zombie, {@code T} stopped, {@code I} idle) followed by {@code ps}' flags:
 *     {@code <} high priority, {@code N} low priority, {@code L} locked pages, {@code s} session
 *     leader, {@code l} multi-threaded, {@code +} in the foreground process group
 * @param start when the process (or thread) started: {@code HH:MM} if today, {@code MonDD}
 *     ({@code Nov24}) if this year, else the year
 * @param time CPU time used, {@code M:SS}
 * @param command the command line with its arguments, or {@code [name]} if it has none (kernel
 *     threads, zombies)
 */
public record ProcessRow(
        String user,
        long pid,
        long spid,
        double cpuPercent,
        double memPercent,
        long vszKiB,
        long rssKiB,
        String tty,
        String stat,
        String start,
        String time,
        String command) {}
