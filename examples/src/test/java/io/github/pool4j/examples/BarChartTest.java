package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class BarChartTest {

    private final BarChart chart = BarChart.of("Total RSS <MiB> & more", List.of(
            new BarChart.Bar("processes", 600, "600.0 MiB"),
            new BarChart.Bar("threads", 150, "150.0 MiB"),
            new BarChart.Bar("tiny", 0.001, "0.001"),
            new BarChart.Bar("none", 0, "0")));

    @Test
    void text_scalesBarsToTheLargest_andKeepsTinyOnesVisible() {
        List<String> lines = chart.text().lines().toList();

        assertEquals("Total RSS <MiB> & more", lines.get(0));
        assertEquals(BarChart.TEXT_WIDTH, hashes(lines.get(1)));
        assertEquals(BarChart.TEXT_WIDTH / 4, hashes(lines.get(2)));
        assertEquals(1, hashes(lines.get(3)));
        assertEquals(0, hashes(lines.get(4)));
        assertTrue(lines.get(1).startsWith("processes |"), lines.get(1));
        assertTrue(lines.get(2).startsWith("threads   |"), lines.get(2));
        assertTrue(lines.get(1).endsWith("| 600.0 MiB"), lines.get(1));
    }

    @Test
    void svg_isWellFormedXml_withOneRectPerBarAndEscapedText(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chart.svg");
        chart.writeSvg(file);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document svg = factory.newDocumentBuilder().parse(Files.newInputStream(file));
        Element root = svg.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        NodeList rects = root.getElementsByTagName("rect");
        assertEquals(1 + 4, rects.getLength(), "background + one per bar");
        int processes = Integer.parseInt(((Element) rects.item(1)).getAttribute("width"));
        int threads = Integer.parseInt(((Element) rects.item(2)).getAttribute("width"));
        assertEquals(4 * threads, processes);
        assertEquals("Total RSS <MiB> & more", root.getElementsByTagName("title").item(0).getTextContent());
        assertTrue(Files.readString(file, StandardCharsets.UTF_8).contains("&lt;MiB&gt; &amp; more"));
    }

    @Test
    void of_noBarsOrNegativeValue_rejected() {
        assertThrows(IllegalArgumentException.class, () -> BarChart.of("t", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new BarChart.Bar("a", -1, "-1"));
    }

    static Document parseSvg(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static long hashes(String line) {
        return line.chars().filter(c -> c == '#').count();
    }
}
