package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.base.ReconException;
import dev.recon.config.ReconConfig;
import dev.recon.connect.Databases;
import dev.recon.diff.DiffStats;
import dev.recon.diff.hash.EngineHashDiff;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.result.StrategyDetails;
import dev.recon.config.ConfigLoader;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import dev.recon.testing.PgDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DuckDB table, and a Parquet file read through DuckDB, as a mapping's source, compared by
 * merge with a PostgreSQL target: the changes are, change for change and value for value, the
 * ones the join finds between the target and a PostgreSQL copy of the same rows (the oracle),
 * for random rows of every type rule with NULLs and text keys; a DuckDB target and a pair with
 * no exact rule are refused, a missing file is an error.
 */
class DuckDbSourceTest {
    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    @TempDir
    Path dir;

    private static final String[] NAMES = {"a", "A", "a ", "á", "b", "日本", "\uD83D\uDE00", "", "x\ty", "O'Brien"};

    private static final String DUCK_COLUMNS = "(code VARCHAR NOT NULL, id BIGINT NOT NULL, amount DECIMAL(12,2),"
            + " small INTEGER, flag BOOLEAN, d DATE, ts TIMESTAMP, tz TIMESTAMPTZ, u UUID, note VARCHAR,"
            + " PRIMARY KEY (code, id))";
    private static final String PG_COLUMNS = "(code text NOT NULL, id bigint NOT NULL, amount numeric(12,2),"
            + " small numeric(10,3), flag boolean, d date, ts timestamp, tz timestamptz, u uuid, note text,"
            + " PRIMARY KEY (code, id))";
    private static final String DUCK_INSERT = "INSERT INTO people VALUES (?, CAST(? AS BIGINT), CAST(? AS DECIMAL(12,2)),"
            + " CAST(? AS INTEGER), CAST(? AS BOOLEAN), CAST(? AS DATE), CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMPTZ),"
            + " CAST(? AS UUID), ?) ON CONFLICT DO NOTHING";
    private static final String PG_INSERT = " VALUES (?, CAST(? AS bigint), CAST(? AS numeric), CAST(? AS integer),"
            + " CAST(? AS boolean), CAST(? AS date), CAST(? AS timestamp), CAST(? AS timestamptz), CAST(? AS uuid), ?)"
            + " ON CONFLICT DO NOTHING";

    private static String maybe(Random r, java.util.function.Supplier<String> v) {
        return r.nextInt(6) == 0 ? null : v.get();
    }

