package dev.recon.cli.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongConsumer;

/**
 * The benchmark's tables: {@code source_order} in one database and a differently named,
 * differently columned {@code destination_order} in another (and a copy of it beside the
 * source, for the same-server diff), differing in a known share of rows: half of the
 * differing rows are updates, a quarter are missing from the destination, a quarter extra.
 */
final class BenchData {
    static final int CHUNK = 100_000;

    private final String adminUrl;
    private final String prefix;
    private final long rows;
    private final double changeRatio;

    BenchData(String adminUrl, String prefix, long rows, double changeRatio) {
        this.adminUrl = adminUrl;
        this.prefix = prefix;
        this.rows = rows;
        this.changeRatio = changeRatio;
    }

    /** The source database: {@code <prefix>_source}. */
    String sourceDb() {
        return prefix + "_source";
    }

    /** The target database: {@code <prefix>_target}. */
    String targetDb() {
        return prefix + "_target";
    }

    /**
     * Rows per block; each block holds four differing rows (two updated, one missing from the
     * destination, one extra in it), so 4 / block is the change ratio.
     */
    long every() {
        return Math.max(8, Math.round(4 / changeRatio));
    }

    /** Differences the generated tables hold: {insert, update, delete}. */
    long[] expected() {
        long m = every();
        return new long[] {residues(m / 4, m), residues(0, m) + residues(m / 2, m), Math.max(1, rows / m)};
    }

    /** How many g in 1..rows have g % m == r. */
    private long residues(long r, long m) {
        return r == 0 ? rows / m : rows < r ? 0 : (rows - r) / m + 1;
    }

    String url(String database) {
        return withDatabase(adminUrl, database);
    }

