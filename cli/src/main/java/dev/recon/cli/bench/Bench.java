package dev.recon.cli.bench;

import dev.recon.DiffRequest;
import dev.recon.Recon;
import dev.recon.SyncRequest;
import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.config.Operation;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * The measurements of {@code recon bench}: each recon operation next to the floor that the
 * databases themselves set for the same work, medians over several runs, in this JVM.
 */
public final class Bench {
    /** One line of the result table. */
    public record Line(String name, String detail, Measure.Result recon, double floorSeconds, String floorName,
            double wholeSeconds, double wholeMin, double wholeMax) {
        Line(String name, String detail, Measure.Paired p, String floorName) {
            this(name, detail, p.recon(), p.floorSeconds(), floorName, p.wholeSeconds(), p.wholeMin(), p.wholeMax());
        }

        public double ratio() {
            return recon.seconds() / floorSeconds;
        }

        /** The whole process against the floor. */
        public double wholeRatio() {
            return wholeSeconds / floorSeconds;
        }
    }

    /**
     * recon's hash diff against pg_comparator on the same tables, run in alternation: recon in
     * this process, pg_comparator's process, recon as a process of its own.
     */
    public record Versus(String tables, double reconSeconds, double pgComparatorSeconds, double reconWholeSeconds) {
        public double speedup() {
            return pgComparatorSeconds / reconSeconds;
        }

        /** Whole process against whole process. */
        public double wholeSpeedup() {
            return pgComparatorSeconds / reconWholeSeconds;
        }
    }

    private final BenchData data;
    private final int runs;
    private final List<String> strategies;
    private final PgComparator pgComparator;
    private final List<Line> lines = new ArrayList<>();
    private final List<Versus> versus = new ArrayList<>();
    /** Where the whole-process runs' mapping files and reports go, during {@link #run}. */
    private Path dir;

    /** {@code pgComparator} may be null: not installed here. */
    Bench(BenchData data, int runs, List<String> strategies, PgComparator pgComparator) {
        this.data = data;
        this.runs = runs;
        this.strategies = strategies;
        this.pgComparator = pgComparator;
    }

    private int threads;
    private int shards;
    private long rows;

    /**
     * Also measures the cross-database hash with {@code threads} key ranges at once (above 1),
     * and a sync of equal tables cut into {@code shards} key ranges, shard by shard (above 1),
     * for tables of {@code rows} rows.
     */
    Bench withRanges(int threads, int shards, long rows) {
        this.threads = threads;
        this.shards = shards;
        this.rows = rows;
        return this;
    }

    /** The benchmark's mapping file, with the mappings of {@link #withRanges}: the cross one, cut. */
    private String mappingYaml(String strategy) {
        String base = data.mappingYaml(strategy);
        String cross = base.substring(base.indexOf("  - name: cross\n"), base.indexOf("  - name: ruled\n"));
        StringBuilder out = new StringBuilder(base);
        if (threads > 1) {
            out.append(cross.replace("name: cross", "name: threaded")).append("    threads: ").append(threads)
                    .append("\n");
        }
        if (shards > 1) {
            // a share and 5% more: the planner's estimate of the rows, from which the ranges are counted, runs a
            // little above the rows generated, and a share exactly would cut one range more than there are shards
            out.append(cross.replace("name: cross", "name: split")).append("    split_rows: ")
                    .append((rows + shards - 1) / shards * 21 / 20).append("\n");
        }
        return out.toString();
    }

    List<Line> lines() {
        return lines;
    }

    List<Versus> versus() {
        return versus;
    }

    void run(Consumer<String> say) throws Exception {
        inTempDirectory(d -> {
            dir = d;
            measure(say);
        });
    }

    /** Work given a directory of its own, for the whole-process runs' files. */
    interface InDirectory {
        void run(Path dir) throws Exception;
    }

