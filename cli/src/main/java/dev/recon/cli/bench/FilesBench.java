package dev.recon.cli.bench;

import dev.recon.Recon;
import dev.recon.SyncRequest;
import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.config.SyncOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code recon bench --engine files}: the benchmark's source rows ({@link BenchData}) as a Parquet
 * file and as a CSV file, read by DuckDB inside recon, against the PostgreSQL target: merge and
 * hash from Parquet, merge from CSV with its types pinned, a sync of the differences, and equal
 * tables, each against the floor of reading both sides whole at once (the file by DuckDB into a
 * client, the table by a client). Every diff must find exactly the differences the tables hold.
 */
public final class FilesBench {
    private final BenchData data;
    private final long rows;
    private final int runs;
    private final List<Bench.Line> lines = new ArrayList<>();
    private Path dir;

    public FilesBench(String pgUrl, String prefix, long rows, double changeRatio, int runs) {
        this.data = new BenchData(pgUrl, prefix, rows, changeRatio);
        this.rows = rows;
        this.runs = runs;
    }

    public BenchRun.Result execute(boolean generate, Consumer<String> say) throws Exception {
        Class.forName("org.duckdb.DuckDBDriver"); // DuckDB's driver does not register itself
        if (generate) {
            say.accept("generating " + rows + " rows in PostgreSQL's " + data.sourceDb() + " and " + data.targetDb());
            data.create(n -> { });
        }
        Bench.inTempDirectory(d -> {
            dir = d;
            say.accept("writing the source as " + dir.resolve("source.parquet") + " and source.csv");
            export();
            measure(say);
        });
        return new BenchRun.Result(lines, List.of(), BenchRun.machine(), rows,
                "source: the source table as a Parquet file and a CSV file, read by DuckDB inside recon");
    }

    private Path parquet() {
        return dir.resolve("source.parquet");
    }

    private Path csv() {
        return dir.resolve("source.csv");
    }

    /** The source table as CSV (PostgreSQL's COPY, in UTC), and that CSV as Parquet (DuckDB), with its types. */
    private void export() throws Exception {
        try (Connection src = DriverManager.getConnection(data.url(data.sourceDb()));
             Statement s = src.createStatement();
             java.io.Writer out = Files.newBufferedWriter(csv())) {
            s.execute("SET TimeZone = 'UTC'");
            src.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyOut("COPY source_order TO STDOUT"
                    + " (FORMAT csv, HEADER)", out);
        }
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:"); Statement s = d.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("COPY (SELECT * FROM " + csvReader() + ") TO '" + parquet() + "' (FORMAT parquet)");
        }
    }

    private String csvReader() {
        return "read_csv('" + csv() + "', header = true, types = {'id': 'BIGINT', 'reference': 'VARCHAR', 'price':"
                + " 'DECIMAL(12,2)', 'qty': 'INTEGER', 'note': 'VARCHAR', 'updated_at': 'TIMESTAMPTZ', 'customer':"
                + " 'VARCHAR'})";
    }

    private String yaml() {
        String target = "    target: { connection: target, table: destination_order }\n"
                + "    key: { id: order_id }\n"
                + "    columns: { reference: code, price: total_price, qty: quantity, note: remark,"
                + " updated_at: modified, customer: customer_name }\n";
        return "connections:\n"
                + "  target: { url: \"" + data.url(data.targetDb()) + "\" }\n"
                + "state:\n  schema: " + data.targetDb() + "_state\n"
                + "syncs:\n"
                + "  - name: parquet\n    source: { files: \"" + parquet() + "\" }\n" + target
                + "  - name: parquet_hash\n    source: { files: \"" + parquet() + "\" }\n" + target
                + "    strategy: hash\n"
                + "  - name: csv\n    source: { files: \"" + csv() + "\", header: true, types: { id: bigint,"
                + " reference: varchar, price: \"decimal(12,2)\", qty: integer, note: varchar, updated_at: timestamptz,"
                + " customer: varchar } }\n" + target;
    }

    private void measure(Consumer<String> say) throws Exception {
        long[] expected = data.expected();
        Path yaml = dir.resolve("files.yaml");
        Files.writeString(yaml, yaml());
        Recon recon = new Recon(new ConfigLoader(Map.of()).parse(yaml(), "bench.yaml"));
        String floor = "each side's rows read whole into a client, concurrently: the file by DuckDB, the table by"
                + " PostgreSQL";
        data.settle();
        say.accept("diff, Parquet to PostgreSQL (merge)");
        lines.add(new Bench.Line("diff, Parquet source", "merge", diff(recon, yaml, "parquet", expected,
                () -> readBothFloor(parquet().toString())), floor));
        say.accept("diff, Parquet to PostgreSQL (hash across engines)");
        lines.add(new Bench.Line("diff, Parquet source", "hash", diff(recon, yaml, "parquet_hash", expected,
                () -> readBothFloor(parquet().toString())), floor));
        say.accept("diff, CSV to PostgreSQL (merge)");
        lines.add(new Bench.Line("diff, CSV source", "merge", diff(recon, yaml, "csv", expected,
                () -> readBothFloor(csvReader())), floor));

        long differing = expected[0] + expected[1] + expected[2];
        say.accept("sync of the differences, Parquet to PostgreSQL");
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), true).withSamples(0);
        Measure.Paired synced = Measure.paired(runs, data::resetTarget,
                () -> Bench.converged(recon.sync(SyncRequest.of(List.of("parquet"), options))), () -> { },
                () -> readBothFloor(parquet().toString()), true, () -> ReconProcess.sync(yaml, "parquet", dir));
        lines.add(new Bench.Line("sync, " + differing + " differences", "merge + upsert", synced, floor));

        say.accept("diff of equal tables, Parquet and CSV to PostgreSQL");
        long[] none = {0, 0, 0};
        lines.add(new Bench.Line("diff, equal tables, Parquet", "merge", diff(recon, yaml, "parquet", none,
                () -> readBothFloor(parquet().toString())), floor));
        lines.add(new Bench.Line("diff, equal tables, Parquet", "hash", diff(recon, yaml, "parquet_hash", none,
                () -> readBothFloor(parquet().toString())), floor));
        lines.add(new Bench.Line("diff, equal tables, CSV", "merge", diff(recon, yaml, "csv", none,
                () -> readBothFloor(csvReader())), floor));
        data.resetTarget();
    }

    private Measure.Paired diff(Recon recon, Path yaml, String mapping, long[] expected, Measure.Work floor)
            throws Exception {
        return Measure.paired(runs, () -> { }, () -> Bench.check(Bench.diff(recon, mapping), expected), () -> { },
                floor, true, () -> ReconProcess.diff(yaml, mapping, expected, dir));
    }

    /** The file's rows read whole by DuckDB into a client, and the target's by PostgreSQL, at once, as text. */
    private void readBothFloor(String relation) {
        String from = relation.startsWith("read_") ? relation : "'" + relation + "'";
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> Bench.readAll("jdbc:duckdb:",
                "SELECT id, reference, price, qty, note, updated_at, customer FROM " + from));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> Bench.readAll(data.url(data.targetDb()),
                "SELECT order_id, code, total_price, quantity, remark, modified, customer_name FROM destination_order"));
        CompletableFuture.allOf(a, b).join();
    }
}
