package dev.neutron.distribution;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One part of the benchmark suite's results: {@code bench/out/<part>.json}, which {@code scripts/bench} gathers into
 * {@code bench/RESULTS.md}. A row compares Neutron with a baseline measured in the same run.
 */
final class BenchFragment {
    private final String part;
    private final ObjectNode root = NeutronServer.JSON.createObjectNode();
    private final ArrayNode rows;
    private final ArrayNode notes;

    BenchFragment(String part, String title) {
        this.part = part;
        root.put("part", part);
        root.put("title", title);
        rows = root.putArray("rows");
        notes = root.putArray("notes");
    }

    /** A figure compared with a baseline; {@code met} is null when the row has no goal. */
    BenchFragment row(String metric, String unit, double neutron, Double baseline, String baselineName, String goal,
            Boolean met) {
        ObjectNode row = rows.addObject();
        row.put("metric", metric);
        row.put("unit", unit);
        row.put("neutron", round(neutron));
        if (baseline == null) {
            row.putNull("baseline");
            row.putNull("baselineName");
            row.putNull("ratio");
        } else {
            row.put("baseline", round(baseline));
            row.put("baselineName", baselineName);
            row.put("ratio", baseline == 0 ? null : round(neutron / baseline, 3));
        }
        if (goal == null) {
            row.putNull("goal");
        } else {
            row.put("goal", goal);
        }
        if (met == null) {
            row.putNull("met");
        } else {
            row.put("met", met);
        }
        return this;
    }

    /** A figure with no baseline. */
    BenchFragment row(String metric, String unit, double neutron, String goal, Boolean met) {
        return row(metric, unit, neutron, null, null, goal, met);
    }

    BenchFragment note(String text) {
        notes.add(text);
        System.out.println("BENCH " + part + ": " + text);
        return this;
    }

    /** Writes {@code <dir>/<part>.json}; the directory is {@code NEUTRON_BENCH_OUT}, else target/bench-out. */
    void write() throws IOException {
        Path dir = Path.of(System.getenv().getOrDefault("NEUTRON_BENCH_OUT", "target/bench-out")).toAbsolutePath();
        Files.createDirectories(dir);
        Path file = dir.resolve(part + ".json");
        NeutronServer.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        System.out.println("BENCH " + part + " -> " + file + "\n" + NeutronServer.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(rows));
    }

    /** Whether the suite runs in its quick smoke mode ({@code scripts/bench --smoke}): fewer runs, smaller loads. */
    static boolean smoke() {
        return "1".equals(System.getenv("NEUTRON_BENCH_SMOKE"));
    }

    private static double round(double value) {
        return round(value, 2);
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