    /** Runs {@code work} in a new temporary directory, removed afterwards with what it holds. */
    static void inTempDirectory(InDirectory work) throws Exception {
        Path dir = Files.createTempDirectory("recon-bench");
        try {
            work.run(dir);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The mapping file of {@code strategy} for the whole-process runs. */
    private Path yaml(String strategy) throws IOException {
        Path file = dir.resolve(strategy + ".yaml");
        if (!Files.exists(file)) {
            Files.writeString(file, mappingYaml(strategy));
        }
        return file;
    }

    private void measure(Consumer<String> say) throws Exception {
        long[] expected = data.expected();
        data.settle();
        say.accept("same-server diff (join)");
        Recon join = recon("hash");
        String joinQuery = join.joinQueries(List.of("same")).get(0);
        Path hashYaml = yaml("hash");
        Measure.Paired sameDiff = Measure.paired(runs, () -> { }, () -> check(diff(join, "same"), expected), () -> { },
                () -> joinFloor(joinQuery), true, () -> ReconProcess.diff(hashYaml, "same", expected, dir));
        lines.add(new Line("diff, same server", "join", sameDiff, "recon's FULL OUTER JOIN query, counted in the server"));

        for (String strategy : strategies) {
            say.accept("cross-database diff (" + strategy + ")");
            Recon r = recon(strategy);
            Path strategyYaml = yaml(strategy);
            Measure.Paired cross = Measure.paired(runs, () -> { }, () -> check(diff(r, "cross"), expected), () -> { },
                    this::readAndHashFloor, true, () -> ReconProcess.diff(strategyYaml, "cross", expected, dir));
            lines.add(new Line("diff, two databases", strategy, cross,
                    "each side reads and hashes every row once, concurrently"));
            say.accept("cross-database diff with comparison rules (" + strategy + ")");
            Measure.Paired ruled = Measure.paired(runs, () -> { }, () -> check(diff(r, "ruled"), expected), () -> { },
                    this::readAndHashFloor, true, () -> ReconProcess.diff(strategyYaml, "ruled", expected, dir));
            lines.add(new Line("diff, two databases, rules", strategy, ruled,
                    "each side reads and hashes every row once, concurrently"));
        }
        if (threads > 1) {
            say.accept("cross-database diff (hash, threads " + threads + ")");
            Recon t = recon("hash");
            Path threadYaml = yaml("hash");
            Measure.Paired threaded = Measure.paired(runs, () -> { }, () -> check(diff(t, "threaded"), expected),
                    () -> { }, this::readAndHashFloor, true,
                    () -> ReconProcess.diff(threadYaml, "threaded", expected, dir));
            lines.add(new Line("diff, two databases, threads " + threads, "hash", threaded,
                    "each side reads and hashes every row once, concurrently"));
        }
        long differing = expected[0] + expected[1] + expected[2];
        Recon hash = recon("hash");
        if (pgComparator != null) {
            say.accept("pg_comparator, " + differing + " differences");
            versus(hash, expected, differing + " differences", say);
        }
        say.accept("sync of the differences");
        Recon sync = hash;
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), true).withSamples(0);
        Measure.Paired synced = Measure.paired(runs, data::resetTarget,
                () -> converged(sync.sync(SyncRequest.of(List.of("cross"), options))), this::truncateCopyFloor,
                () -> copyFloor(differing, "copy_floor"), true, () -> ReconProcess.sync(hashYaml, "cross", dir));
        lines.add(new Line("sync, " + differing + " differences", "hash + upsert", synced,
                "COPY of as many rows into an unlogged table"));

        // the last sync left the destination equal to the source
        say.accept("cross-database diff of equal tables (hash)");
        long[] none = {0, 0, 0};
        Measure.Paired equal = Measure.paired(runs, () -> { }, () -> check(diff(hash, "cross"), none), () -> { },
                this::readAndHashFloor, true, () -> ReconProcess.diff(hashYaml, "cross", none, dir));
        lines.add(new Line("diff, equal tables", "hash", equal, "each side reads and hashes every row once, concurrently"));
        if (pgComparator != null) {
            say.accept("pg_comparator, equal tables");
            versus(hash, none, "equal tables", say);
        }
        if (threads > 1) {
            say.accept("cross-database diff of equal tables (hash, threads " + threads + ")");
            Path threadYaml = yaml("hash");
            Measure.Paired threaded = Measure.paired(runs, () -> { }, () -> check(diff(hash, "threaded"), none),
                    () -> { }, this::readAndHashFloor, true,
                    () -> ReconProcess.diff(threadYaml, "threaded", none, dir));
            lines.add(new Line("diff, equal tables, threads " + threads, "hash", threaded,
                    "each side reads and hashes every row once, concurrently"));
        }
        if (shards > 1) {
            // equal tables: a sync that finds nothing to write, the whole table, then each shard's ranges
            say.accept("sync of equal tables, whole (hash)");
            Measure.Paired whole = Measure.paired(runs, () -> { }, () -> converged(sync.sync(SyncRequest.of(
                    List.of("cross"), options))), () -> { }, this::readAndHashFloor, true,
                    () -> ReconProcess.sync(hashYaml, "cross", dir));
            lines.add(new Line("sync, equal tables, whole", "hash", whole, "each side reads and hashes every row once,"
                    + " concurrently"));
            for (int i = 0; i < shards; i++) {
                int shard = i;
                say.accept("sync of equal tables, shard " + shard + "/" + shards + " (hash, split_rows)");
                SyncRequest mine = SyncRequest.of(List.of("split"), options)
                        .withRanges(new dev.recon.config.RangeOptions(shard, shards, 0, false));
                Measure.Paired part = Measure.paired(runs, () -> { }, () -> converged(sync.sync(mine)), () -> { },
                        this::readAndHashFloor, true, () -> ReconProcess.sync(hashYaml, "split", dir, "--shard",
                                shard + "/" + shards));
                lines.add(new Line("sync, equal tables, shard " + shard + "/" + shards, "hash", part,
                        "the whole table read and hashed once (not a share)"));
            }
        }

        say.accept("initial load (empty destination)");
        Measure.Paired load = Measure.paired(runs, data::emptyTarget,
                () -> converged(sync.sync(SyncRequest.of(List.of("cross"), options))), this::truncateCopyFloor,
                () -> copyFloor(-1, "copy_floor_keyed"), true, () -> ReconProcess.sync(hashYaml, "cross", dir));
        lines.add(new Line("initial load", "sync into an empty table", load,
                "COPY of the whole table into a table like the destination (logged, primary key)"));
        data.resetTarget();
        startUp(say);
    }

