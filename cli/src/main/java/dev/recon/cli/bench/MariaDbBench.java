package dev.recon.cli.bench;

import dev.recon.Recon;
import dev.recon.SyncRequest;
import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.config.SyncOptions;
import java.nio.charset.StandardCharsets;
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
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * {@code recon bench --engine mariadb}: the benchmark's source table in a MariaDB (or MySQL)
 * database, the same rows as {@link BenchData}'s PostgreSQL source, and its PostgreSQL target;
 * recon's merge and hash from MariaDB against the floor of reading both sides whole, next to the
 * merge from the PostgreSQL source (a diff must find exactly the differences the tables hold,
 * so every one of the million rows is also an exactness check of the type rules).
 */
public final class MariaDbBench {
    private static final String COLUMNS = "id, reference, price, qty, note, updated_at, customer";
    private static final String TARGET_COLUMNS = "order_id, code, total_price, quantity, remark, modified,"
            + " customer_name";

    private final BenchData data;
    private final String mariaUrl;
    private final long rows;
    private final int runs;
    private final List<Bench.Line> lines = new ArrayList<>();
    private Path dir;

    public MariaDbBench(String pgUrl, String mariaUrl, String prefix, long rows, double changeRatio, int runs) {
        this.data = new BenchData(pgUrl, prefix, rows, changeRatio);
        this.mariaUrl = mariaUrl;
        this.rows = rows;
        this.runs = runs;
    }

    /** The MariaDB database the source table is in: {@code <prefix>_source}, on the server {@code --mariadb-url} names. */
    String mariaSourceUrl() {
        return BenchData.withDatabase(mariaUrl, data.sourceDb());
    }

    public BenchRun.Result execute(boolean generate, Consumer<String> say) throws Exception {
        if (generate) {
            say.accept("generating " + rows + " rows in PostgreSQL's " + data.sourceDb() + " and " + data.targetDb()
                    + ", and MariaDB's " + data.sourceDb());
            data.create(n -> { });
            createMariaDbSource();
        }
        String version;
        try (Connection m = DriverManager.getConnection(mariaSourceUrl()); Statement s = m.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION(), @@innodb_buffer_pool_size DIV 1048576")) {
            rs.next();
            version = rs.getString(1) + ", buffer pool " + rs.getLong(2) + " MiB";
        }
        Bench.inTempDirectory(d -> {
            dir = d;
            measure(say);
        });
        return new BenchRun.Result(lines, List.of(), BenchRun.machine(), rows, "source: MariaDB " + version);
    }

