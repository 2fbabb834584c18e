package dev.recon.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.Recon;
import dev.recon.config.ConfigLoader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code recon bench --tables N}: one schema entry over N tables of the same shape, each
 * differing in the same share of rows, compared by a fresh {@code recon diff} process (the
 * way a user times it) on one server and across two databases, next to the sum of the
 * per-table floors measured in the same run, in alternation: recon's FULL OUTER JOIN query
 * of each table counted in the server, and each table's two sides read and hashed
 * concurrently. Also reports the planning time per table ({@code plan_ms} of the report).
 */
public final class SchemaBench {
    private final String adminUrl;
    private final BenchData data;
    private final int tables;
    private final long rows;
    private final int runs;
    private final List<Integer> jobs;

    public SchemaBench(String adminUrl, String prefix, int tables, long rows, double changeRatio, int runs,
            List<Integer> jobs) {
        this.adminUrl = adminUrl;
        this.data = new BenchData(adminUrl, prefix, rows, changeRatio);
        this.tables = tables;
        this.rows = rows;
        this.runs = runs;
        this.jobs = List.copyOf(jobs);
    }

    /** One line: recon's whole-process median (and range) against the floor's median, and planning per table. */
    public record Line(String name, int jobs, double seconds, double min, double max, double floorSeconds,
            double planMsPerTable, String floorName) {
        public double ratio() {
            return seconds / floorSeconds;
        }
    }