    /**
     * What a user waits for before any table is large: a diff of two 7-row tables on one server
     * (the demo's size) and {@code recon --version}, as whole processes against the JVM's own
     * start ({@code java -version} of the same runtime); the diff's median {@code plan_ms}.
     */
    private void startUp(Consumer<String> say) throws Exception {
        String jvmStart = "the JVM's own start: java -version of the same runtime";
        say.accept("start-up: a diff of two 7-row tables, and --version");
        data.createTiny();
        Path tinyYaml = dir.resolve("tiny.yaml");
        Files.writeString(tinyYaml, data.tinyYaml());
        Recon tiny = new Recon(new ConfigLoader(Map.of()).parse(data.tinyYaml(), "tiny.yaml"));
        long[] oneUpdate = {0, 1, 0};
        List<Long> planMs = new ArrayList<>();
        Measure.Paired diffed = Measure.paired(runs, () -> { }, () -> check(diff(tiny, "tiny"), oneUpdate), () -> { },
                ReconProcess::jvmStart, false, () -> planMs.add(ReconProcess.diff(tinyYaml, "tiny", oneUpdate, dir)));
        Collections.sort(planMs);
        say.accept("start-up: the whole-process diffs of 7 rows planned in " + planMs.get(planMs.size() / 2)
                + " ms (plan_ms, median; " + planMs.get(0) + "-" + planMs.get(planMs.size() - 1) + ")");
        lines.add(new Line("start-up: diff, 7 rows", "join", diffed, jvmStart));
        Measure.Paired version = Measure.paired(runs, () -> { }, () -> { }, () -> { }, ReconProcess::jvmStart, false,
                ReconProcess::version);
        lines.add(new Line("start-up: --version", "recon --version", version, jvmStart));
    }