    /** {@code url} with its database (the path after host:port) replaced by {@code database}. */
    static String withDatabase(String url, String database) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }

    /** Creates both databases and fills them; {@code progress} hears the rows written. */
    void create(LongConsumer progress) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            for (String db : new String[] {sourceDb(), targetDb()}) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + db);
            }
        }
        String table = "(order_id bigint PRIMARY KEY, code text NOT NULL, total_price numeric(12,2),"
                + " quantity integer, remark text, modified timestamptz, customer_name text)";
        try (Connection src = DriverManager.getConnection(url(sourceDb()));
             Connection dst = DriverManager.getConnection(url(targetDb()));
             Statement s = src.createStatement(); Statement d = dst.createStatement()) {
            s.execute("CREATE TABLE source_order (id bigint PRIMARY KEY, reference text NOT NULL,"
                    + " price numeric(12,2), qty integer, note text, updated_at timestamptz, customer text)");
            s.execute("CREATE TABLE destination_order " + table);
            d.execute("CREATE TABLE destination_order " + table);
            d.execute("CREATE TABLE destination_pristine " + table);
            long every = every();
            for (long from = 1; from <= rows; from += CHUNK) {
                long to = Math.min(rows, from + CHUNK - 1);
                String gen = " FROM generate_series(" + from + ", " + to + ") g";
                s.execute("INSERT INTO source_order SELECT g, 'ORD-' || lpad(g::text, 10, '0'), (g % 100000) / 100.0,"
                        + " g % 50, CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || (g % 1000) END,"
                        + " timestamptz '2024-01-01 00:00:00.123456+00' + g * interval '1.000001 second',"
                        + " CASE WHEN g % 3 = 0 THEN NULL ELSE 'Customer ' || (g % 5000) END" + gen);
                // the destination: a quarter of the differing rows missing, half changed
                String dest = "SELECT g, 'ORD-' || lpad(g::text, 10, '0'),"
                        + " (g % 100000) / 100.0 + CASE WHEN g % " + every + " = 0 THEN 1 ELSE 0 END,"
                        + " g % 50 + CASE WHEN g % " + every + " = " + every / 2 + " THEN 1 ELSE 0 END,"
                        + " CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || (g % 1000) END,"
                        + " timestamptz '2024-01-01 00:00:00.123456+00' + g * interval '1.000001 second',"
                        + " CASE WHEN g % 3 = 0 THEN NULL ELSE 'Customer ' || (g % 5000) END" + gen
                        + " WHERE g % " + every + " <> " + every / 4;
                s.execute("INSERT INTO destination_order " + dest);
                d.execute("INSERT INTO destination_pristine " + dest);
                progress.accept(to - from + 1);
            }
            // a quarter of the differing rows are extra in the destination
            String extra = "SELECT " + (rows + 1) + " + g, 'EXTRA-' || g, 1, 1, 'extra', now(), NULL"
                    + " FROM generate_series(1, " + Math.max(1, rows / every) + ") g";
            s.execute("INSERT INTO destination_order " + extra);
            d.execute("INSERT INTO destination_pristine " + extra);
            d.execute("INSERT INTO destination_order SELECT * FROM destination_pristine");
            s.execute("VACUUM ANALYZE source_order");
            s.execute("VACUUM ANALYZE destination_order");
            d.execute("VACUUM ANALYZE destination_order");
            d.execute("VACUUM ANALYZE destination_pristine");
            d.execute("CREATE UNLOGGED TABLE copy_floor (LIKE destination_order)");
            d.execute("CREATE TABLE copy_floor_keyed (LIKE destination_order INCLUDING ALL)");
        }
        settle();
    }

    /**
     * Writes out what the last changes left in shared buffers (CHECKPOINT), so that the next
     * measurement does not share the disk and CPU with a checkpoint they started. Needs a
     * superuser or pg_checkpoint; without, the benchmark goes on (and is noisier).
     */
    void settle() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /**
     * Two tables of 7 rows on the source's server for the start-up lines, the demo's size:
     * {@code tiny_source} and {@code tiny_target} (the target's names), one row differing.
     */
    void createTiny() throws SQLException {
        try (Connection src = DriverManager.getConnection(url(sourceDb())); Statement s = src.createStatement()) {
            s.execute("DROP TABLE IF EXISTS tiny_source, tiny_target");
            s.execute("CREATE TABLE tiny_source (LIKE source_order INCLUDING ALL)");
            s.execute("INSERT INTO tiny_source SELECT * FROM source_order ORDER BY id LIMIT 7");
            s.execute("CREATE TABLE tiny_target AS SELECT id AS order_id, reference AS code, price AS total_price,"
                    + " qty AS quantity, note AS remark, updated_at AS modified, customer AS customer_name"
                    + " FROM tiny_source");
            s.execute("ALTER TABLE tiny_target ADD PRIMARY KEY (order_id)");
            s.execute("UPDATE tiny_target SET quantity = coalesce(quantity, 0) + 1"
                    + " WHERE order_id = (SELECT min(order_id) FROM tiny_target)");
            s.execute("ANALYZE tiny_source; ANALYZE tiny_target");
        }
    }

    /** The start-up lines' mapping file: {@code tiny}, the two tables of {@link #createTiny} on one server. */
    String tinyYaml() {
        return "connections:\n  source: { url: \"" + url(sourceDb()) + "\" }\nsyncs:\n"
                + "  - name: tiny\n    source: { connection: source, table: tiny_source }\n"
                + "    target: { connection: source, table: tiny_target }\n"
                + "    key: { id: order_id }\n"
                + "    columns: { reference: code, price: total_price, qty: quantity, note: remark,"
                + " updated_at: modified, customer: customer_name }\n";
    }

    /** Puts the destination back to its differing state (not timed). */
    void resetTarget() throws SQLException {
        try (Connection dst = DriverManager.getConnection(url(targetDb())); Statement d = dst.createStatement()) {
            d.execute("TRUNCATE destination_order");
            d.execute("INSERT INTO destination_order SELECT * FROM destination_pristine");
            d.execute("VACUUM ANALYZE destination_order");
        }
        settle();
    }

    /** Empties the destination for an initial load (not timed). */
    void emptyTarget() throws SQLException {
        try (Connection dst = DriverManager.getConnection(url(targetDb())); Statement d = dst.createStatement()) {
            d.execute("TRUNCATE destination_order");
            d.execute("VACUUM ANALYZE destination_order");
        }
        settle();
    }

    /** The mapping file the benchmark uses: "same" on one database, "cross" across the two. */
    String mappingYaml(String strategy) {
        String columns = "    key: { id: order_id }\n"
                + "    columns: { reference: code, price: total_price, qty: quantity, note: remark,"
                + " updated_at: modified, customer: customer_name }\n";
        return "connections:\n"
                + "  source: { url: \"" + url(sourceDb()) + "\" }\n"
                + "  target: { url: \"" + url(targetDb()) + "\" }\n"
                + "syncs:\n"
                + "  - name: same\n    source: { connection: source, table: source_order }\n"
                + "    target: { connection: source, table: destination_order }\n" + columns
                + "  - name: cross\n    source: { connection: source, table: source_order }\n"
                + "    target: { connection: target, table: destination_order }\n" + columns
                + "    strategy: " + strategy + "\n"
                // the same with comparison rules on a number and a timestamp, which forgive none of the differences
                + "  - name: ruled\n    source: { connection: source, table: source_order }\n"
                + "    target: { connection: target, table: destination_order }\n" + columns
                + "    strategy: " + strategy + "\n"
                + "    rules: { total_price: { tolerance: 0.005 }, modified: { precision: ms } }\n";
    }
}