    private static String[] randomRow(Random r, int id) {
        return new String[] {NAMES[r.nextInt(NAMES.length)], Integer.toString(id),
            maybe(r, () -> BigDecimal.valueOf(r.nextInt(2_000_000) - 1_000_000, 2).toPlainString()),
            maybe(r, () -> Integer.toString(r.nextInt() / 1000)),
            maybe(r, () -> Boolean.toString(r.nextBoolean())),
            maybe(r, () -> String.format("%04d-%02d-%02d", 1 + r.nextInt(9999), 1 + r.nextInt(12), 1 + r.nextInt(28))),
            maybe(r, () -> String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d", 1 + r.nextInt(9999), 1 + r.nextInt(12),
                    1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60),
                    r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000))),
            maybe(r, () -> String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d+00", 1900 + r.nextInt(200),
                    1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60),
                    r.nextInt(1_000_000))),
            maybe(r, () -> new UUID(r.nextLong(), r.nextLong()).toString()),
            maybe(r, () -> NAMES[r.nextInt(NAMES.length)] + " " + NAMES[r.nextInt(NAMES.length)])};
    }

    private static void bind(PreparedStatement ps, String[] row) throws SQLException {
        for (int c = 0; c < row.length; c++) {
            ps.setString(c + 1, row[c]);
        }
    }

    private Path duckFile() {
        return dir.resolve("lake.duckdb");
    }

    /** {@code n} random rows in DuckDB's people (and a Parquet copy) and PostgreSQL's copy; the target gets them changed. */
    private void load(long seed, int n) throws SQLException {
        load(seed, n, false);
    }

    /**
     * As {@link #load(long, int)}; with {@code nullableKey} the key is a unique constraint whose
     * {@code code} may be NULL (on both sides), and a sixth of the rows have a NULL key part.
     */
    private void load(long seed, int n, boolean nullableKey) throws SQLException {
        String pgColumns = nullableKey ? PG_COLUMNS.replace("code text NOT NULL", "code text")
                .replace("PRIMARY KEY (code, id)", "UNIQUE (code, id)") : PG_COLUMNS;
        String duckColumns = nullableKey ? DUCK_COLUMNS.replace("code VARCHAR NOT NULL", "code VARCHAR")
                .replace("PRIMARY KEY (code, id)", "UNIQUE (code, id)") : DUCK_COLUMNS;
        pg.execute("DROP TABLE IF EXISTS copy;\nDROP TABLE IF EXISTS dst;\nCREATE TABLE copy " + pgColumns
                + ";\nCREATE TABLE dst " + pgColumns);
        Random r = new Random(seed);
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckFile());
             Connection p = DriverManager.getConnection(pg.url())) {
            try (Statement s = d.createStatement()) {
                s.execute("SET TimeZone = 'UTC'");
                s.execute("DROP TABLE IF EXISTS people");
                s.execute("CREATE TABLE people " + duckColumns);
            }
            try (PreparedStatement di = d.prepareStatement(DUCK_INSERT);
                 PreparedStatement ci = p.prepareStatement("INSERT INTO copy" + PG_INSERT);
                 PreparedStatement ti = p.prepareStatement("INSERT INTO dst" + PG_INSERT)) {
                for (int i = 0; i < n; i++) {
                    String[] row = randomRow(r, i);
                    if (nullableKey && r.nextInt(6) == 0) {
                        row[0] = null;
                    }
                    bind(di, row);
                    di.executeUpdate();
                    bind(ci, row);
                    ci.executeUpdate();
                    int fate = r.nextInt(10);
                    if (fate == 0) {
                        continue; // missing from the target
                    }
                    String[] target = row.clone();
                    if (fate == 1) {
                        String[] other = randomRow(r, i);
                        int col = 2 + r.nextInt(row.length - 2);
                        target[col] = other[col];
                    }
                    bind(ti, target);
                    ti.executeUpdate();
                    if (fate == 2) {
                        bind(ti, randomRow(r, n + i));
                        ti.executeUpdate(); // only in the target
                    }
                }
            }
            try (Statement s = d.createStatement()) {
                s.execute("COPY people TO '" + dir.resolve("people.parquet") + "' (FORMAT parquet)");
                // NULL written as \N, so that an empty string stays one
                s.execute("COPY people TO '" + dir.resolve("people.csv") + "' (HEADER, DELIMITER ';', NULLSTR '\\N')");
            }
        }
    }

    private String yaml(String sourceTable, String strategy) {
        return yamlOf(sourceTable.startsWith("files:") ? sourceTable.substring("files:".length())
                : "connection: lake, table: \"" + sourceTable + "\"", strategy);
    }

    private String yamlOf(String source, String strategy) {
        return "connections:\n  lake:\n    url: \"jdbc:duckdb:" + duckFile() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n"
                + "  - name: people\n    source: {" + source + "}\n"
                + "    target: {connection: pg, table: public.dst}\n    key: {code: code, id: id}\n"
                + (strategy == null ? "" : "    strategy: " + strategy + "\n")
                + "  - name: oracle\n    source: {connection: pg, table: public.copy}\n"
                + "    target: {connection: pg, table: public.dst}\n    key: {code: code, id: id}\n"
                + "    strategy: join\n";
    }

    private static Recon recon(String yaml) {
        return new Recon(new ConfigLoader(Map.of()).parse(yaml, "test.yaml"));
    }

    private static List<String> changes(RunResult result, String mapping) {
        return result.mappings().stream().filter(m -> m.plan().name().equals(mapping)).findFirst().orElseThrow()
                .samples().stream().map(Object::toString).sorted(Comparator.naturalOrder()).toList();
    }

    private static MappingResult mapping(RunResult result, String name) {
        return result.mappings().stream().filter(m -> m.plan().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aDuckDbTableAndAParquetFileAgreeWithTheJoinOracle() throws SQLException {
        for (long seed = 1; seed <= 3; seed++) {
            int n = seed == 1 ? 0 : seed == 2 ? 3 : 1500;
            load(seed, n);
            // a CSV read with its types pinned, as docs/configuration.md shows
            String csv = "read_csv('" + dir.resolve("people.csv") + "', delim = ';', header = true, nullstr = '\\\\N',"
                    + " types = {'id':"
                    + " 'BIGINT', 'amount': 'DECIMAL(12,2)', 'small': 'INTEGER', 'flag': 'BOOLEAN', 'd': 'DATE', 'ts':"
                    + " 'TIMESTAMP', 'tz': 'TIMESTAMPTZ', 'u': 'UUID', 'code': 'VARCHAR', 'note': 'VARCHAR'})";
            // the same CSV as files: a source, as docs/configuration.md shows
            String files = "files:files: \"" + dir.resolve("people.csv") + "\", format: csv, header: true, delimiter: \";\","
                    + " null: \"\\\\N\", types: {id: bigint, amount: \"decimal(12,2)\", small: integer, flag: boolean,"
                    + " d: date, ts: timestamp, tz: timestamptz, u: uuid, code: varchar, note: varchar}";
            for (String source : List.of("people", "main.people", dir.resolve("people.parquet").toString(), csv,
                    files)) {
                for (String strategy : new String[] {null, "merge", "hash"}) {
                    RunResult result = recon(yaml(source, strategy)).diff(DiffRequest.of(List.of())
                            .withSamples(100_000));
                    assertThat(result.errors()).as(source).isEmpty();
                    // hash, asked for, compares by merge: DuckDB computes no summaries yet
                    assertThat(mapping(result, "people").strategy()).as(source)
                            .isEqualTo(strategy == null ? "merge" : strategy);
                    assertThat(mapping(result, "people").counts()).as(source + " seed " + seed)
                            .isEqualTo(mapping(result, "oracle").counts());
                    assertThat(changes(result, "people")).as(source + " seed " + seed)
                            .isEqualTo(changes(result, "oracle"));
                }
            }
        }
    }

    /**
     * Tiny tables (0 to 100 rows), statistics missing or gathered, NULL key parts under a unique
     * key that allows them: merge and hash from a DuckDB table and from a Parquet file find the
     * join's changes exactly, or the tables in sync when the join does.
     */
    @Test
    void tinyTablesNullKeyPartsAndMissingStatisticsAgreeWithTheJoinOracle() throws SQLException {
        Random sizes = new Random(42);
        for (long seed = 20; seed < 32; seed++) {
            int n = seed == 20 ? 0 : seed == 21 ? 1 : sizes.nextInt(101);
            load(seed, n, true);
            if (seed % 2 == 0) {
                pg.execute("ANALYZE dst; ANALYZE copy"); // else no statistics at all
            }
            for (String source : List.of("people", dir.resolve("people.parquet").toString())) {
                for (String strategy : new String[] {"merge", "hash"}) {
                    RunResult result = recon(yaml(source, strategy)).diff(DiffRequest.of(List.of())
                            .withSamples(100_000));
                    String what = source + " " + strategy + " seed " + seed + " rows " + n;
                    assertThat(result.errors()).as(what).isEmpty();
                    assertThat(mapping(result, "people").counts()).as(what)
                            .isEqualTo(mapping(result, "oracle").counts());
                    assertThat(changes(result, "people")).as(what).isEqualTo(changes(result, "oracle"));
                }
            }
            Map<StrategyDetails.Figure, Long> figures = new java.util.EnumMap<>(StrategyDetails.Figure.class);
            List<String> oracle = recon(yaml("people", "hash")).diff(DiffRequest.of(List.of("oracle"))
                    .withSamples(100_000)).mappings().get(0).samples().stream().map(Object::toString).sorted().toList();
            assertThat(hashed(yaml("people", "hash"), "people", 3, figures)).as("seed " + seed).isEqualTo(oracle);
        }
    }

    /** The changes of {@code mapping} by the hash across engines, in buckets of about {@code rowsPerBucket} rows. */
    private static List<String> hashed(String yaml, String mapping, int rowsPerBucket,
            Map<StrategyDetails.Figure, Long> figures) {
        ReconConfig config = new ConfigLoader(Map.of()).parse(yaml, "test.yaml");
        Databases databases = new Databases();
        try {
            MappingPlan plan = new Planner(config, databases).plan(List.of(mapping), Purpose.DIFF).get(0);
            List<String> out = new java.util.ArrayList<>();
            DiffStats stats = new EngineHashDiff(databases, rowsPerBucket, 1.0).diff(plan, c -> out.add(c.toString()));
            for (StrategyDetails.Figure f : StrategyDetails.Figure.values()) {
                stats.details().get(f).ifPresent(v -> figures.put(f, v));
            }
            out.sort(null);
            return out;
        } finally {
            databases.closeIdle();
        }
    }

    /**
     * DuckDB's summaries are the other engines': by buckets of a few rows, text and composite keys
     * (the key's MD5) and an integer key (its low bits), the hash finds the join's changes and
     * reads only the rows of differing buckets.
     */
    @Test
    void theHashAcrossEnginesSumsDuckDbAsPostgreSqlDoes() throws SQLException {
        load(11, 1500);
        pg.execute("ANALYZE dst");
        Map<StrategyDetails.Figure, Long> figures = new java.util.EnumMap<>(StrategyDetails.Figure.class);
        String yaml = yaml("people", "hash");
        List<String> oracle = recon(yaml).diff(DiffRequest.of(List.of("oracle")).withSamples(100_000)).mappings()
                .get(0).samples().stream().map(Object::toString).sorted().toList();
        assertThat(hashed(yaml, "people", 7, figures)).isEqualTo(oracle);
        assertThat(figures).doesNotContainKey(StrategyDetails.Figure.COLUMNS_NOT_HASHABLE);
        assertThat(figures.get(StrategyDetails.Figure.SEGMENTS)).isGreaterThan(100);
        assertThat(figures.get(StrategyDetails.Figure.SEGMENTS_DIFFERING))
                .isLessThan(figures.get(StrategyDetails.Figure.SEGMENTS));
        // an integer key: its own bits choose the bucket, on both sides
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckFile()); Statement s = d.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE nums AS SELECT i::BIGINT AS id, 'v' || i AS v FROM range(-300, 300) t(i)");
        }
        pg.execute("DROP TABLE IF EXISTS nums; CREATE TABLE nums (id bigint PRIMARY KEY, v text);"
                + " INSERT INTO nums SELECT i, 'v' || i FROM generate_series(-300, 299) i WHERE i % 97 <> 0;"
                + " UPDATE nums SET v = 'changed' WHERE id % 101 = 0; ANALYZE nums");
        String ints = "connections:\n  lake:\n    url: \"jdbc:duckdb:" + duckFile() + "\"\n  pg:\n    url: \""
                + pg.url() + "\"\nsyncs:\n  - name: nums\n    source: {connection: lake, table: nums}\n"
                + "    target: {connection: pg, table: public.nums}\n    key: {id: id}\n    strategy: hash\n";
        figures.clear();
        List<String> changes = hashed(ints, "nums", 5, figures);
        // 7 rows missing from the target (-291, -194, -97, 0, 97, 194, 291), 4 changed (-202, -101, 101, 202)
        assertThat(changes).hasSize(11);
        assertThat(changes.stream().filter(c -> c.startsWith("RowChange[operation=INSERT")).count()).isEqualTo(7);
        assertThat(figures).doesNotContainKey(StrategyDetails.Figure.COLUMNS_NOT_HASHABLE);
    }

    /**
     * A CSV's own spelling of a value ({@code 007}, {@code 2024-1-5}, {@code 12.5}, {@code T10:00:00},
     * {@code TRUE}) is not its text: it prints as its type prints it, so equal values are equal;
     * a case-blind DuckDB key collation does not change the order; a reading wider than DuckDB's
     * decimals is refused before any row is read.
     */
    @Test
    void valuesPrintAsTheirTypesWhateverTheFileSpellsThemAndKeysSortByBytes() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("odd.csv"), "id,d,amt,ts,b\n007,2024-1-5,12.5,2024-01-05T10:00:00,TRUE\n"
                + "8,2024-01-06,3,2024-01-06 10:00:00.10,f\n9,,,,\n10,2024-1-10,-0.5,2024-01-10T09:00:00,false\n");
        pg.execute("DROP TABLE IF EXISTS odd; CREATE TABLE odd (id bigint PRIMARY KEY, d date, amt numeric(12,2),"
                + " ts timestamp, b boolean); INSERT INTO odd VALUES (7, '2024-01-05', 12.50, '2024-01-05 10:00:00', true),"
                + " (8, '2024-01-06', 3.00, '2024-01-06 10:00:00.1', false), (9, NULL, NULL, NULL, NULL),"
                + " (10, '2024-01-10', -0.50, '2024-01-10 09:00:00', false);"
                + " DROP TABLE IF EXISTS oddd; CREATE TABLE oddd (d date PRIMARY KEY, n bigint);"
                + " INSERT INTO oddd VALUES ('2024-01-05', 7), ('2024-01-06', 8), ('2024-01-10', 10);"
                + " DROP TABLE IF EXISTS kn; CREATE TABLE kn (k text PRIMARY KEY, n int);"
                + " INSERT INTO kn VALUES ('a', 1), ('B', 2), ('b2', 3), ('A2', 4), ('é', 5), ('Z', 6)");
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckFile()); Statement s = d.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE kn (k VARCHAR COLLATE NOCASE PRIMARY KEY, n INTEGER)");
            s.execute("INSERT INTO kn VALUES ('a', 1), ('B', 2), ('b2', 3), ('A2', 4), ('é', 5), ('Z', 6)");
            s.execute("CREATE OR REPLACE TABLE wide (id INTEGER PRIMARY KEY, b BIGINT)");
        }
        pg.execute("DROP TABLE IF EXISTS wide; CREATE TABLE wide (id int PRIMARY KEY, b numeric(40,20))");
        String csv = "read_csv('" + dir.resolve("odd.csv") + "', types = {'id': 'BIGINT', 'd': 'DATE', 'amt':"
                + " 'DECIMAL(12,2)', 'ts': 'TIMESTAMP', 'b': 'BOOLEAN'})";
        String yaml = "connections:\n  lake:\n    url: \"jdbc:duckdb:" + duckFile() + "\"\n  pg:\n    url: \""
                + pg.url() + "\"\nsyncs:\n"
                + "  - name: odd\n    source: {connection: lake, table: \"" + csv + "\"}\n"
                + "    target: {connection: pg, table: public.odd}\n    key: {id: id}\n"
                + "  - name: bydate\n    source: {connection: lake, table: \"" + csv + "\", where: \"d IS NOT NULL\"}\n"
                + "    target: {connection: pg, table: public.oddd}\n    key: {d: d}\n    columns: {id: n}\n"
                + "  - name: kn\n    source: {connection: lake, table: kn}\n"
                + "    target: {connection: pg, table: public.kn}\n    key: {k: k}\n";
        for (String strategy : new String[] {"merge", "hash"}) {
            RunResult result = recon(yaml.replace("    key: {", "    strategy: " + strategy + "\n    key: {"))
                    .diff(DiffRequest.of(List.of()));
            assertThat(result.errors()).as(strategy).isEmpty();
            assertThat(result.mappings()).as(strategy).allSatisfy(m -> assertThat(m.counts())
                    .as(m.plan().name() + " " + strategy).isEqualTo(dev.recon.result.Counts.ZERO));
        }
        String wide = yaml.replace("table: kn}", "table: wide}").replace("table: public.kn}", "table: public.wide}")
                .replace("key: {k: k}", "key: {id: id}");
        assertThatThrownBy(() -> recon(wide).validate(List.of("kn"), true)).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe()).contains("source column b of main.wide"
                        + " (BIGINT) for target column b of public.wide (numeric(40,20)): the source's values need 39"
                        + " digits at the target's scale, more than DuckDB's decimals hold (38)"));
    }

    /** validate says a file's columns as the reader took them, so that a guessed type can be pinned. */
    @Test
    void validateSaysTheTypesOfAFilesColumns() throws SQLException {
        load(5, 20);
        String yaml = yaml("files:files: \"" + dir.resolve("people.csv") + "\", delimiter: \";\", null: \"\\\\N\","
                + " types: {amount: \"decimal(12,2)\", small: integer, tz: timestamptz, u: uuid}", null);
        Recon recon = recon(yaml);
        List<dev.recon.plan.MappingPlan> plans;
        try {
            plans = recon.validate(List.of("people"), true);
        } catch (ReconException e) {
            throw new AssertionError(e.describe(), e);
        }
        assertThat(dev.recon.report.ValidationText.lines(new ConfigLoader(Map.of()).parse(yaml, "test.yaml"), plans))
                .contains("    source columns as read: code VARCHAR, id BIGINT, amount DECIMAL(12,2), small INTEGER,"
                        + " flag BOOLEAN, d DATE, ts TIMESTAMP, tz TIMESTAMP WITH TIME ZONE, u UUID, note VARCHAR");
    }

    @Test
    void aSyncFromDuckDbConverges() throws SQLException {
        load(7, 400);
        Recon recon = recon(yaml("people", null));
        RunResult first = recon.sync(SyncRequest.of(List.of("people"), dev.recon.config.SyncOptions.defaults()
                .withMaxDeletes(dev.recon.config.MaxDeletes.parse("100%"), false)));
        assertThat(first.errors()).isEmpty();
        RunResult again = recon.diff(DiffRequest.of(List.of("people")));
        assertThat(again.inSync()).as(again.mappings().toString()).isTrue();
    }

    @Test
    void whatItCannotDoIsRefusedLoudly() throws Exception {
        load(3, 5);
        // a file is never written; a DuckDB target has no soft-delete marker yet; two DuckDB sides are not joined
        String into = "connections:\n  lake:\n    url: \"jdbc:duckdb:" + duckFile() + "\"\n  pg:\n    url: \""
                + pg.url() + "\"\nsyncs:\n  - name: back\n    source: {connection: pg, table: public.copy}\n"
                + "    target: {files: \"" + dir.resolve("people.parquet") + "\"}\n    key: {code: code, id: id}\n"
                + "  - name: soft\n    source: {connection: pg, table: public.copy}\n"
                + "    target: {connection: lake, table: people}\n    key: {code: code, id: id}\n"
                + "    deletes: {soft: note}\n"
                + "  - name: joined\n    source: {connection: other, table: people}\n"
                + "    target: {connection: lake, table: people}\n    key: {code: code, id: id}\n    strategy: join\n"
                + "  - name: keyless\n    source: {connection: pg, table: public.copy}\n"
                + "    target: {connection: lake, table: people}\n    key: none\n";
        into = into.replace("  pg:\n", "  other:\n    url: \"jdbc:duckdb:" + dir.resolve("other.duckdb") + "\"\n  pg:\n");
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("other.duckdb"));
             Statement s = d.createStatement()) {
            s.execute("CREATE TABLE people " + DUCK_COLUMNS);
        }
        String refused = into;
        assertThatThrownBy(() -> recon(refused).validate(List.of(), false)).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe()).contains("mapping 'back': target "
                        + dir.resolve("people.parquet") + " is a file read as a table, which recon never writes")
                        .contains("mapping 'soft': deletes.soft: a DuckDB target does not support a soft-delete marker")
                        .contains("mapping 'joined': strategy join: the source table is in another DuckDB database"
                                + " than the target")
                        .contains("mapping 'keyless': target table main.people has no key: a sync into a DuckDB table"
                                + " without one is not supported yet"));
        // a diff may read a file as its target, and a DuckDB table without a key as a multiset
        assertThat(recon(refused).validate(List.of("back", "keyless"), true)).hasSize(2);
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckFile()); Statement s = d.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE floats (code VARCHAR, id BIGINT, x INTERVAL)");
        }
        pg.execute("DROP TABLE IF EXISTS f; CREATE TABLE f (code text, id bigint, x interval, PRIMARY KEY (code, id))");
        String floats = yaml("floats", null).replace("public.dst", "public.f");
        assertThatThrownBy(() -> recon(floats).validate(List.of("people"), true)).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe()).contains("source column x of main.floats"
                        + " (INTERVAL) for target column x of public.f (interval): no exact rule for this pair"));
        // a CSV whose lines are not split (here: the wrong delimiter given) is read as one column: said so
        java.nio.file.Files.writeString(dir.resolve("bad.csv"), "code,id,x\na,1,z\nb,2,y\n");
        String bad = yaml("files:files: \"" + dir.resolve("bad.csv") + "\", delimiter: \"|\"", null);
        assertThatThrownBy(() -> recon(bad).validate(List.of("people"), true)).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe()).contains("DuckDB read the file as one"
                        + " column, 'code,id,x': it found no delimiter"));
        String missing = yaml(dir.resolve("nosuch/*.csv").toString(), null);
        assertThatThrownBy(() -> recon(missing).validate(List.of("people"), true)).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe()).contains("source file '"
                        + dir.resolve("nosuch/*.csv") + "' on connection 'lake': "));
    }
}
