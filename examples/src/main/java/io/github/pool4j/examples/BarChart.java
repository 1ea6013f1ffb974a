package io.github.pool4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A horizontal bar chart, one bar per mode, drawn in the terminal or written as a standalone SVG
 * a reader can put in a blog post.
 *
 * <p>Bars are scaled to the largest value; a bar whose value is above zero is at least one cell
 * wide, so a tiny figure next to a huge one stays visible. Immutable and thread-safe.
 */
final class BarChart {

    /** Terminal bar width of the largest value, in characters. */
    static final int TEXT_WIDTH = 40;

    private static final int SVG_BAR_WIDTH = 400;
    private static final int SVG_ROW = 30;
    private static final int SVG_CHAR = 9;

    private final String title;
    private final List<Bar> bars;

    private BarChart(String title, List<Bar> bars) {
        this.title = Objects.requireNonNull(title, "title");
        this.bars = List.copyOf(bars);
        if (this.bars.isEmpty()) {
            throw new IllegalArgumentException("a chart needs at least one bar");
        }
    }

    /**
     * Creates a chart.
     *
     * @throws IllegalArgumentException if {@code bars} is empty
     */
    static BarChart of(String title, List<Bar> bars) {
        return new BarChart(title, bars);
    }

    /** Draws the chart with ASCII characters, which every terminal encoding can show. */
    String text() {
        int labelWidth = bars.stream().mapToInt(b -> b.label().length()).max().orElse(0);
        StringBuilder text = new StringBuilder(title).append(System.lineSeparator());
        for (Bar bar : bars) {
            int cells = cells(bar.value(), TEXT_WIDTH);
            text.append(String.format(Locale.ROOT, "%-" + labelWidth + "s |", bar.label()))
                    .append("#".repeat(cells))
                    .append(" ".repeat(TEXT_WIDTH - cells))
                    .append("| ")
                    .append(bar.figure())
                    .append(System.lineSeparator());
        }
        return text.toString();
    }

    /** Renders the chart as a standalone SVG document. */
    String svg() {
        int labelWidth = SVG_CHAR * bars.stream().mapToInt(b -> b.label().length()).max().orElse(0) + 20;
        int figureWidth = SVG_CHAR * bars.stream().mapToInt(b -> b.figure().length()).max().orElse(0) + 20;
        int width = Math.max(labelWidth + SVG_BAR_WIDTH + figureWidth, SVG_CHAR * title.length() + 20);
        int height = 50 + SVG_ROW * bars.size();
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append(String.format(Locale.ROOT,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                                + " font-family=\"monospace\" font-size=\"14\">%n",
                        width, height, width, height))
                .append("  <title>").append(escape(title)).append("</title>\n")
                .append(String.format(Locale.ROOT,
                        "  <rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height))
                .append("  <text x=\"10\" y=\"24\" font-weight=\"bold\">").append(escape(title)).append("</text>\n");
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int top = 40 + i * SVG_ROW;
            int barWidth = cells(bar.value(), SVG_BAR_WIDTH);
            svg.append(String.format(Locale.ROOT, "  <text x=\"10\" y=\"%d\">%s</text>%n", top + 16, escape(bar.label())))
                    .append(String.format(Locale.ROOT,
                            "  <rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"22\" fill=\"%s\"/>%n",
                            labelWidth, top, barWidth, i % 2 == 0 ? "#4e79a7" : "#f28e2b"))
                    .append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\">%s</text>%n",
                            labelWidth + barWidth + 6, top + 16, escape(bar.figure())));
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * Writes {@link #svg()} to {@code file}, replacing it.
     *
     * @throws IOException if the file cannot be written
     */
    void writeSvg(Path file) throws IOException {
        Files.writeString(file, svg(), StandardCharsets.UTF_8);
    }

    /**
     * Prints the chart after a blank line and, if {@code svg} is not null, writes it there too and
     * says so: how every command ends that draws one.
     *
     * @throws IOException if the SVG file cannot be written
     */
    void print(PrintStream out, Path svg) throws IOException {
        out.println();
        out.print(text());
        if (svg != null) {
            writeSvg(svg);
            out.println("wrote " + svg);
        }
    }

    private int cells(double value, int full) {
        double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
        if (!(value > 0) || !(max > 0)) {
            return 0;
        }
        return Math.max(1, (int) Math.round(full * value / max));
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> escaped.append(c < 0x20 && c != '\t' ? ' ' : c);
            }
        }
        return escaped.toString();
    }

    /**
     * One bar.
     *
     * @param label the mode, e.g. {@code processes}
     * @param value the length, in any unit shared by all bars; not negative
     * @param figure the value as printed next to the bar, e.g. {@code 612.3 MiB}
     */
    record Bar(String label, double value, String figure) {
        Bar {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(figure, "figure");
            if (value < 0 || Double.isNaN(value)) {
                throw new IllegalArgumentException("value must be >= 0, was " + value);
            }
        }
    }
}
