package io.github.pool4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks the module is wired right without running any benchmark (CI time matters). */
class BenchmarksSmokeTest {

    @Test
    void jmhGenerator_registersEverySuite() throws IOException {
        String list;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "JMH annotation processor did not run");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Class<?> suite : List.of(ThreadPoolMapBenchmark.class, ProcessPoolMapBenchmark.class,
                SubmitLatencyBenchmark.class, PoolStartBenchmark.class, PayloadBenchmark.class,
                CpuBoundBenchmark.class)) {
            assertTrue(list.contains(suite.getName()), suite.getName() + " missing from BenchmarkList");
        }
    }

    @Test
    void stats_oddAndEvenCounts_giveMinMedianMax() {
        assertEquals(new Stats(1, 3, 9), Stats.of(List.of(9.0, 1.0, 3.0)));
        assertEquals(new Stats(1, 2.5, 4), Stats.of(List.of(4.0, 1.0, 2.0, 3.0)));
    }

    @Test
    void scenarios_withoutPython_areSkippedNotFailed() {
        Compare.Options options = Compare.Options.parse(new String[] {"--quick"});
        PythonTwins python = PythonTwins.find("python3", Path.of("no-such-dir"));
        List<Compare.Scenario> scenarios = Scenarios.all(options, python);

        assertEquals(3, options.repeats);
        assertTrue(scenarios.stream().anyMatch(s -> s.reference().label().startsWith("Python")));
        scenarios.stream()
                .filter(s -> s.reference().label().startsWith("Python"))
                .forEach(s -> assertNotNull(s.reference().skipReason(), s.name()));
        Compare.Row row = new Compare.Row(scenarios.get(1), List.of(5.0), List.of(Double.NaN), null);
        String line = Report.line(row);
        assertTrue(line.contains("skipped") && line.contains("not measured"), line);
    }

    @Test
    void report_scenarioWithLimit_showsLimitMedianAndRatio() {
        Compare.Side side = Compare.Side.of("x", () -> 1);
        Compare.Scenario scenario = new Compare.Scenario("payload", "MB/s", side, side, Compare.Target.NONE, side);
        Compare.Row row = new Compare.Row(scenario, List.of(100.0, 200.0, 300.0), List.of(50.0, 100.0, 150.0),
                List.of(1000.0, 1000.0, 1000.0), null);

        String line = Report.line(row);

        assertTrue(line.contains("| 1000 | 0.20 |"), line);
    }

    @Test
    void pipeEcho_roundTrips_andChildExits() throws Exception {
        // A real child JVM, one short measurement each: the limit rows must work, not be fast.
        assertTrue(PipeEcho.bandwidth(1024, 0.01) > 0);
        assertTrue(PipeEcho.pingPong(1, 3) > 0);
    }

    @Test
    void spin_isDeterministic_andMatchesPythonTwin() {
        // Same value as twins.py spin(1000); keeps the two computations the same.
        assertEquals(Workloads.spin(1000), Workloads.spin(1000));
        assertEquals(PYTHON_SPIN_1000, Workloads.spin(1000));
    }

    static final long PYTHON_SPIN_1000 = -7596718369403028188L;
}