    /** recon's hash diff and pg_comparator in alternation on the tables as they are; a line unless pg_comparator errs. */
    private void versus(Recon hash, long[] expected, String tables, Consumer<String> say)
            throws Exception {
        long differing = expected[0] + expected[1] + expected[2];
        try {
            Path hashYaml = yaml("hash");
            Measure.Paired vs = Measure.paired(runs, () -> { }, () -> check(diff(hash, "cross"), expected), () -> { },
                    () -> pgComparator.compare(differing), false,
                    () -> ReconProcess.diff(hashYaml, "cross", expected, dir));
            versus.add(new Versus(tables, vs.recon().seconds(), vs.floorSeconds(), vs.wholeSeconds()));
        } catch (PgComparator.Mismatch e) {
            say.accept(e.getMessage());
        }
    }

    /** A diff of one mapping as the benchmark times it: no samples, nothing rendered. */
    static RunResult diff(Recon recon, String mapping) {
        return recon.diff(DiffRequest.of(List.of(mapping)).withSamples(0));
    }

    private Recon recon(String strategy) {
        return new Recon(new ConfigLoader(Map.of()).parse(mappingYaml(strategy), "bench.yaml"));
    }

    static void check(RunResult report, long[] expected) {
        if (!report.errors().isEmpty()) {
            throw new IllegalStateException("the diff failed: " + report.errors());
        }
        // a mapping cut into key ranges: its ranges added up
        long[] found = new long[3];
        for (MappingResult s : report.mappings()) {
            found[0] += s.count(Operation.INSERT);
            found[1] += s.count(Operation.UPDATE);
            found[2] += s.count(Operation.DELETE);
        }
        if (!Arrays.equals(found, expected)) {
            throw new IllegalStateException("the diff found " + Arrays.toString(found) + " but the tables"
                    + " hold " + Arrays.toString(expected) + " (insert, update, delete)");
        }
    }

    static void converged(RunResult report) {
        if (!report.converged()) {
            throw new IllegalStateException("the benchmark sync did not converge: " + report.errors());
        }
    }

    /** recon's own diff query, counted inside the server: what a same-server diff cannot beat. */
    private void joinFloor(String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(data.url(data.sourceDb())); Statement s = c.createStatement()) {
            s.execute("SET jit = off");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + query + ") AS diff")) {
                rs.next();
            }
        }
    }

    private void readAndHashFloor() {
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> hashAll(data.sourceDb(),
                "SELECT count(*), bit_xor(hash_record_extended(ROW(id, reference, price, qty, note, updated_at,"
                        + " customer), 0)) FROM source_order"));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> hashAll(data.targetDb(),
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
        try (Connection c = DriverManager.getConnection(data.url(data.targetDb())); Statement s = c.createStatement()) {
            s.execute("TRUNCATE copy_floor, copy_floor_keyed");
        }
    }

    /** Streams {@code rows} source rows (all when negative) by COPY from the source into the target's unlogged table. */
    private void copyFloor(long rows, String into) throws Exception {
        try (Connection src = DriverManager.getConnection(data.url(data.sourceDb()));
             Connection dst = DriverManager.getConnection(data.url(data.targetDb()))) {
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

    /** Every row of {@code sql} read whole into a client as text, in one transaction (a floor). */
    static void readAll(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10_000);
                long chars = 0;
                try (ResultSet rs = s.executeQuery(sql)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            String v = rs.getString(i);
                            chars += v == null ? 0 : v.length();
                        }
                    }
                }
                if (chars == 0) {
                    throw new IllegalStateException("nothing read by " + sql);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
