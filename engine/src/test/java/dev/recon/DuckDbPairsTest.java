package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.base.ReconException;
import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.config.SyncOptions;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB and files in every pairing of the seam, against the join oracle: random tables (0 to
 * 2,500 rows; NULLs; text keys that differ by case, a trailing space, an accent; composite keys)
 * held alike by PostgreSQL, MariaDB, a DuckDB database file, a Parquet file and a CSV file, the
 * targets changed alike. Every pairing's changes, by merge and by hash, are the ones the join
 * finds between PostgreSQL's copies, change for change and value for value; syncs into
 * MariaDB and into DuckDB converge.
 */
class DuckDbPairsTest {
    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    @TempDir
    Path dir;

    private static final String[] NAMES = {"a", "A", "a ", "á", "b", "日本", "\uD83D\uDE00", "", "x\ty", "O'Brien"};

    private static final String PG = "(code text NOT NULL, id bigint NOT NULL, amount numeric(12,2), small integer,"
            + " flag boolean, d date, ts timestamp, note text, PRIMARY KEY (code, id))";
    private static final String MARIA = "(code varchar(40) COLLATE utf8mb4_nopad_bin NOT NULL, id bigint NOT NULL,"
            + " amount decimal(12,2), small int, flag tinyint(1), d date, ts datetime(6), note text COLLATE"
            + " utf8mb4_nopad_bin, PRIMARY KEY (code, id)) CHARACTER SET utf8mb4";
    private static final String DUCK = "(code VARCHAR NOT NULL, id BIGINT NOT NULL, amount DECIMAL(12,2), small"
            + " INTEGER, flag BOOLEAN, d DATE, ts TIMESTAMP, note VARCHAR, PRIMARY KEY (code, id))";
    private static final String CASTS = "VALUES (?, CAST(? AS BIGINT), CAST(? AS DECIMAL(12,2)), CAST(? AS INTEGER),"
            + " CAST(? AS BOOLEAN), CAST(? AS DATE), CAST(? AS TIMESTAMP), ?)";
    private static final String MARIA_VALUES = "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private static String maybe(Random r, java.util.function.Supplier<String> v) {
        return r.nextInt(6) == 0 ? null : v.get();
    }

    /** A row every engine holds as it is (years 1000 to 9999, MariaDB's dates). */
    private static String[] randomRow(Random r, int id) {
        return new String[] {NAMES[r.nextInt(NAMES.length)], Integer.toString(id),
            maybe(r, () -> BigDecimal.valueOf(r.nextInt(2_000_000) - 1_000_000, 2).toPlainString()),
            maybe(r, () -> Integer.toString(r.nextInt() / 1000)),
            maybe(r, () -> Boolean.toString(r.nextBoolean())),
            maybe(r, () -> String.format("%04d-%02d-%02d", 1000 + r.nextInt(9000), 1 + r.nextInt(12), 1 + r.nextInt(28))),
            maybe(r, () -> String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d", 1000 + r.nextInt(9000),
                    1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60),
                    r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000))),
            maybe(r, () -> NAMES[r.nextInt(NAMES.length)] + " " + NAMES[r.nextInt(NAMES.length)])};
    }

    private static void bind(PreparedStatement ps, String[] row, boolean maria) throws SQLException {
        for (int c = 0; c < row.length; c++) {
            String v = row[c];
            if (maria && c == 4 && v != null) {
                v = v.equals("true") ? "1" : "0";
            }
            ps.setString(c + 1, v);
        }
    }

    private Path duckFile() {
        return dir.resolve("lake.duckdb");
    }

    /**
     * {@code n} random rows as {@code src} on every engine (and as Parquet and CSV files), and a
     * {@code dst} on every engine with a tenth of them missing, a tenth changed and a tenth more.
     */
    private void load(long seed, int n) throws SQLException {
        pg.execute("DROP TABLE IF EXISTS src;\nDROP TABLE IF EXISTS dst;\nCREATE TABLE src " + PG
                + ";\nCREATE TABLE dst " + PG);
        maria.execute("DROP TABLE IF EXISTS src;\nDROP TABLE IF EXISTS dst;\nCREATE TABLE src " + MARIA
                + ";\nCREATE TABLE dst " + MARIA);
        List<String[]> src = new ArrayList<>();
        List<String[]> dst = new ArrayList<>();
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            String[] row = randomRow(r, i);
            src.add(row);
            int fate = r.nextInt(10);
            if (fate == 0) {
                continue;
            }
            String[] target = row.clone();
            if (fate == 1) {
                String[] other = randomRow(r, i);
                int col = 2 + r.nextInt(row.length - 2);
                target[col] = other[col];
            }
            dst.add(target);
            if (fate == 2) {
                dst.add(randomRow(r, n + i));
            }
        }
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckFile());
             Connection p = DriverManager.getConnection(pg.url()); Connection m = maria.connect()) {
            try (Statement s = d.createStatement()) {
                s.execute("DROP TABLE IF EXISTS src");
                s.execute("DROP TABLE IF EXISTS dst");
                s.execute("CREATE TABLE src " + DUCK);
                s.execute("CREATE TABLE dst " + DUCK);
            }
            for (String table : List.of("src", "dst")) {
                List<String[]> rows = table.equals("src") ? src : dst;
                try (PreparedStatement di = d.prepareStatement("INSERT INTO " + table + " " + CASTS);
                     PreparedStatement pi = p.prepareStatement("INSERT INTO " + table + " " + CASTS);
                     PreparedStatement mi = m.prepareStatement("INSERT INTO " + table + " " + MARIA_VALUES)) {
                    for (String[] row : rows) {
                        bind(di, row, false);
                        di.executeUpdate();
                        bind(pi, row, false);
                        pi.executeUpdate();
                        bind(mi, row, true);
                        mi.executeUpdate();
                    }
                }
            }
            try (Statement s = d.createStatement()) {
                s.execute("COPY src TO '" + dir.resolve("src.parquet") + "' (FORMAT parquet)");
                s.execute("COPY dst TO '" + dir.resolve("dst.parquet") + "' (FORMAT parquet)");
                s.execute("COPY src TO '" + dir.resolve("src.csv") + "' (HEADER, DELIMITER ';', NULLSTR '\\N')");
            }
        }
    }

    private static final String KEY = "    key: {code: code, id: id}\n";

    private String yaml(String strategy) {
        String files = "files: \"" + dir.resolve("src.csv") + "\", delimiter: \";\", null: \"\\\\N\", types: {id: bigint,"
                + " amount: \"decimal(12,2)\", small: integer, flag: boolean, d: date, ts: timestamp, code: varchar,"
                + " note: varchar}";
        String parquet = "files: \"" + dir.resolve("src.parquet") + "\"";
        StringBuilder y = new StringBuilder("connections:\n  lake:\n    url: \"jdbc:duckdb:" + duckFile() + "\"\n"
                + "  pg:\n    url: \"" + pg.url() + "\"\n  maria:\n    url: \"" + maria.url() + "\"\nsyncs:\n");
        String[][] pairs = {
            {"oracle", "connection: pg, table: public.src", "connection: pg, table: public.dst"},
            {"parquet_maria", parquet, "connection: maria, table: dst"},
            {"duck_maria", "connection: lake, table: src", "connection: maria, table: dst"},
            {"csv_maria", files, "connection: maria, table: dst"},
            {"pg_duck", "connection: pg, table: public.src", "connection: lake, table: dst"},
            {"maria_duck", "connection: maria, table: src", "connection: lake, table: dst"},
            {"parquet_duck", parquet, "connection: lake, table: dst"},
            {"file_file", parquet, "files: \"" + dir.resolve("dst.parquet") + "\""},
        };
        for (String[] p : pairs) {
            y.append("  - name: ").append(p[0]).append("\n    source: {").append(p[1]).append("}\n    target: {")
                    .append(p[2]).append("}\n").append(KEY);
            if (strategy != null && !p[0].equals("oracle") && !(p[0].equals("file_file") && strategy.equals("hash"))) {
                y.append("    strategy: ").append(strategy).append('\n');
            }
            if (p[0].equals("oracle")) {
                y.append("    strategy: join\n");
            }
        }
        return y.toString();
    }

    private static Recon recon(String yaml) {
        return new Recon(new ConfigLoader(Map.of()).parse(yaml, "test.yaml"));
    }

    private static MappingResult mapping(RunResult result, String name) {
        return result.mappings().stream().filter(m -> m.plan().name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> changes(RunResult result, String name) {
        return mapping(result, name).samples().stream().map(Object::toString).sorted().toList();
    }

    @Test
    void everyPairingAgreesWithTheJoinOracleAndSyncsConverge() throws SQLException {
        Random sizes = new Random(7);
        long[] seeds = {1, 2, 3, 4, 5, 6};
        for (long seed : seeds) {
            int n = seed == 1 ? 0 : seed == 2 ? 1 : seed == 3 ? 2500 : sizes.nextInt(300);
            load(seed, n);
            if (seed % 2 == 0) {
                pg.execute("ANALYZE src;\nANALYZE dst");
            }
            for (String strategy : new String[] {null, "merge", "hash"}) {
                RunResult result;
                try {
                    result = recon(yaml(strategy)).diff(DiffRequest.of(List.of()).withSamples(100_000));
                } catch (ReconException e) {
                    throw new AssertionError(e.describe(), e);
                }
                assertThat(result.errors()).as("seed " + seed).isEmpty();
                List<String> oracle = changes(result, "oracle");
                for (MappingResult m : result.mappings()) {
                    String what = m.plan().name() + " " + strategy + " seed " + seed + " rows " + n;
                    assertThat(m.counts()).as(what).isEqualTo(mapping(result, "oracle").counts());
                    assertThat(changes(result, m.plan().name())).as(what).isEqualTo(oracle);
                    if (strategy != null) {
                        assertThat(m.strategy()).as(what).isEqualTo(m.plan().name().equals("oracle") ? "join"
                                : m.plan().name().equals("file_file") ? "merge" : strategy);
                    }
                }
            }
            SyncOptions all = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false);
            for (String sync : List.of("parquet_maria", "pg_duck")) {
                Recon recon = recon(yaml(null));
                RunResult first = recon.sync(SyncRequest.of(List.of(sync), all));
                assertThat(first.errors()).as(sync + " seed " + seed).isEmpty();
                assertThat(mapping(first, sync).applied().orElseThrow().failed()).as(sync).isEmpty();
                assertThat(mapping(first, sync).applied().orElseThrow().changedMeanwhile()).as(sync).isZero();
                RunResult again = recon.diff(DiffRequest.of(List.of(sync)));
                assertThat(again.inSync()).as(sync + " seed " + seed + ": " + again.mappings()).isTrue();
            }
            // the DuckDB target now holds the source: every other source finds it equal
            RunResult after = recon(yaml(null)).diff(DiffRequest.of(List.of("maria_duck", "parquet_duck")));
            assertThat(after.inSync()).as("seed " + seed).isTrue();
        }
    }
}
