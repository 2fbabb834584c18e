package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.base.PlanException;
import dev.recon.report.ReportFormat;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A MariaDB table as a mapping's source, compared by merge with a PostgreSQL target: the
 * changes it finds are, change for change and value for value, the ones the join finds
 * between the target and a PostgreSQL copy of the same rows (the oracle), for random rows of
 * every type rule with NULLs, unicode and text keys a case-, accent- and pad-blind collation
 * calls equal; a sync then converges.
 */
class MariaDbSourceTest {
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    private static final String[] NAMES = {"a", "A", "a ", "á", "b", "日本", "\uD83D\uDE00", "", "x\ty", "O'Brien"};
    private static final String[] DOCS = {"{\"b\": 1, \"a\": [1, 2]}", "{\"a\":[1,2],\"b\":1}", "[]", "\"x\"", "3.50",
        "null", "{\"k\": \"日本\"}"};

    static final String MARIA_COLUMNS = "(code varchar(12) NOT NULL, id int NOT NULL, big bigint,"
            + " paid decimal(10,2), whole int unsigned, at datetime(6), ts timestamp(6) NULL DEFAULT NULL, d date,"
            + " t time(3), vip tinyint(1), tag enum('red','green','blue'), bin varbinary(8), doc json, u char(36),"
            + " note text, x double, y float, PRIMARY KEY (code, id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";
    static final String PG_COLUMNS = "(code text NOT NULL, id integer NOT NULL, big bigint,"
            + " paid numeric(12,2), whole bigint, at timestamp, ts timestamptz, d date, t time(3), vip boolean,"
            + " tag text, bin bytea, doc jsonb, u uuid, note varchar(200), x float8, y real, PRIMARY KEY (code, id))";

    private String yaml(String strategy) {
        return "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url() + "\"\n"
                + "syncs:\n"
                + "  - name: people\n    source: {connection: maria, table: people}\n"
                + "    target: {connection: pg, table: public.dst}\n    key: {code: code, id: id}\n"
                + (strategy == null ? "" : "    strategy: " + strategy + "\n")
                + "  - name: oracle\n    source: {connection: pg, table: public.copy}\n"
                + "    target: {connection: pg, table: public.dst}\n    key: {code: code, id: id}\n"
                + "    strategy: join\n";
    }

    static Recon recon(String yaml) {
        return new Recon(new ConfigLoader(Map.of()).parse(yaml, "test.yaml"));
    }

