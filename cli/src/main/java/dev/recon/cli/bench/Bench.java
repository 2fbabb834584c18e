package dev.recon.cli.bench;

import dev.recon.Recon;
import dev.recon.config.ConfigLoader;
import dev.recon.config.Operation;
import dev.recon.report.ReportFormat;
import dev.recon.report.RunReport;
import dev.recon.report.SyncReport;
import dev.recon.sync.MaxDeletes;
import dev.recon.sync.SyncOptions;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.Writer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.postgresql.PGConnection;

/**
 * The measurements of {@code recon bench}: each recon operation next to the floor that the
 * databases themselves set for the same work, medians over several runs, in this JVM.
 */
public final class Bench {
    /** One line of the result table. */
    public record Line(String name, String detail, Measure.Result recon, double floorSeconds, String floorName) {
        public double ratio() {
            return recon.seconds() / floorSeconds;
        }
    }

    private final BenchData data;
    private final int runs;
    private final List<String> strategies;
    private final List<Line> lines = new ArrayList<>();

    Bench(BenchData data, int runs, List<String> strategies) {
        this.data = data;
        this.runs = runs;
        this.strategies = strategies;
    }

    List<Line> lines() {
        return lines;
    }

    void run(java.util.function.Consumer<String> say) throws Exception {
        long[] expected = data.expected();
        say.accept("same-server diff (join)");
        Recon join = recon("hash");
        Measure.Result sameDiff = Measure.median(runs, () -> { }, () -> check(join.diff(List.of("same"), 0,
                ReportFormat.JSON.writer(Writer.nullWriter())), expected), true);
        String joinQuery = dev.recon.diff.JoinDiff.query(join.plan(List.of("same"), dev.recon.plan.Purpose.DIFF).get(0));
        double joinFloor = Measure.median(runs, () -> { }, () -> joinFloor(joinQuery), false).seconds();
        lines.add(new Line("diff, same server", "join", sameDiff, joinFloor,
                "recon's FULL OUTER JOIN query, counted in the server"));

        double hashFloor = Measure.median(runs, () -> { }, this::readAndHashFloor, false).seconds();
        for (String strategy : strategies) {
            say.accept("cross-database diff (" + strategy + ")");
            Recon r = recon(strategy);
            Measure.Result cross = Measure.median(runs, () -> { }, () -> check(r.diff(List.of("cross"), 0,
                    ReportFormat.JSON.writer(Writer.nullWriter())), expected), true);
            lines.add(new Line("diff, two databases", strategy, cross, hashFloor,
                    "each side reads and hashes every row once, concurrently"));
        }
        say.accept("sync of the differences");
        Recon sync = recon("hash");
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), true).withSamples(0);
        Measure.Result synced = Measure.median(runs, data::resetTarget, () -> converged(sync.sync(List.of("cross"),
                options, ReportFormat.JSON.writer(Writer.nullWriter()))), true);
        long differing = expected[0] + expected[1] + expected[2];
        double copyDiff = Measure.median(runs, this::truncateCopyFloor, () -> copyFloor(differing, "copy_floor"),
                false).seconds();
        lines.add(new Line("sync, " + differing + " differences", "hash + upsert", synced, copyDiff,
                "COPY of as many rows into an unlogged table"));

        say.accept("initial load (empty destination)");
        Measure.Result load = Measure.median(runs, data::emptyTarget, () -> converged(sync.sync(List.of("cross"),
                options, ReportFormat.JSON.writer(Writer.nullWriter()))), true);
        double copyAll = Measure.median(runs, this::truncateCopyFloor, () -> copyFloor(-1, "copy_floor_keyed"), false)
                .seconds();
        lines.add(new Line("initial load", "sync into an empty table", load, copyAll,
                "COPY of the whole table into a table like the destination (logged, primary key)"));
        data.resetTarget();
    }

    private Recon recon(String strategy) {
        return new Recon(new ConfigLoader(Map.of()).parse(data.mappingYaml(strategy), "bench.yaml"));
    }

    private static void check(RunReport report, long[] expected) {
        SyncReport s = report.syncs().get(0);
        long[] found = {s.count(Operation.INSERT), s.count(Operation.UPDATE), s.count(Operation.DELETE)};
        if (!java.util.Arrays.equals(found, expected)) {
            throw new IllegalStateException("the diff found " + java.util.Arrays.toString(found) + " but the tables"
                    + " hold " + java.util.Arrays.toString(expected) + " (insert, update, delete)");
        }
    }

    private static void converged(RunReport report) {
        if (!report.converged()) {
            throw new IllegalStateException("the benchmark sync did not converge");
        }
    }

    /** recon's own diff query, counted inside the server: what a same-server diff cannot beat. */
    private void joinFloor(String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(data.url(BenchData.SOURCE_DB)); Statement s = c.createStatement()) {
            s.execute("SET jit = off");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + query + ") AS diff")) {
                rs.next();
            }
        }
    }

    private void readAndHashFloor() {
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> hashAll(BenchData.SOURCE_DB,
                "SELECT count(*), bit_xor(hash_record_extended(ROW(id, reference, price, qty, note, updated_at,"
                        + " customer), 0)) FROM source_order"));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> hashAll(BenchData.TARGET_DB,
                "SELECT count(*), bit_xor(hash_record_extended(ROW(order_id, code, total_price, quantity, remark,"
                        + " modified, customer_name), 0)) FROM destination_order"));
        CompletableFuture.allOf(a, b).join();
    }

    private void hashAll(String db, String sql) {
        try (Connection c = DriverManager.getConnection(data.url(db)); Statement s = c.createStatement()) {
            s.execute("SET jit = off");
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void truncateCopyFloor() throws SQLException {
        try (Connection c = DriverManager.getConnection(data.url(BenchData.TARGET_DB)); Statement s = c.createStatement()) {
            s.execute("TRUNCATE copy_floor, copy_floor_keyed");
        }
    }

    /** Streams {@code rows} source rows (all when negative) by COPY from the source into the target's unlogged table. */
    private void copyFloor(long rows, String into) throws Exception {
        try (Connection src = DriverManager.getConnection(data.url(BenchData.SOURCE_DB));
             Connection dst = DriverManager.getConnection(data.url(BenchData.TARGET_DB))) {
            PipedInputStream in = new PipedInputStream(1 << 20);
            PipedOutputStream out = new PipedOutputStream(in);
            String query = "COPY (SELECT * FROM source_order" + (rows < 0 ? "" : " LIMIT " + rows) + ") TO STDOUT";
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                try (out) {
                    return src.unwrap(PGConnection.class).getCopyAPI().copyOut(query, out);
                } catch (SQLException | IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            dst.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + into + " FROM STDIN", in);
            reader.join();
        }
    }
}
