package io.github.pool4j;

import io.github.pool4j.timing.Ticker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A {@link PoolListener} that shows each call's progress as {@code tqdm} does: one live line on a
 * terminal with done/total, percentage, a bar, rate, elapsed time and ETA, finished with a final
 * line.
 *
 * <pre>{@code
 * try (Pool<String, String> pool = ProcessPool.builder().listener(ProgressBar.toConsole()).build()) {
 *     pool.map(Hello::sayHello, names);
 *     // map 370/1000  37% [##############--------------------------] 30.1/s 00:12 ETA 00:20
 * }
 * }</pre>
 *
 * <p>For one call only, pass it in the call's options:
 * {@code pool.map(task, inputs, CallOptions.listener(ProgressBar.toConsole()))}.
 *
 * <p>On a terminal the line is redrawn in place (with a carriage return, no other control
 * codes), at most once per {@linkplain Builder#refresh(Duration) refresh interval} (100 ms by
 * default) and whenever a call starts or ends. Each call gets its own bar, told apart by its call
 * id; while several calls run at once the live line shows the oldest one and how many others run
 * ({@code [+2 calls]}), and each call's final line stays on screen when it ends. A lazy
 * {@code imap} shows {@code done/?} until its inputs run out.
 *
 * <p>When the output is not a terminal (a file, a pipe, a CI log), nothing is redrawn: a plain
 * line is printed for a call at most every {@linkplain Builder#plainEvery(Duration) 5 seconds}
 * and once when it ends, or nothing at all if {@link Builder#plainLines(boolean)} says so.
 *
 * <p>The line is drawn only when an event arrives, so a call whose inputs each take long shows
 * its last state until the next input finishes. One bar listens to one pool (call ids are unique
 * only within a pool); give each pool its own.
 *
 * <p>Thread-safety: thread-safe; pools call it from many threads at once. Drawing happens under
 * this bar's own lock, in the thread that reported the event.
 */
public final class ProgressBar implements PoolListener {

    /** Default least time between two redraws of the live line: at most ten a second. */
    public static final Duration DEFAULT_REFRESH = Duration.ofMillis(100);
    /** Default least time between two plain lines of one call when not on a terminal. */
    public static final Duration DEFAULT_PLAIN_EVERY = Duration.ofSeconds(5);
    /** Default line width when the terminal's is unknown ({@code COLUMNS} unset). */
    public static final int DEFAULT_COLUMNS = 80;
    /** How many ended call ids are remembered, so a late progress event cannot revive a bar. */
    private static final int ENDED_REMEMBERED = 1024;

    private final PrintStream out;
    private final boolean terminal;
    private final int width;
    private final String label;
    private final long refreshNanos;
    private final long plainEveryNanos;
    private final boolean plainLines;
    private final Ticker ticker;

    private final Object lock = new Object();
    /** Calls running, oldest first. Guarded by lock. */
    private final TreeMap<Long, Bar> bars = new TreeMap<>();
    /** Recently ended call ids. Guarded by lock. */
    private final Map<Long, Boolean> ended = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > ENDED_REMEMBERED;
        }
    };
    /** Characters of the live line now on screen, to blank them on the next draw. Guarded by lock. */
    private int drawnLength;
    /** Ticker reading before which the live line is not redrawn. Guarded by lock. */
    private long nextDraw = Long.MIN_VALUE;

    private ProgressBar(Builder builder) {
        this.out = builder.out;
        this.terminal = builder.terminal;
        this.width = builder.columns - 1; // the last column would wrap on some terminals
        this.label = builder.label;
        this.refreshNanos = builder.refresh.toNanos();
        this.plainEveryNanos = builder.plainEvery.toNanos();
        this.plainLines = builder.plainLines;
        this.ticker = builder.ticker;
    }

    /**
     * Returns a bar on standard error, live if standard error is a terminal, else printing a
     * plain line every 5 seconds; the width comes from the {@code COLUMNS} environment variable
     * (80 if unset).
     *
     * @return a new bar
     */
    public static ProgressBar toConsole() {
        return builder().output(System.err).terminal(isTerminal()).build();
    }

    /**
     * Returns a bar printing plain lines to {@code out} (every 5 seconds per call and at each
     * call's end): {@code out} is taken not to be a terminal. Use {@link #builder()} for a live
     * bar on a stream of your choice.
     *
     * @param out where lines go
     * @return a new bar
     * @throws NullPointerException if {@code out} is null
     */
    public static ProgressBar to(PrintStream out) {
        return builder().output(out).build();
    }

    /**
     * Returns a builder with the defaults: standard error, not a terminal, {@code COLUMNS} or 80
     * columns, the operation name as label, 100 ms refresh, a plain line every 5 seconds.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onCallStarted(long callId, String operation, long total) {
        long now = ticker.nanos();
        synchronized (lock) {
            bars.putIfAbsent(callId, new Bar(label != null ? label : operation, now, total));
            if (terminal) {
                drawLive(now);
            }
        }
    }

    @Override
    public void onProgress(long callId, long done, long total) {
        long now = ticker.nanos();
        synchronized (lock) {
            Bar bar = bars.get(callId);
            if (bar == null) {
                if (ended.containsKey(callId)) {
                    return; // a report that lost the race with its call's end
                }
                // The call started before this listener saw it (e.g. a per-call listener).
                bar = new Bar(label != null ? label : "call", now, total);
                bars.put(callId, bar);
            }
            bar.done = Math.max(bar.done, done);
            if (total >= 0) {
                bar.total = total;
            }
            if (terminal) {
                if (now - nextDraw >= 0 || (total >= 0 && done >= total)) {
                    drawLive(now);
                }
            } else if (plainLines && now - bar.lastPrinted >= plainEveryNanos) {
                bar.lastPrinted = now;
                out.println(line(bar, now, false));
                out.flush();
            }
        }
    }

    @Override
    public void onCallEnded(long callId, long failed) {
        long now = ticker.nanos();
        synchronized (lock) {
            Bar bar = bars.remove(callId);
            ended.put(callId, Boolean.TRUE);
            if (bar == null) {
                return;
            }
            bar.failed = failed;
            if (bar.total < 0) {
                bar.total = bar.done; // a lazy call's inputs ran out with its end
            }
            String last = line(bar, now, true);
            if (terminal) {
                out.print('\r' + pad(last, drawnLength) + System.lineSeparator());
                drawnLength = 0;
                drawLive(now);
            } else if (plainLines) {
                out.println(last);
            }
            out.flush();
        }
    }

    /** Redraws the live line: the oldest running call, and how many others run. Holds lock. */
    private void drawLive(long now) {
        nextDraw = now + refreshNanos;
        if (bars.isEmpty()) {
            return;
        }
        Bar oldest = bars.firstEntry().getValue();
        String more = bars.size() > 1 ? " [+" + (bars.size() - 1) + (bars.size() == 2 ? " call]" : " calls]") : "";
        String text = ProgressLine.format(oldest.label, oldest.done, oldest.total, 0,
                now - oldest.started, Math.max(0, width - more.length()), false) + more;
        out.print('\r' + pad(text, drawnLength));
        out.flush();
        drawnLength = text.length();
    }

    private String line(Bar bar, long now, boolean last) {
        return ProgressLine.format(bar.label, bar.done, bar.total, bar.failed, now - bar.started, width, last);
    }

    /** Pads {@code text} with spaces to {@code length}, blanking what a longer line left. */
    private static String pad(String text, int length) {
        return text.length() >= length ? text : text + " ".repeat(length - text.length());
    }

    /** Tells whether this process's standard error is a terminal, as far as the JDK lets us see. */
    static boolean isTerminal() {
        Path stderr = Path.of("/proc/self/fd/2");
        try {
            String target = Files.readSymbolicLink(stderr).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // No /proc (not Linux): a console means stdin and stdout are terminals, the best hint left.
            return System.console() != null;
        }
    }

    /** One call's progress. Guarded by the bar's lock. */
    private static final class Bar {
        final String label;
        final long started;
        long done;
        long total;
        long failed;
        long lastPrinted;

        Bar(String label, long started, long total) {
            this.label = label;
            this.started = started;
            this.total = total;
            this.lastPrinted = started;
        }
    }

    /**
     * Configures a {@link ProgressBar}. Not thread-safe; {@link #build()} copies the settings.
     */
    public static final class Builder {
        private PrintStream out = System.err;
        private boolean terminal;
        private int columns = columnsFromEnvironment();
        private String label;
        private Duration refresh = DEFAULT_REFRESH;
        private Duration plainEvery = DEFAULT_PLAIN_EVERY;
        private boolean plainLines = true;
        private Ticker ticker = Ticker.system();

        private Builder() {}

        /**
         * Sets where lines go (default: standard error).
         *
         * @param out the stream
         * @return this builder
         * @throws NullPointerException if {@code out} is null
         */
        public Builder output(PrintStream out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * Says whether the output is a terminal, where the line is redrawn in place (default:
         * false; {@link ProgressBar#toConsole()} detects it).
         *
         * @param terminal true for a live line, false for plain lines
         * @return this builder
         */
        public Builder terminal(boolean terminal) {
            this.terminal = terminal;
            return this;
        }

        /**
         * Sets the terminal's width; lines take one column less (default: {@code COLUMNS}, or 80).
         *
         * @param columns at least 20
         * @return this builder
         * @throws IllegalArgumentException if {@code columns < 20}
         */
        public Builder columns(int columns) {
            if (columns < 20) {
                throw new IllegalArgumentException("columns must be >= 20, was " + columns);
            }
            this.columns = columns;
            return this;
        }

        /**
         * Sets the text before the counts (default: the operation, such as {@code map}).
         *
         * @param label the label
         * @return this builder
         * @throws NullPointerException if {@code label} is null
         */
        public Builder label(String label) {
            this.label = Objects.requireNonNull(label, "label");
            return this;
        }

        /**
         * Sets the least time between two redraws of the live line (default 100 ms).
         *
         * @param refresh zero or more
         * @return this builder
         * @throws NullPointerException if {@code refresh} is null
         * @throws IllegalArgumentException if {@code refresh} is negative
         */
        public Builder refresh(Duration refresh) {
            this.refresh = nonNegative(refresh, "refresh");
            return this;
        }

        /**
         * Sets the least time between two plain lines of one call when the output is not a
         * terminal (default 5 s).
         *
         * @param every zero or more
         * @return this builder
         * @throws NullPointerException if {@code every} is null
         * @throws IllegalArgumentException if {@code every} is negative
         */
        public Builder plainEvery(Duration every) {
            this.plainEvery = nonNegative(every, "plainEvery");
            return this;
        }

        /**
         * Says whether to print plain lines when the output is not a terminal (default true);
         * false prints nothing there.
         *
         * @param plainLines false for silence off a terminal
         * @return this builder
         */
        public Builder plainLines(boolean plainLines) {
            this.plainLines = plainLines;
            return this;
        }

        /**
         * Sets the clock for rates, elapsed times and redraw intervals (default:
         * {@link Ticker#system()}; tests pass a fake one).
         *
         * @param ticker the clock
         * @return this builder
         * @throws NullPointerException if {@code ticker} is null
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Creates the bar.
         *
         * @return a new bar with these settings
         */
        public ProgressBar build() {
            return new ProgressBar(this);
        }

        private static Duration nonNegative(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must be >= 0, was " + duration);
            }
            return duration;
        }

        private static int columnsFromEnvironment() {
            String columns = System.getenv("COLUMNS");
            try {
                int parsed = columns == null ? DEFAULT_COLUMNS : Integer.parseInt(columns.trim());
                return parsed >= 20 ? parsed : DEFAULT_COLUMNS;
            } catch (NumberFormatException e) {
                return DEFAULT_COLUMNS;
            }
        }
    }
}