    static Object[] randomRow(Random r, int id) {
        return new Object[] {NAMES[r.nextInt(NAMES.length)], id, maybe(r, () -> r.nextLong()),
            maybe(r, () -> BigDecimal.valueOf(r.nextInt(2_000_000) - 1_000_000, 2)),
            maybe(r, () -> (long) r.nextInt(Integer.MAX_VALUE) * 2),
            maybe(r, () -> LocalDateTime.of(1000 + r.nextInt(9000), 1 + r.nextInt(12), 1 + r.nextInt(28),
                    r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000) * 1000)),
            maybe(r, () -> LocalDateTime.of(1971 + r.nextInt(60), 1 + r.nextInt(12), 1 + r.nextInt(28),
                    r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000) * 1000)),
            maybe(r, () -> LocalDate.of(1 + r.nextInt(9999), 1 + r.nextInt(12), 1 + r.nextInt(28))),
            maybe(r, () -> String.format("%02d:%02d:%02d.%03d", r.nextInt(24), r.nextInt(60), r.nextInt(60),
                    r.nextInt(4) == 0 ? 0 : r.nextInt(1000))),
            maybe(r, () -> r.nextBoolean()),
            maybe(r, () -> new String[] {"red", "green", "blue"}[r.nextInt(3)]),
            maybe(r, () -> {
                byte[] b = new byte[r.nextInt(9)];
                r.nextBytes(b);
                return b;
            }),
            maybe(r, () -> DOCS[r.nextInt(DOCS.length)]),
            maybe(r, () -> new UUID(r.nextLong(), r.nextLong()).toString()),
            maybe(r, () -> NAMES[r.nextInt(NAMES.length)] + " " + NAMES[r.nextInt(NAMES.length)]),
            maybe(r, () -> r.nextBoolean() ? r.nextDouble() * 1e6 : Double.longBitsToDouble(r.nextLong() >>> 2)),
            maybe(r, () -> r.nextBoolean() ? (float) r.nextInt(1 << 25) : Float.intBitsToFloat(r.nextInt() >>> 2))};
    }

    private interface Maker {
        Object make();
    }

    private static Object maybe(Random r, Maker m) {
        return r.nextInt(6) == 0 ? null : m.make();
    }

    /** The row as PostgreSQL takes it: timestamps of the timestamptz column at UTC, json and uuid typed. */
    static void bindPg(PreparedStatement ps, Object[] row) throws SQLException {
        for (int c = 0; c < row.length; c++) {
            Object v = row[c];
            if (c == 6 && v != null) {
                v = ((LocalDateTime) v).atOffset(ZoneOffset.UTC);
            }
            if (c == 8 && v != null) {
                ps.setObject(c + 1, v, java.sql.Types.OTHER);
            } else if ((c == 12 || c == 13) && v != null) {
                ps.setObject(c + 1, v, java.sql.Types.OTHER);
            } else {
                ps.setObject(c + 1, v);
            }
        }
    }

    static void bindMaria(PreparedStatement ps, Object[] row) throws SQLException {
        for (int c = 0; c < row.length; c++) {
            ps.setObject(c + 1, row[c]);
        }
    }

    /** {@code n} random rows in MariaDB's people and PostgreSQL's copy; the target gets them changed by {@code change}. */
    private void load(long seed, int n) throws SQLException {
        maria.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people " + MARIA_COLUMNS);
        pg.execute("DROP TABLE IF EXISTS copy;\nDROP TABLE IF EXISTS dst;\nCREATE TABLE copy " + PG_COLUMNS
                + ";\nCREATE TABLE dst " + PG_COLUMNS);
        Random r = new Random(seed);
        String marks = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection m = maria.connect(); Connection p = DriverManager.getConnection(pg.url());
             Statement zone = m.createStatement()) {
            zone.execute("SET time_zone = '+00:00'");
            try (PreparedStatement mi = m.prepareStatement("INSERT IGNORE INTO people VALUES " + marks);
                 PreparedStatement ci = p.prepareStatement("INSERT INTO copy VALUES " + marks
                         + " ON CONFLICT DO NOTHING");
                 PreparedStatement di = p.prepareStatement("INSERT INTO dst VALUES " + marks
                         + " ON CONFLICT DO NOTHING")) {
                for (int i = 0; i < n; i++) {
                    Object[] row = randomRow(r, i);
                    bindMaria(mi, row);
                    if (mi.executeUpdate() == 0) {
                        continue; // a key MariaDB's collation calls equal to an earlier one: not in the source
                    }
                    bindPg(ci, row);
                    ci.executeUpdate();
                    int fate = r.nextInt(10);
                    if (fate == 0) {
                        continue; // missing from the target
                    }
                    Object[] target = row.clone();
                    if (fate == 1) {
                        Object[] other = randomRow(r, i);
                        int col = 2 + r.nextInt(row.length - 2);
                        target[col] = other[col];
                    }
                    bindPg(di, target);
                    di.executeUpdate();
                    if (fate == 2) {
                        Object[] extra = randomRow(r, n + i);
                        bindPg(di, extra);
                        di.executeUpdate(); // only in the target
                    }
                }
            }
        }
    }

    /**
     * The changes as text, sorted; json documents as parsed values, keys sorted: a MariaDB
     * source's is its text as stored, which PostgreSQL's jsonb prints with its keys in its own order.
     */
    private static List<String> changes(RunResult result, String mapping) {
        return result.mappings().stream().filter(m -> m.name().equals(mapping)).findFirst().orElseThrow()
                .samples().stream().map(c -> new RowChange(c.operation(), c.key(), json(c.source()), json(c.target()),
                        c.changed(), c.revive()).toString()).sorted(Comparator.naturalOrder()).toList();
    }

    /** {@code values} with the double at {@code d} and the real at {@code f} as Java prints their values. */
    static List<String> numbers(List<String> values, int d, int f) {
        List<String> copy = new ArrayList<>(values);
        if (values.get(d) != null) {
            copy.set(d, Double.toString(Double.parseDouble(values.get(d))));
        }
        if (values.get(f) != null) {
            copy.set(f, Float.toString(Float.parseFloat(values.get(f))));
        }
        return copy;
    }

    private static final int DOC = 12;
    private static final int DOUBLE = 15;
    private static final int FLOAT = 16;

    /**
     * Values as compared: json keys sorted, floats as the numbers they are (MariaDB prints 1e20,
     * PostgreSQL 1e+20; a float's exact value 0.10000000149011612 is the real 0.1).
     */
    private static List<String> json(List<String> values) {
        if (values.size() <= FLOAT) {
            return values;
        }
        List<String> copy = numbers(values, DOUBLE, FLOAT);
        if (values.get(DOC) == null) {
            return copy;
        }
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
            copy.set(DOC, mapper.writeValueAsString(mapper.readValue(values.get(DOC), Object.class)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
        return copy;
    }

    @Test
    void mergeFromMariaDbFindsWhatTheJoinFindsOnACopyAndSyncConverges() throws SQLException {
        // empty tables, three rows, then 300
        for (long seed : new long[] {0, 1, 2, 3}) {
            load(seed, seed == 0 ? 0 : seed == 1 ? 3 : 300);
            RunResult diff = Runs.diff(recon(yaml(null)), 100_000, ReportFormat.JSON.writer(new StringWriter()));
            assertThat(diff.errors()).isEmpty();
            var people = diff.mappings().get(0);
            assertThat(people.plan().strategy().label()).isEqualTo("merge");
            List<String> merged = changes(diff, "people");
            List<String> oracle = changes(diff, "oracle");
            assertThat(merged.stream().filter(c -> !oracle.contains(c)).toList()).as("seed " + seed + ": only merge")
                    .isEmpty();
            assertThat(oracle.stream().filter(c -> !merged.contains(c)).toList()).as("seed " + seed + ": only join")
                    .isEmpty();
            assertThat(merged).isEqualTo(oracle);
            if (seed == 0) {
                assertThat(merged).isEmpty();
            }
            if (seed > 1) {
                assertThat(changes(diff, "people")).hasSizeGreaterThan(20);
            }
            RunResult sync = Runs.sync(recon(yaml(null)), SyncOptions.defaults().withBatchSize(7)
                    .withMaxDeletes(MaxDeletes.parse("100%"), false), ReportFormat.JSON.writer(new StringWriter()));
            assertThat(sync.errors()).isEmpty();
            RunResult after = Runs.diff(recon(yaml(null)), 10, ReportFormat.JSON.writer(new StringWriter()));
            assertThat(after.mappings()).allSatisfy(m -> assertThat(m.total()).as(m.name()).isZero());
        }
    }

    @Test
    void aRefusedPairIntoANotNullColumnIsSaidOnceNotAlsoAsUnmapped() {
        maria.execute("DROP TABLE IF EXISTS strict_t;\nCREATE TABLE strict_t (id int PRIMARY KEY, x time NOT NULL)");
        pg.execute("DROP TABLE IF EXISTS strict_t; CREATE TABLE strict_t (id int PRIMARY KEY, x interval NOT NULL)");
        String connections = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \""
                + pg.url() + "\"\n";
        String fromMaria = connections + "syncs:\n  - name: f\n    source: {connection: maria, table: strict_t}\n"
                + "    target: {connection: pg, table: public.strict_t}\n    key: {id: id}\n";
        assertThatThrownBy(() -> recon(fromMaria).plan(List.of(), dev.recon.plan.Purpose.SYNC))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "mapping 'f': columns: source column x of " + maria.name() + ".strict_t (time) for target"
                                + " column x of public.strict_t (interval): no exact rule for this pair yet"
                                + " (docs/configuration.md lists the pairs recon reads exactly)"));
        // into a MariaDB target, whose writes are checked by its own engine
        String intoMaria = connections + "syncs:\n  - name: back\n    source: {connection: pg, table: public.strict_t}\n"
                + "    target: {connection: maria, table: strict_t}\n    key: {id: id}\n    columns: {x: X}\n";
        assertThatThrownBy(() -> recon(intoMaria).plan(List.of(), dev.recon.plan.Purpose.SYNC))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).singleElement().asString()
                        .startsWith("mapping 'back': columns: target column x of " + maria.name() + ".strict_t (time)"
                                + " for source column x of public.strict_t (interval): no")
                        .doesNotContain("NOT NULL"));
    }

    @Test
    void anEmptyTargetIsFilledAndPairsWithoutARuleAreRefusedByName() throws SQLException {
        load(7, 50);
        pg.execute("TRUNCATE dst");
        RunResult sync = Runs.sync(recon(yaml("merge")), SyncOptions.defaults(),
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(sync.errors()).isEmpty();
        // the empty target is loaded by COPY of the rows as the rules print them
        assertThat(sync.mappings().get(0).strategy()).isEqualTo("initial-load");
        assertThat(sync.mappings().get(0).applied().orElseThrow().written().inserts()).isGreaterThan(30);
        RunResult after = Runs.diff(recon(yaml(null)), 10, ReportFormat.JSON.writer(new StringWriter()));
        assertThat(after.mappings()).allSatisfy(m -> assertThat(m.total()).as(m.name()).isZero());

        maria.execute("CREATE TABLE floats (id int PRIMARY KEY, x time)");
        pg.execute("CREATE TABLE floats (id int PRIMARY KEY, x interval)");
        String refused = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n  - name: f\n    source: {connection: maria, table: floats}\n"
                + "    target: {connection: pg, table: public.floats}\n    key: {id: id}\n    strategy: join\n";
        assertThatThrownBy(() -> Runs.diff(recon(refused), 10, ReportFormat.JSON.writer(new StringWriter())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "mapping 'f': columns: source column x of " + maria.name() + ".floats (time) for target column x of"
                                + " public.floats (interval):"
                                + " no exact rule for this pair yet (docs/configuration.md lists the pairs recon"
                                + " reads exactly)",
                        "mapping 'f': strategy join: tables on two engines (MariaDB/MySQL and PostgreSQL) are"
                                + " compared by merge or hash; use merge, hash or auto"));
        String intoMaria = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n  - name: back\n    source: {connection: pg, table: public.floats}\n"
                + "    target: {connection: maria, table: floats}\n    key: {id: id}\n";
        assertThatThrownBy(() -> Runs.diff(recon(intoMaria), 10, ReportFormat.JSON.writer(new StringWriter())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "mapping 'back': columns: target column x of " + maria.name() + ".floats (time) for source column x"
                                + " of public.floats (interval): no"
                                + " exact rule for this pair yet (docs/configuration.md lists the pairs recon reads"
                                + " exactly)"));
    }

    @Test
    void aZeroDateFailsTheMappingByNameUnlessTheConnectionReadsThemAsNull() throws SQLException {
        try (Connection m = maria.connect(); Statement st = m.createStatement()) {
            st.execute("SET sql_mode = ''");
            st.execute("CREATE TABLE zd (id int PRIMARY KEY, d date NOT NULL, at datetime NULL)");
            // the zero date's row holds a NULL too (which the error's key list must not trip over)
            st.execute("INSERT INTO zd VALUES (1, '2024-05-01', '2024-05-01 10:00:00'),"
                    + " (2, '0000-00-00', NULL), (3, '2024-05-03', '2024-00-00 00:00:00')");
        }
        pg.execute("CREATE TABLE zd (id int PRIMARY KEY, d date, at timestamp);\n"
                + "INSERT INTO zd VALUES (1, '2024-05-01', '2024-05-01 10:00:00'), (2, '2024-05-02', NULL)");
        String yaml = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n%s  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n  - name: zd\n    source: {connection: maria, table: zd}\n"
                + "    target: {connection: pg, table: public.zd}\n    key: {id: id}\n";
        RunResult strict = Runs.diff(recon(yaml.formatted("")), 100, ReportFormat.JSON.writer(new StringWriter()));
        assertThat(strict.errors()).containsExactly("mapping 'zd': source column d of " + maria.name() + ".zd holds the zero date"
                + " 0000-00-00 in the row with key [2], which PostgreSQL has no value for: correct the row, or set"
                + " zero_dates: null on connection 'maria' to read zero dates as NULL (docs/configuration.md)");
        RunResult failedSync = Runs.sync(recon(yaml.formatted("")), SyncOptions.defaults(),
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(failedSync.errors()).hasSize(1);
        assertThat(pg.value("SELECT count(*) || ' ' || max(d) FROM zd", String.class)).isEqualTo("2 2024-05-02");

        String asNull = yaml.formatted("    zero_dates: null\n");
        RunResult diff = Runs.diff(recon(asNull), 100, ReportFormat.JSON.writer(new StringWriter()));
        assertThat(diff.errors()).isEmpty();
        assertThat(changes(diff, "zd")).containsExactly(
                "RowChange[operation=INSERT, key=[3], source=[3, 2024-05-03, null], target=[], changed=[], revive=false]",
                "RowChange[operation=UPDATE, key=[2], source=[2, null, null], target=[2, 2024-05-02, null],"
                        + " changed=[d], revive=false]");
        RunResult sync = Runs.sync(recon(asNull), SyncOptions.defaults(), ReportFormat.JSON.writer(new StringWriter()));
        assertThat(sync.errors()).isEmpty();
        assertThat(pg.value("SELECT string_agg(id || ' ' || coalesce(d::text, '-') || ' ' || coalesce(at::text,"
                + " '-'), ', ' ORDER BY id) FROM zd", String.class)).isEqualTo(
                "1 2024-05-01 2024-05-01 10:00:00, 2 - -, 3 2024-05-03 -");
    }

    @Test
    void keysWithNullPartsPairAsTheJoinPairsThem() {
        maria.execute("CREATE TABLE nk (a varchar(5) NULL, b int NOT NULL, v text, UNIQUE KEY (a, b))"
                + " DEFAULT CHARSET=utf8mb4;\nINSERT INTO nk VALUES (NULL, 1, 'x'), ('a', 1, 'y'), (NULL, 2, 'z'),"
                + " ('', 2, 'e')");
        pg.execute("CREATE TABLE nk_copy (a text, b int NOT NULL, v text, UNIQUE (a, b));\n"
                + "INSERT INTO nk_copy VALUES (NULL, 1, 'x'), ('a', 1, 'y'), (NULL, 2, 'z'), ('', 2, 'e');\n"
                + "CREATE TABLE nk (a text, b int NOT NULL, v text, UNIQUE (a, b));\n"
                + "INSERT INTO nk VALUES (NULL, 1, 'x2'), ('a', 1, 'y'), (NULL, 3, 'w'), ('', 3, 'e')");
        String yaml = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n"
                + "  - name: people\n    source: {connection: maria, table: nk}\n"
                + "    target: {connection: pg, table: public.nk}\n    key: {a: a, b: b}\n"
                + "  - name: oracle\n    source: {connection: pg, table: public.nk_copy}\n"
                + "    target: {connection: pg, table: public.nk}\n    key: {a: a, b: b}\n    strategy: join\n";
        RunResult diff = Runs.diff(recon(yaml), 100, ReportFormat.JSON.writer(new StringWriter()));
        assertThat(diff.errors()).isEmpty();
        List<String> merged = changes(diff, "people");
        assertThat(merged).hasSize(5).isEqualTo(changes(diff, "oracle"));
        assertThat(merged).anyMatch(c -> c.startsWith("RowChange[operation=UPDATE, key=[null, 1]"))
                .anyMatch(c -> c.startsWith("RowChange[operation=INSERT, key=[null, 2]"))
                .anyMatch(c -> c.startsWith("RowChange[operation=DELETE, key=[null, 3]"))
                .anyMatch(c -> c.startsWith("RowChange[operation=INSERT, key=[, 2]"))
                .anyMatch(c -> c.startsWith("RowChange[operation=DELETE, key=[, 3]"));
    }
}