    /** The source rows of {@link BenchData#create}, value for value, in MariaDB (its sequence engine's seq_1_to_n). */
    private void createMariaDbSource() throws SQLException {
        try (Connection m = DriverManager.getConnection(mariaUrl); Statement s = m.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + data.sourceDb());
            s.execute("CREATE DATABASE " + data.sourceDb() + " CHARACTER SET utf8mb4");
        }
        try (Connection m = DriverManager.getConnection(mariaSourceUrl()); Statement s = m.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            s.execute("CREATE TABLE source_order (id bigint PRIMARY KEY, reference varchar(20) NOT NULL,"
                    + " price decimal(12,2), qty int, note varchar(20), updated_at timestamp(6) NULL DEFAULT NULL,"
                    + " customer varchar(30))");
            for (long from = 1; from <= rows; from += BenchData.CHUNK) {
                long to = Math.min(rows, from + BenchData.CHUNK - 1);
                s.execute("INSERT INTO source_order SELECT seq, CONCAT('ORD-', LPAD(seq, 10, '0')),"
                        + " (seq % 100000) / 100, seq % 50, CASE WHEN seq % 7 = 0 THEN NULL ELSE CONCAT('note ',"
                        + " seq % 1000) END, TIMESTAMP '2024-01-01 00:00:00.123456' + INTERVAL (seq * 1000001)"
                        + " MICROSECOND, CASE WHEN seq % 3 = 0 THEN NULL ELSE CONCAT('Customer ', seq % 5000) END"
                        + " FROM seq_" + from + "_to_" + to);
            }
            s.execute("ANALYZE TABLE source_order");
        }
    }

    private String yaml() {
        String columns = "    key: { id: order_id }\n"
                + "    columns: { reference: code, price: total_price, qty: quantity, note: remark,"
                + " updated_at: modified, customer: customer_name }\n";
        return "connections:\n"
                + "  maria: { url: \"" + mariaSourceUrl() + "\" }\n"
                + "  source: { url: \"" + data.url(data.sourceDb()) + "\" }\n"
                + "  target: { url: \"" + data.url(data.targetDb()) + "\" }\n"
                // the sync into MariaDB keeps its history beside the bench's own database, not in a shared 'recon'
                + "state:\n  schema: " + data.sourceDb() + "_state\n"
                + "syncs:\n"
                + "  - name: maria\n    source: { connection: maria, table: source_order }\n"
                + "    target: { connection: target, table: destination_order }\n" + columns
                + "  - name: maria_hash\n    source: { connection: maria, table: source_order }\n"
                + "    target: { connection: target, table: destination_order }\n" + columns
                + "    strategy: hash\n"
                + "  - name: into_maria\n    source: { connection: source, table: source_order }\n"
                + "    target: { connection: maria, table: pg_order }\n"
                + "    key: { id: order_id }\n"
                + "    columns: { reference: code, price: total_price, qty: quantity, note: remark,"
                + " updated_at: modified, customer: customer_name }\n"
                + "  - name: cross\n    source: { connection: source, table: source_order }\n"
                + "    target: { connection: target, table: destination_order }\n" + columns
                + "    strategy: merge\n";
    }

    private void measure(Consumer<String> say) throws Exception {
        long[] expected = data.expected();
        Path yaml = dir.resolve("mariadb.yaml");
        Files.writeString(yaml, yaml());
        Recon recon = new Recon(new ConfigLoader(Map.of()).parse(yaml(), "bench.yaml"));
        String floor = "each side's rows read whole into a client, concurrently";
        data.settle();
        say.accept("diff, MariaDB to PostgreSQL (merge)");
        Measure.Paired diff = Measure.paired(runs, () -> { }, () -> Bench.check(Bench.diff(recon, "maria"),
                expected), () -> { }, this::readBothFloor, true,
                () -> ReconProcess.diff(yaml, "maria", expected, dir));
        lines.add(new Bench.Line("diff, MariaDB source", "merge", diff, floor));
        say.accept("diff, MariaDB to PostgreSQL (hash across engines)");
        Measure.Paired hashed = Measure.paired(runs, () -> { }, () -> Bench.check(Bench.diff(recon, "maria_hash"),
                expected), () -> { }, this::readBothFloor, true,
                () -> ReconProcess.diff(yaml, "maria_hash", expected, dir));
        lines.add(new Bench.Line("diff, MariaDB source", "hash", hashed, floor));
        say.accept("diff, PostgreSQL to PostgreSQL (merge), the same rows");
        Measure.Paired pg = Measure.paired(runs, () -> { }, () -> Bench.check(Bench.diff(recon, "cross"), expected), () -> { },
                this::readBothFloor, true, () -> ReconProcess.diff(yaml, "cross", expected, dir));
        lines.add(new Bench.Line("diff, PostgreSQL source", "merge", pg, floor));

        long differing = expected[0] + expected[1] + expected[2];
        say.accept("sync of the differences, MariaDB to PostgreSQL");
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), true).withSamples(0);
        Measure.Paired synced = Measure.paired(runs, data::resetTarget,
                () -> Bench.converged(recon.sync(SyncRequest.of(List.of("maria"), options))), () -> { },
                this::readBothFloor, true, () -> ReconProcess.sync(yaml, "maria", dir));
        lines.add(new Bench.Line("sync, " + differing + " differences", "merge + upsert", synced, floor));

        say.accept("diff of equal tables, MariaDB to PostgreSQL");
        long[] none = {0, 0, 0};
        Measure.Paired equal = Measure.paired(runs, () -> { }, () -> Bench.check(Bench.diff(recon, "maria"), none),
                () -> { }, this::readBothFloor, true, () -> ReconProcess.diff(yaml, "maria", none, dir));
        lines.add(new Bench.Line("diff, equal tables", "merge", equal, floor));
        Measure.Paired equalHashed = Measure.paired(runs, () -> { }, () -> Bench.check(Bench.diff(recon, "maria_hash"),
                none), () -> { }, this::readBothFloor, true, () -> ReconProcess.diff(yaml, "maria_hash", none, dir));
        lines.add(new Bench.Line("diff, equal tables", "hash", equalHashed, floor));

        say.accept("initial load from MariaDB (empty destination)");
        Measure.Paired load = Measure.paired(runs, data::emptyTarget,
                () -> Bench.converged(recon.sync(SyncRequest.of(List.of("maria"), options))), this::truncateCopyFloor,
                this::copyFloor, true, () -> ReconProcess.sync(yaml, "maria", dir));
        lines.add(new Bench.Line("initial load", "sync into an empty table", load,
                "every source row read from MariaDB and COPYed into a table like the destination"));
        data.resetTarget();

        say.accept("initial load into MariaDB from PostgreSQL (empty MariaDB table)");
        createMariaDbTargets();
        Measure.Paired intoMaria = Measure.paired(runs, () -> truncateMaria("pg_order"),
                () -> Bench.converged(recon.sync(SyncRequest.of(List.of("into_maria"), options))),
                () -> truncateMaria("pg_order_floor"), this::loadDataFloor, true,
                () -> ReconProcess.sync(yaml, "into_maria", dir));
        lines.add(new Bench.Line("initial load into MariaDB", "sync into an empty MariaDB table", intoMaria,
                "every source row read from PostgreSQL and written by LOAD DATA LOCAL INFILE into a MariaDB table"
                        + " like the target"));
        truncateMaria("pg_order");
    }

    private static final String MARIA_TARGET = " (order_id bigint PRIMARY KEY, code varchar(20) NOT NULL,"
            + " total_price decimal(12,2), quantity int, remark varchar(20), modified timestamp(6) NULL DEFAULT NULL,"
            + " customer_name varchar(30)) DEFAULT CHARSET=utf8mb4";

    /** The MariaDB tables a PostgreSQL source is loaded into: the target, and the floor's twin. */
    private void createMariaDbTargets() throws SQLException {
        try (Connection m = DriverManager.getConnection(mariaSourceUrl()); Statement s = m.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS pg_order" + MARIA_TARGET);
            s.execute("CREATE TABLE IF NOT EXISTS pg_order_floor" + MARIA_TARGET);
        }
    }

    private void truncateMaria(String table) throws SQLException {
        try (Connection m = DriverManager.getConnection(mariaSourceUrl()); Statement s = m.createStatement()) {
            s.execute("TRUNCATE " + table);
        }
    }

    /**
     * Every source row read from PostgreSQL (as text, in UTC) and written into the floor's twin
     * by one {@code LOAD DATA LOCAL INFILE} streamed from memory: MariaDB's own bulk load.
     */
    private void loadDataFloor() throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection src = DriverManager.getConnection(data.url(data.sourceDb()));
             Statement s = src.createStatement()) {
            src.setAutoCommit(false);
            s.execute("SET TimeZone = 'UTC'");
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT id, reference, price, qty, note,"
                    + " to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.US'), customer FROM source_order")) {
                while (rs.next()) {
                    for (int i = 1; i <= 7; i++) {
                        String v = rs.getString(i);
                        sb.append(i > 1 ? "\t" : "").append(v == null ? "\\N" : v);
                    }
                    sb.append('\n');
                }
            }
            src.commit();
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        try (Connection m = DriverManager.getConnection(mariaSourceUrl() + "&allowLocalInfile=true");
             Statement s = m.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            s.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(
                    new java.io.ByteArrayInputStream(bytes));
            s.execute("LOAD DATA LOCAL INFILE 'floor.tsv' INTO TABLE pg_order_floor CHARACTER SET utf8mb4");
        }
    }

    /** Both sides' mapped columns, every row, read as text by a client (no order), at once. */
    private void readBothFloor() {
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> Bench.readAll(mariaSourceUrl(),
                "SELECT " + COLUMNS + " FROM source_order"));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> Bench.readAll(data.url(data.targetDb()),
                "SELECT " + TARGET_COLUMNS + " FROM destination_order"));
        CompletableFuture.allOf(a, b).join();
    }

    private void truncateCopyFloor() throws SQLException {
        try (Connection c = DriverManager.getConnection(data.url(data.targetDb())); Statement s = c.createStatement()) {
            s.execute("TRUNCATE copy_floor_keyed");
        }
    }

    /** Every source row read from MariaDB and written by COPY into the destination's keyed twin. */
    private void copyFloor() throws SQLException {
        try (Connection m = DriverManager.getConnection(mariaSourceUrl());
             Connection dst = DriverManager.getConnection(data.url(data.targetDb()));
             Statement s = m.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            s.setFetchSize(10_000);
            CopyIn in = dst.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copy_floor_keyed FROM STDIN");
            try (ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM source_order")) {
                StringBuilder sb = new StringBuilder();
                while (rs.next()) {
                    for (int i = 1; i <= 7; i++) {
                        String v = rs.getString(i);
                        sb.append(i > 1 ? "\t" : "").append(v == null ? "\\N" : i == 6 ? v + "+00" : v);
                    }
                    sb.append('\n');
                    if (sb.length() > 1 << 16) {
                        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                        in.writeToCopy(b, 0, b.length);
                        sb.setLength(0);
                    }
                }
                byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                in.writeToCopy(b, 0, b.length);
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        }
    }
}