    public record Result(int tables, long rows, List<Line> lines) {
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("recon bench: %d tables of %,d rows, whole recon diff processes (%s), medians%n%n",
                    tables, rows, ReconProcess.describe()));
            sb.append(String.format("%-26s %5s %9s %17s %9s %7s %13s  %s%n", "measure", "jobs", "recon s",
                    "range", "floor s", "ratio", "plan ms/table", "floor (sum over the tables)"));
            for (Line l : lines) {
                sb.append(String.format("%-26s %5d %9.3f %8.3f-%-8.3f %9.3f %6.2fx %13.2f  %s%n", l.name(), l.jobs(),
                        l.seconds(), l.min(), l.max(), l.floorSeconds(), l.ratio(), l.planMsPerTable(),
                        l.floorName()));
            }
            return sb.toString();
        }
    }

    private String name(int i) {
        return String.format("t%04d", i);
    }

    public Result execute(boolean generate, Consumer<String> say) throws Exception {
        if (generate) {
            say.accept("generating " + tables + " tables of " + rows + " rows in " + data.sourceDb() + " and "
                    + data.targetDb());
            create();
        }
        data.settle();
        long[] one = data.expected();
        long expected = tables * (one[0] + one[1] + one[2]);
        Path dir = Files.createTempDirectory("recon-bench");
        try {
            Path yaml = dir.resolve("recon.yaml");
            Files.writeString(yaml, yaml());
            Recon recon = new Recon(new ConfigLoader(Map.of()).parse(yaml(), yaml.toString()));
            List<String> joinQueries = new ArrayList<>();
            for (String q : recon.joinQueries(List.of("same"))) {
                joinQueries.add(q);
            }
            List<Line> lines = new ArrayList<>();
            for (String mapping : List.of("same", "cross")) {
                boolean same = mapping.equals("same");
                List<Double> floor = new ArrayList<>();
                List<List<Double>> times = new ArrayList<>();
                List<List<Double>> plans = new ArrayList<>();
                for (int j = 0; j < jobs.size(); j++) {
                    times.add(new ArrayList<>());
                    plans.add(new ArrayList<>());
                }
                for (int run = 0; run < runs; run++) {
                    say.accept((same ? "same server" : "two databases") + ", run " + (run + 1) + " of " + runs);
                    long start = System.nanoTime();
                    if (same) {
                        joinFloor(joinQueries);
                    } else {
                        hashFloor();
                    }
                    floor.add((System.nanoTime() - start) / 1e9);
                    for (int j = 0; j < jobs.size(); j++) {
                        Path report = dir.resolve("report.json");
                        start = System.nanoTime();
                        int exit = process(yaml, mapping, jobs.get(j), report);
                        times.get(j).add((System.nanoTime() - start) / 1e9);
                        JsonNode json = new ObjectMapper().readTree(report.toFile());
                        long[] counts = ReconProcess.counts(json);
                        long found = counts[0] + counts[1] + counts[2];
                        if (exit != 1 || found != expected || json.get("syncs").size() != tables) {
                            throw new IllegalStateException("recon diff --sync " + mapping + " exited " + exit
                                    + " and found " + found + " differences in " + json.get("syncs").size()
                                    + " tables; the tables hold " + expected + " in " + tables);
                        }
                        plans.get(j).add(json.get("plan_ms").asDouble() / tables);
                    }
                }
                for (int j = 0; j < jobs.size(); j++) {
                    List<Double> t = times.get(j);
                    lines.add(new Line(same ? "diff, same server (join)" : "diff, two databases (hash)", jobs.get(j),
                            median(t), t.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                            t.stream().mapToDouble(Double::doubleValue).max().orElse(0), median(floor),
                            median(plans.get(j)), same ? "recon's FULL OUTER JOIN query, counted in the server"
                                    : "each side reads and hashes every row, concurrently"));
                }
            }
            return new Result(tables, rows, lines);
        } finally {
            for (File f : dir.toFile().listFiles()) {
                Files.deleteIfExists(f.toPath());
            }
            Files.deleteIfExists(dir);
        }
    }

    /** A fresh {@code recon diff} process, as a user runs it; returns its exit code. */
    private static int process(Path yaml, String mapping, int jobs, Path report) throws IOException,
            InterruptedException {
        return ReconProcess.run(List.of("diff", "-c", yaml.toString(), "--sync", mapping, "--jobs",
                String.valueOf(jobs), "--samples", "0", "--format", "json", "-o", report.toString()));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private String yaml() {
        return "connections:\n"
                + "  source: { url: \"" + data.url(data.sourceDb()) + "\" }\n"
                + "  target: { url: \"" + data.url(data.targetDb()) + "\" }\n"
                + "syncs:\n"
                + "  - name: same\n    source: { connection: source, schema: app }\n"
                + "    target: { connection: source, schema: mirror }\n"
                + "  - name: cross\n    source: { connection: source, schema: app }\n"
                + "    target: { connection: target, schema: mirror }\n    strategy: hash\n";
    }

    /** Each table's join query counted in the server, one after another. */
    private void joinFloor(List<String> queries) throws SQLException {
        try (Connection c = DriverManager.getConnection(data.url(data.sourceDb())); Statement s = c.createStatement()) {
            s.execute("SET jit = off");
            for (String q : queries) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + q + ") AS diff")) {
                    rs.next();
                }
            }
        }
    }

    /** Each table's two sides read and hashed concurrently, one table after another. */
    private void hashFloor() throws SQLException {
        String row = "hash_record_extended(ROW(id, reference, price, qty, note, updated_at), 0)";
        try (Connection a = DriverManager.getConnection(data.url(data.sourceDb()));
             Connection b = DriverManager.getConnection(data.url(data.targetDb()));
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("SET jit = off");
            sb.execute("SET jit = off");
            for (int i = 1; i <= tables; i++) {
                String t = name(i);
                CompletableFuture<Void> x = CompletableFuture.runAsync(() -> count(sa, "SELECT count(*), bit_xor("
                        + row + ") FROM app." + t));
                count(sb, "SELECT count(*), bit_xor(" + row + ") FROM mirror." + t);
                x.join();
            }
        }
    }

    private static void count(Statement s, String sql) {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A generated row's values; {@code price} and {@code qty} are added to those columns (the differences). */
    private static String values(String price, String qty) {
        return "g, 'ORD-' || lpad(g::text, 10, '0'), (g % 100000) / 100.0" + price + ", g % 50" + qty
                + ", CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || (g % 1000) END,"
                + " timestamptz '2024-01-01 00:00:00.123456+00' + g * interval '1.000001 second'";
    }

    /** Both databases: app.tNNNN and mirror.tNNNN in the source one, mirror.tNNNN in the target one. */
    private void create() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            for (String db : new String[] {data.sourceDb(), data.targetDb()}) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + db);
            }
        }
        long every = data.every();
        String columns = "(id bigint PRIMARY KEY, reference text NOT NULL, price numeric(12,2), qty integer,"
                + " note text, updated_at timestamptz)";
        String source = "SELECT " + values("", "") + " FROM generate_series(1, " + rows + ") g";
        // half the differing rows changed, a quarter missing, a quarter extra
        String target = "SELECT " + values(" + CASE WHEN g % " + every + " = 0 THEN 1 ELSE 0 END",
                " + CASE WHEN g % " + every + " = " + every / 2 + " THEN 1 ELSE 0 END")
                + " FROM generate_series(1, " + rows + ") g WHERE g % " + every + " <> " + every / 4
                + " UNION ALL SELECT " + (rows + 1) + " + g, 'EXTRA-' || g, 1, 1, 'extra', now()"
                + " FROM generate_series(1, " + Math.max(1, rows / every) + ") g";
        try (Connection src = DriverManager.getConnection(data.url(data.sourceDb()));
             Connection dst = DriverManager.getConnection(data.url(data.targetDb()));
             Statement s = src.createStatement(); Statement d = dst.createStatement()) {
            s.execute("CREATE SCHEMA app; CREATE SCHEMA mirror");
            d.execute("CREATE SCHEMA mirror");
            for (int i = 1; i <= tables; i++) {
                String t = name(i);
                s.execute("CREATE TABLE app." + t + " " + columns + "; INSERT INTO app." + t + " " + source);
                s.execute("CREATE TABLE mirror." + t + " " + columns + "; INSERT INTO mirror." + t + " " + target);
                d.execute("CREATE TABLE mirror." + t + " " + columns + "; INSERT INTO mirror." + t + " " + target);
            }
            s.execute("VACUUM ANALYZE");
            d.execute("VACUUM ANALYZE");
        }
    }
}
