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
        long[] seeds = {1, 2, 3, 4, 5, 6, 7, 8};
        for (long seed : seeds) {
            // tiny tables (up to 100 rows) beside the large one; PostgreSQL analyzed every other round, never otherwise
            int n = seed == 1 ? 0 : seed == 2 ? 1 : seed == 3 ? 2500 : sizes.nextInt(101);
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
                                : m.plan().name().equals("file_file") && strategy.equals("hash") ? "join" : strategy);
                    } else if (List.of("file_file", "parquet_duck").contains(m.plan().name())) {
                        // one DuckDB connection reads both sides: auto joins inside DuckDB
                        assertThat(m.strategy()).as(what).isEqualTo("join");
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

    /**
     * Tables without a key, with rows twice or three times (and NULLs): a DuckDB table, a
     * Parquet file and a CSV file against a PostgreSQL table, and a file against a file, compare
     * as multisets, by merge and hash, exactly as the join compares PostgreSQL's copies.
     */
    @Test
    void keylessFilesCompareAsMultisets() throws SQLException {
        for (long seed = 40; seed < 46; seed++) {
            Random r = new Random(seed);
            int n = seed == 40 ? 0 : seed == 41 ? 3 : r.nextInt(2000);
            String cols = "(code text, amount numeric(12,2), d date)";
            pg.execute("DROP TABLE IF EXISTS ksrc;\nDROP TABLE IF EXISTS kdst;\nCREATE TABLE ksrc " + cols
                    + ";\nCREATE TABLE kdst " + cols);
            List<String[]> src = new ArrayList<>();
            List<String[]> dst = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // few distinct values: many rows have copies
                String[] row = {r.nextInt(8) == 0 ? null : NAMES[r.nextInt(4)],
                    r.nextInt(8) == 0 ? null : BigDecimal.valueOf(r.nextInt(5), 2).toPlainString(),
                    r.nextInt(8) == 0 ? null : "2024-01-0" + (1 + r.nextInt(3))};
                src.add(row);
                int fate = r.nextInt(6);
                if (fate != 0) {
                    dst.add(row);
                }
                if (fate == 1) {
                    dst.add(row); // one copy more in the target
                }
            }
            try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckFile());
                 Connection p = DriverManager.getConnection(pg.url())) {
                try (Statement st = d.createStatement()) {
                    st.execute("CREATE OR REPLACE TABLE ksrc (code VARCHAR, amount DECIMAL(12,2), d DATE)");
                    st.execute("CREATE OR REPLACE TABLE kdst (code VARCHAR, amount DECIMAL(12,2), d DATE)");
                }
                for (String table : List.of("ksrc", "kdst")) {
                    String values = " VALUES (?, CAST(? AS DECIMAL(12,2)), CAST(? AS DATE))";
                    try (PreparedStatement di = d.prepareStatement("INSERT INTO " + table + values);
                         PreparedStatement pi = p.prepareStatement("INSERT INTO " + table + values)) {
                        for (String[] row : table.equals("ksrc") ? src : dst) {
                            for (int c = 0; c < 3; c++) {
                                di.setString(c + 1, row[c]);
                                pi.setString(c + 1, row[c]);
                            }
                            di.executeUpdate();
                            pi.executeUpdate();
                        }
                    }
                }
                try (Statement st = d.createStatement()) {
                    st.execute("COPY ksrc TO '" + dir.resolve("ksrc.parquet") + "' (FORMAT parquet)");
                    st.execute("COPY kdst TO '" + dir.resolve("kdst.parquet") + "' (FORMAT parquet)");
                    st.execute("COPY ksrc TO '" + dir.resolve("ksrc.csv") + "' (HEADER, NULLSTR '\\N')");
                }
            }
            String pgTarget = "connection: pg, table: public.kdst";
            String[][] pairs = {
                {"oracle", "connection: pg, table: public.ksrc", pgTarget},
                {"duck", "connection: lake, table: ksrc", pgTarget},
                {"parquet", "files: \"" + dir.resolve("ksrc.parquet") + "\"", pgTarget},
                {"csv", "files: \"" + dir.resolve("ksrc.csv") + "\", null: \"\\\\N\", types: {amount: \"decimal(12,2)\","
                        + " d: date, code: varchar}", pgTarget},
                {"file_file", "files: \"" + dir.resolve("ksrc.parquet") + "\"", "files: \"" + dir.resolve("kdst.parquet")
                        + "\""},
                {"file_file_join", "files: \"" + dir.resolve("ksrc.parquet") + "\"", "files: \""
                        + dir.resolve("kdst.parquet") + "\""},
                {"duck_duck_join", "connection: lake, table: ksrc", "connection: lake, table: kdst"},
            };
            for (String strategy : new String[] {"merge", "hash"}) {
                StringBuilder y = new StringBuilder("connections:\n  lake:\n    url: \"jdbc:duckdb:" + duckFile()
                        + "\"\n  pg:\n    url: \"" + pg.url() + "\"\nsyncs:\n");
                for (String[] p : pairs) {
                    y.append("  - name: ").append(p[0]).append("\n    source: {").append(p[1]).append("}\n    target: {")
                            .append(p[2]).append("}\n    key: none\n    strategy: ")
                            .append(p[0].equals("oracle") || p[0].endsWith("_join") ? "join"
                                    : p[0].equals("file_file") ? "merge" : strategy)
                            .append('\n');
                }
                RunResult result;
                try {
                    result = recon(y.toString()).diff(DiffRequest.of(List.of()).withSamples(100_000));
                } catch (ReconException e) {
                    throw new AssertionError(e.describe(), e);
                }
                assertThat(result.errors()).as("seed " + seed).isEmpty();
                for (MappingResult m : result.mappings()) {
                    String what = m.plan().name() + " " + strategy + " seed " + seed + " rows " + n;
                    assertThat(m.counts()).as(what).isEqualTo(mapping(result, "oracle").counts());
                    assertThat(changes(result, m.plan().name())).as(what).isEqualTo(changes(result, "oracle"));
                }
            }
        }
    }

    /**
     * The rules beyond the common types, both ways between DuckDB and PostgreSQL: TIME, BLOB as
     * PostgreSQL's hex, DOUBLE and REAL by value ({@code 1000.0} is {@code 1000}; hashed never,
     * the hash compares by merge), TIMESTAMP_NS rounded to microseconds, JSON by PostgreSQL's
     * jsonb equality, a LIST and a STRUCT by DuckDB's text; a sync from PostgreSQL into DuckDB
     * writes them and converges; a float key and an interval are refused.
     */
    @Test
    void oddTypesCompareByTheirRulesBothWays() throws SQLException {
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckFile()); Statement st = d.createStatement()) {
            st.execute("CREATE OR REPLACE TABLE odd (id INTEGER PRIMARY KEY, t TIME, b BLOB, x DOUBLE, r REAL,"
                    + " ns TIMESTAMP_NS, j JSON, l INTEGER[], s STRUCT(a INTEGER, b VARCHAR), iv INTERVAL)");
            st.execute("INSERT INTO odd VALUES (1, TIME '12:34:56.1', '\\xAB\\x00z'::BLOB, 1000, 0.1,"
                    + " TIMESTAMP_NS '2024-01-01 00:00:00.123456789', '{\"b\": 1, \"a\": [1, 2.50]}', [1, 2, NULL],"
                    + " {'a': 1, 'b': 'x y'}, INTERVAL '1 day'),"
                    + " (2, TIME '00:00:00', ''::BLOB, -0.0, 'Infinity', TIMESTAMP_NS '1999-12-31 23:59:59.9999999',"
                    + " '[]', [], {'a': NULL, 'b': NULL}, NULL),"
                    + " (3, NULL, NULL, 'NaN', NULL, NULL, NULL, NULL, NULL, NULL),"
                    + " (4, TIME '23:59:59.999999', '\\xFF'::BLOB, 1e20, 3.5, TIMESTAMP_NS '2024-01-01 00:00:00',"
                    + " '{\"a\": 1}', [7], {'a': 2, 'b': ''}, NULL)");
            st.execute("CREATE OR REPLACE TABLE back (id INTEGER PRIMARY KEY, t TIME, b BLOB, x DOUBLE)");
        }
        pg.execute("DROP TABLE IF EXISTS odd;\nCREATE TABLE odd (id int PRIMARY KEY, t time, b bytea, x float8, r real,"
                + " ns timestamp, j jsonb, l text, s text);\nINSERT INTO odd VALUES"
                + " (1, '12:34:56.1', '\\xab007a', 1000, 0.1, '2024-01-01 00:00:00.123457', '{\"a\": [1, 2.5], \"b\": 1}',"
                + " '[1, 2, NULL]', '{''a'': 1, ''b'': x y}'),"
                + " (2, '00:00:00', '\\x', 0, 'Infinity', '2000-01-01 00:00:00', '[]', '[]', '{''a'': NULL, ''b'': NULL}'),"
                + " (3, NULL, NULL, 'NaN', NULL, NULL, NULL, NULL, NULL),"
                + " (4, '23:59:59.999999', '\\xfe', 1e20, 3.5, '2024-01-01 00:00:00', '{\"a\": 2}', '[7]',"
                + " '{''a'': 3, ''b'': }')");
        String head = "connections:\n  lake:\n    url: \"jdbc:duckdb:" + duckFile() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n";
        String odd = "  - name: odd\n    source: {connection: lake, table: odd}\n    target: {connection: pg, table:"
                + " public.odd}\n    key: {id: id}\n    columns: {t: t, b: b, x: x, r: r, ns: ns, j: j, l: l, s: s}\n";
        for (String strategy : new String[] {"merge", "hash"}) {
            RunResult result;
            try {
                result = recon(head + odd + "    strategy: " + strategy + "\n").diff(DiffRequest.of(List.of())
                        .withSamples(100));
            } catch (ReconException e) {
                throw new AssertionError(e.describe(), e);
            }
            assertThat(result.errors()).isEmpty();
            // row 4 alone differs: its blob, its JSON and its struct; -0.0 is 0, NaN is NaN, 1000.0 is 1000
            assertThat(changes(result, "odd")).as(strategy).singleElement().asString().contains("key=[4]")
                    .contains("changed=[b, j, s]");
        }
        String back = "  - name: back\n    source: {connection: pg, table: public.odd}\n    target: {connection: lake,"
                + " table: back}\n    key: {id: id}\n    columns: {t: t, b: b, x: x}\n";
        Recon recon = recon(head + back);
        RunResult sync = recon.sync(SyncRequest.of(List.of("back"), SyncOptions.defaults()));
        assertThat(sync.errors()).isEmpty();
        assertThat(mapping(sync, "back").applied().orElseThrow().written()).isEqualTo(new dev.recon.result.Counts(4, 0, 0));
        assertThat(recon.diff(DiffRequest.of(List.of("back"))).inSync()).isTrue();
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckFile()); Statement st = d.createStatement();
             var rs = st.executeQuery("SELECT hex(b), CAST(x AS VARCHAR), CAST(t AS VARCHAR) FROM back WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("AB007A");
            assertThat(rs.getString(2)).isEqualTo("1000.0");
            assertThat(rs.getString(3)).isEqualTo("12:34:56.1");
        }
        String refused = head + "  - name: fk\n    source: {connection: lake, table: odd}\n    target: {connection: pg,"
                + " table: public.odd}\n    key: {x: x}\n    columns: {t: t}\n"
                + "  - name: iv\n    source: {connection: lake, table: odd}\n    target: {connection: pg,"
                + " table: public.odd}\n    key: {id: id}\n    columns: {iv: l}\n"
                + "  - name: toreal\n    source: {connection: pg, table: public.odd}\n    target: {connection: lake,"
                + " table: odd}\n    key: {id: id}\n    columns: {x: r}\n";
        assertThatThrownBy(() -> recon(refused).validate(List.of(), true)).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe())
                        .contains("a float key is not supported across engines")
                        .contains("a double written into a REAL is rounded to its 24 bits")
                        .contains("source column iv of main.odd (INTERVAL) for target column l of public.odd (text):"
                                + " no exact rule"));
    }

    /**
     * A file that cannot be read as the mapping says is an error of that mapping that names the
     * file (and the line), and the sync writes nothing: a value that does not parse as its
     * pinned type, a glob that matches nothing, a missing file, a missing database file.
     */
    @Test
    void badFilesAreClearErrorsAndNothingIsWritten() throws Exception {
        pg.execute("DROP TABLE IF EXISTS feed;\nCREATE TABLE feed (id bigint PRIMARY KEY, amount numeric(12,2));"
                + "\nINSERT INTO feed VALUES (1, 1.00)");
        StringBuilder csv = new StringBuilder("id,amount\n");
        for (int i = 1; i <= 3000; i++) {
            csv.append(i).append(',').append(i == 2500 ? "12,x" : i + ".50").append('\n');
        }
        // line 2502 has a third field; the first 2,500 rows would be new
        java.nio.file.Files.writeString(dir.resolve("feed.csv"), csv.toString().replace("12,x", "oops"));
        String head = "connections:\n  pg:\n    url: \"" + pg.url() + "\"\nsyncs:\n";
        String feed = head + "  - name: feed\n    source: {files: \"" + dir.resolve("feed.csv") + "\", types: {id: bigint,"
                + " amount: \"decimal(12,2)\"}}\n    target: {connection: pg, table: public.feed}\n    key: {id: id}\n";
        RunResult result = recon(feed).sync(SyncRequest.of(List.of("feed"), SyncOptions.defaults()));
        assertThat(result.errors()).singleElement().asString().contains("CSV Error on Line: 2501 of file "
                + dir.resolve("feed.csv") + ": '2500,oops' (Error when converting column \"amount\".");
        assertThat(pg.value("SELECT count(*) || ' ' || max(amount) FROM feed", String.class)).isEqualTo("1 1.00");
        // an unterminated quote inside the lines DuckDB samples to guess the dialect: never read as data
        StringBuilder quoted = new StringBuilder("id,amount\n");
        for (int i = 1; i <= 3000; i++) {
            quoted.append(i).append(',').append(i).append(".50\n");
        }
        quoted.append("3001,\"12.5\n3002,7\n");
        java.nio.file.Files.writeString(dir.resolve("feed.csv"), quoted.toString());
        RunResult unterminated = recon(feed).sync(SyncRequest.of(List.of("feed"), SyncOptions.defaults()));
        assertThat(unterminated.errors()).singleElement().asString().contains("CSV Error on Line: 3002 of file "
                + dir.resolve("feed.csv")).contains("Value with unterminated quote found.");
        assertThat(pg.value("SELECT count(*) || ' ' || max(amount) FROM feed", String.class)).isEqualTo("1 1.00");
        String empty = feed.replace(dir.resolve("feed.csv").toString(), dir.resolve("none_*.csv").toString());
        assertThatThrownBy(() -> recon(empty).validate(List.of(), true)).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe()).contains("mapping 'feed'")
                        .contains(dir.resolve("none_*.csv").toString()).contains("No files found"));
        String nodb = head + "  - name: lake\n    source: {connection: lake, table: t}\n    target: {connection: pg,"
                + " table: public.feed}\n    key: {id: id}\n";
        String withLake = nodb.replace("connections:\n", "connections:\n  lake:\n    url: \"jdbc:duckdb:"
                + dir.resolve("nosuch.duckdb") + "\"\n");
        assertThatThrownBy(() -> recon(withLake).validate(List.of(), true)).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe()).contains("no DuckDB database file at "
                        + dir.resolve("nosuch.duckdb")));
        assertThat(dir.resolve("nosuch.duckdb")).doesNotExist();
        // an empty file has none of the columns types names: said so
        java.nio.file.Files.writeString(dir.resolve("feed.csv"), "");
        assertThatThrownBy(() -> recon(feed).validate(List.of(), true)).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe()).contains("an empty file"));
    }

    /**
     * A value the DuckDB column would round or cut (a scale of 1 for 5.01, a TIMESTAMP_S for a
     * time with microseconds) fails its row, recorded with the reason, instead of being written
     * rounded and reported applied; what fits is written, a date before the common era too.
     */
    @Test
    void aValueTheDuckDbColumnWouldRoundFailsItsRow() throws SQLException {
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckFile()); Statement st = d.createStatement()) {
            st.execute("CREATE OR REPLACE TABLE narrow (id INTEGER PRIMARY KEY, amount DECIMAL(10,1), seen TIMESTAMP_S,"
                    + " d DATE)");
        }
        pg.execute("DROP TABLE IF EXISTS wide;\nCREATE TABLE wide (id int PRIMARY KEY, amount numeric(12,2), seen timestamp,"
                + " d date);\nINSERT INTO wide VALUES (1, 5.10, '2024-01-01 10:00:00', '0045-03-15 BC'),"
                + " (2, 5.01, '2024-01-01 10:00:00', '2024-01-01'), (3, 1.00, '2024-01-01 10:00:00.5', NULL)");
        String yaml = "connections:\n  lake:\n    url: \"jdbc:duckdb:" + duckFile() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n  - name: narrow\n    source: {connection: pg, table: public.wide}\n"
                + "    target: {connection: lake, table: narrow}\n    key: {id: id}\n";
        Recon recon = recon(yaml);
        RunResult sync = recon.sync(SyncRequest.of(List.of("narrow"), SyncOptions.defaults()));
        dev.recon.result.ApplyResult applied = mapping(sync, "narrow").applied().orElseThrow();
        assertThat(applied.written()).isEqualTo(new dev.recon.result.Counts(1, 0, 0));
        assertThat(applied.failed()).extracting(f -> f.key().get(0) + ": " + f.message()).containsExactlyInAnyOrder(
                "2: Invalid Input Error: value 5.01 does not fit column amount (DECIMAL(10,1)) as it is",
                "3: Invalid Input Error: value 2024-01-01 10:00:00.5 does not fit column seen (TIMESTAMP_S) as it is");
        RunResult again = recon.diff(DiffRequest.of(List.of("narrow")).withSamples(10));
        assertThat(mapping(again, "narrow").counts()).isEqualTo(new dev.recon.result.Counts(2, 0, 0));
    }

    /**
     * Text under DuckDB's NOCASE collation is compared by its bytes, as everywhere in recon:
     * 'ABC' and 'abc' are two keys and two values, by join and merge alike, keyed or not.
     */
    @Test
    void aCaseBlindCollationDoesNotMakeTwoTextsOne() throws SQLException {
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckFile()); Statement st = d.createStatement()) {
            st.execute("CREATE OR REPLACE TABLE ci_src (k VARCHAR COLLATE NOCASE PRIMARY KEY, v VARCHAR COLLATE NOCASE)");
            st.execute("CREATE OR REPLACE TABLE ci_dst (k VARCHAR COLLATE NOCASE PRIMARY KEY, v VARCHAR COLLATE NOCASE)");
            st.execute("INSERT INTO ci_src VALUES ('abc', 'hello'), ('x', 'same')");
            st.execute("INSERT INTO ci_dst VALUES ('ABC', 'hello'), ('x', 'SAME')");
        }
        String head = "connections:\n  lake:\n    url: \"jdbc:duckdb:" + duckFile() + "\"\nsyncs:\n";
        for (String strategy : List.of("join", "merge", "hash")) {
            for (String key : List.of("{k: k}", "none")) {
                String yaml = head + "  - name: ci\n    source: {connection: lake, table: ci_src}\n"
                        + "    target: {connection: lake, table: ci_dst}\n    key: " + key + "\n    strategy: " + strategy
                        + "\n";
                RunResult result = recon(yaml).diff(DiffRequest.of(List.of()).withSamples(10));
                assertThat(result.errors()).as(strategy + " " + key).isEmpty();
                // keyed: abc inserted, ABC deleted, x updated; keyless: two rows in, two out
                assertThat(mapping(result, "ci").counts()).as(strategy + " " + key).isEqualTo(key.equals("none")
                        ? new dev.recon.result.Counts(2, 0, 2) : new dev.recon.result.Counts(1, 1, 1));
            }
        }
    }
}
