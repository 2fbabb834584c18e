package dev.recon.cli.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** {@code recon bench} from start to end: generate, measure, compare with pg_comparator, tabulate. */
public final class BenchRun {
    private final String url;
    private final long rows;
    private final double changeRatio;
    private final int runs;
    private final List<String> strategies;

    public BenchRun(String url, long rows, double changeRatio, int runs, List<String> strategies) {
        this.url = url;
        this.rows = rows;
        this.changeRatio = changeRatio;
        this.runs = runs;
        this.strategies = List.copyOf(strategies);
    }

    /** What was measured. */
    public record Result(List<Bench.Line> lines, double pgComparatorSeconds, String machine, long rows) {
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("recon bench: %,d rows, medians; %s%n%n", rows, machine));
            sb.append(String.format("%-28s %-26s %9s %9s %7s %9s %9s  %s%n", "measure", "recon", "recon s",
                    "floor s", "ratio", "heap MiB", "RSS MiB", "floor"));
            for (Bench.Line l : lines) {
                sb.append(String.format("%-28s %-26s %9.3f %9.3f %6.2fx %9.0f %9.0f  %s%n", l.name(), l.detail(),
                        l.recon().seconds(), l.floorSeconds(), l.ratio(), l.recon().peakHeapMib(),
                        l.recon().peakRssMib(), l.floorName()));
            }
            if (pgComparatorSeconds >= 0) {
                for (Bench.Line l : lines) {
                    if (l.name().startsWith("diff, two")) {
                        sb.append(String.format("pg_comparator: %.3f s; recon %s is %.1fx faster%n",
                                pgComparatorSeconds, l.detail(), pgComparatorSeconds / l.recon().seconds()));
                    }
                }
            } else {
                sb.append("pg_comparator: not measured (not installed, or its pgcmp extension could not be created)\n");
            }
            return sb.toString();
        }
    }

    public Result execute(boolean generate, boolean terminal, Consumer<String> say) throws Exception {
        BenchData data = new BenchData(url, rows, changeRatio);
        if (generate) {
            say.accept("generating " + rows + " rows in " + BenchData.SOURCE_DB + " and " + BenchData.TARGET_DB);
            if (terminal) {
                try (ProgressBar bar = new ProgressBarBuilder().setTaskName("generating").setInitialMax(rows)
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" rows", 1).build()) {
                    data.create(bar::stepBy);
                }
            } else {
                data.create(n -> { });
            }
        }
        Bench bench = new Bench(data, runs, strategies);
        bench.run(say);
        double pgc = pgComparator(data, say);
        return new Result(bench.lines(), pgc, machine(), rows);
    }

    private static String machine() {
        String cpu = "";
        try {
            cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceFirst(".*: ", ""))
                    .orElse("");
        } catch (IOException ignored) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores" + (cpu.isEmpty() ? "" : " (" + cpu + ")")
                + ", max heap " + Runtime.getRuntime().maxMemory() / 1048576 + " MiB, Java "
                + System.getProperty("java.version");
    }

    /** Median seconds of pg_comparator on the cross-database pair, or -1 when it cannot run here. */
    private double pgComparator(BenchData data, Consumer<String> say) throws Exception {
        if (!new java.io.File("/usr/bin/pg_comparator").canExecute()) {
            return -1;
        }
        try {
            for (String db : new String[] {BenchData.SOURCE_DB, BenchData.TARGET_DB}) {
                try (Connection c = DriverManager.getConnection(data.url(db)); Statement s = c.createStatement()) {
                    s.execute("CREATE EXTENSION IF NOT EXISTS pgcmp");
                }
            }
        } catch (SQLException e) {
            say.accept("pg_comparator skipped: " + e.getMessage());
            return -1;
        }
        URI u = URI.create(url.substring("jdbc:".length()));
        String user = u.getQuery() == null ? "postgres" : u.getQuery().replaceAll(".*user=([^&]*).*", "$1");
        String base = "pgsql://" + user + "@" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort()) + "/";
        String left = base + BenchData.SOURCE_DB + "/public.source_order?id:reference,price,qty,note,updated_at,customer";
        String right = base + BenchData.TARGET_DB
                + "/public.destination_order?order_id:code,total_price,quantity,remark,modified,customer_name";
        long[] expected = data.expected();
        long differing = expected[0] + expected[1] + expected[2];
        say.accept("pg_comparator");
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Process p = new ProcessBuilder("/usr/bin/pg_comparator", "--no-lock", left, right)
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            times.add((System.nanoTime() - start) / 1e9);
            long found = output.lines().filter(l -> l.matches("(INSERT|UPDATE|DELETE) .*")).count();
            if (found != differing) {
                say.accept("pg_comparator reported " + found + " differences, expected " + differing + "; ignored");
                return -1;
            }
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }
}
