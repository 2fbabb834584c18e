package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.base.PlanException;
import dev.recon.report.ReportFormat;
import dev.recon.result.ApplyResult;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A MariaDB table as a mapping's target, from a PostgreSQL source and from a MariaDB source,
 * compared by merge: change for change and value for value what the join finds between
 * PostgreSQL copies of the same tables (the oracle), for random rows of every type rule with
 * NULLs, unicode and text keys that the target's case- and pad-blind collation calls equal
 * (the target holds one of them, the source both).
 */
class MariaDbTargetTest {
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    /** Every column of MariaDbSourceTest's tables but the json document (not compared into MariaDB yet). */
    private static final String COLUMNS = "    key: {code: code, id: id}\n    columns: {big: big, paid: paid,"
            + " whole: whole, at: at, ts: ts, d: d, t: t, vip: vip, tag: tag, bin: bin, u: u, note: note, x: x, y: y}\n";
    private static final int DOUBLE = 14;
    private static final int FLOAT = 15;

    private String yaml() {
        return "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url() + "\"\n"
                + "syncs:\n"
                + "  - name: into\n    source: {connection: pg, table: public.src}\n"
                + "    target: {connection: maria, table: dst}\n" + COLUMNS
                + "  - name: into_oracle\n    source: {connection: pg, table: public.src}\n"
                + "    target: {connection: pg, table: public.dst_copy}\n" + COLUMNS + "    strategy: join\n"
                + "  - name: between\n    source: {connection: maria, table: msrc}\n"
                + "    target: {connection: maria, table: dst}\n" + COLUMNS
                + "  - name: between_oracle\n    source: {connection: pg, table: public.msrc_copy}\n"
                + "    target: {connection: pg, table: public.dst_copy}\n" + COLUMNS + "    strategy: join\n"
                + "  - name: into_hash\n    source: {connection: pg, table: public.src}\n"
                + "    target: {connection: maria, table: dst}\n" + COLUMNS + "    strategy: hash\n"
                + "  - name: between_hash\n    source: {connection: maria, table: msrc}\n"
                + "    target: {connection: maria, table: dst}\n" + COLUMNS + "    strategy: hash\n";
    }

    /**
     * {@code n} random rows in PostgreSQL's src and MariaDB's msrc (with its PostgreSQL copy);
     * MariaDB's dst (with its copy) gets them with some missing, changed and extra.
     */
    private void load(long seed, int n) throws SQLException {
        maria.execute("DROP TABLE IF EXISTS dst;\nDROP TABLE IF EXISTS msrc;\nCREATE TABLE dst "
                + MariaDbSourceTest.MARIA_COLUMNS + ";\nCREATE TABLE msrc " + MariaDbSourceTest.MARIA_COLUMNS);
        pg.execute("DROP TABLE IF EXISTS src;\nDROP TABLE IF EXISTS dst_copy;\nDROP TABLE IF EXISTS msrc_copy;\n"
                + "CREATE TABLE src " + MariaDbSourceTest.PG_COLUMNS + ";\nCREATE TABLE dst_copy "
                + MariaDbSourceTest.PG_COLUMNS + ";\nCREATE TABLE msrc_copy " + MariaDbSourceTest.PG_COLUMNS);
        Random r = new Random(seed);
        String marks = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection m = maria.connect(); Connection p = DriverManager.getConnection(pg.url());
             Statement zone = m.createStatement()) {
            zone.execute("SET time_zone = '+00:00'");
            try (PreparedStatement src = p.prepareStatement("INSERT INTO src VALUES " + marks
                         + " ON CONFLICT DO NOTHING");
                 PreparedStatement msrc = m.prepareStatement("INSERT IGNORE INTO msrc VALUES " + marks);
                 PreparedStatement msrcCopy = p.prepareStatement("INSERT INTO msrc_copy VALUES " + marks);
                 PreparedStatement dst = m.prepareStatement("INSERT IGNORE INTO dst VALUES " + marks);
                 PreparedStatement dstCopy = p.prepareStatement("INSERT INTO dst_copy VALUES " + marks)) {
                for (int i = 0; i < n; i++) {
                    Object[] row = MariaDbSourceTest.randomRow(r, i);
                    row[12] = null; // the json document: not mapped
                    MariaDbSourceTest.bindPg(src, row);
                    src.executeUpdate();
                    MariaDbSourceTest.bindMaria(msrc, row);
                    if (msrc.executeUpdate() == 1) {
                        MariaDbSourceTest.bindPg(msrcCopy, row);
                        msrcCopy.executeUpdate();
                    }
                    int fate = r.nextInt(10);
                    if (fate == 0) {
                        continue; // missing from the target
                    }
                    Object[] target = row.clone();
                    if (fate == 1) {
                        Object[] other = MariaDbSourceTest.randomRow(r, i);
                        int col = 2 + r.nextInt(row.length - 2);
                        target[col] = col == 12 ? null : other[col];
                    }
                    List<Object[]> rows = new ArrayList<>();
                    rows.add(target);
                    if (fate == 2) {
                        Object[] extra = MariaDbSourceTest.randomRow(r, n + i);
                        extra[12] = null;
                        rows.add(extra); // only in the target
                    }
                    for (Object[] t : rows) {
                        MariaDbSourceTest.bindMaria(dst, t);
                        if (dst.executeUpdate() == 1) { // a key the collation calls one already there: not held
                            MariaDbSourceTest.bindPg(dstCopy, t);
                            dstCopy.executeUpdate();
                        }
                    }
                }
            }
        }
    }

    /** The changes as text, sorted; floats as the numbers they are (1e20 and 1e+20; a float's exact value). */
    private static List<String> changes(RunResult result, String mapping) {
        return result.mappings().stream().filter(m -> m.name().equals(mapping)).findFirst().orElseThrow()
                .samples().stream().map(c -> new RowChange(c.operation(), c.key(), numbers(c.source()),
                        numbers(c.target()), c.changed(), c.revive()).toString())
                .sorted(Comparator.naturalOrder()).toList();
    }

    private static List<String> numbers(List<String> values) {
        return values.size() <= FLOAT ? values : MariaDbSourceTest.numbers(values, DOUBLE, FLOAT);
    }

    @Test
    void mergeIntoMariaDbFindsWhatTheJoinFindsOnCopies() throws SQLException {
        // empty tables, three rows, then 300
        for (long seed : new long[] {0, 1, 2, 3}) {
            load(seed, seed == 0 ? 0 : seed == 1 ? 3 : 300);
            RunResult diff = Runs.diff(MariaDbSourceTest.recon(yaml()), 100_000,
                    ReportFormat.JSON.writer(new StringWriter()));
            assertThat(diff.errors()).isEmpty();
            // auto merges; the same pairs by hash (EngineHashDiff)
            for (String pair : new String[] {"into", "between", "into_hash", "between_hash"}) {
                var mapping = diff.mappings().stream().filter(m -> m.name().equals(pair)).findFirst().orElseThrow();
                assertThat(mapping.plan().strategy().label()).isEqualTo(pair.endsWith("_hash") ? "hash" : "merge");
                List<String> merged = changes(diff, pair);
                List<String> oracle = changes(diff, pair.replace("_hash", "") + "_oracle");
                assertThat(merged.stream().filter(c -> !oracle.contains(c)).toList())
                        .as("seed " + seed + ", " + pair + ": only merge").isEmpty();
                assertThat(oracle.stream().filter(c -> !merged.contains(c)).toList())
                        .as("seed " + seed + ", " + pair + ": only join").isEmpty();
                assertThat(merged).isEqualTo(oracle);
                if (seed == 0) {
                    assertThat(merged).isEmpty();
                }
                if (seed > 1) {
                    assertThat(merged).hasSizeGreaterThan(20);
                }
            }
            if (seed == 3) {
                // recon diff --key: the rows of these keys only, on every side alike (text keys byte for byte)
                List<String> keys = new ArrayList<>();
                for (var c : diff.mappings().stream().filter(m -> m.name().equals("into")).findFirst().orElseThrow()
                        .samples().subList(0, 4)) {
                    keys.add("code" + (c.key().get(0) == null ? "" : "=" + c.key().get(0)) + ",id=" + c.key().get(1));
                }
                RunResult some = Runs.diff(MariaDbSourceTest.recon(yaml()), keys, 100, ReportFormat.JSON.writer(
                        new StringWriter()), dev.recon.base.Progress.NONE);
                assertThat(some.errors()).isEmpty();
                for (String pair : new String[] {"into", "between"}) {
                    assertThat(changes(some, pair)).as("--key, " + pair).isEqualTo(changes(some, pair + "_oracle"));
                }
                assertThat(changes(some, "into")).hasSize(4).isSubsetOf(changes(diff, "into"));
            }
        }
    }

    private static final String STATE = "recon_t_state_" + ProcessHandle.current().pid();

    @org.junit.jupiter.api.AfterAll
    static void dropStateSchema() {
        maria.execute("DROP DATABASE IF EXISTS " + STATE + ";\nDROP DATABASE IF EXISTS " + STATE + "_lock");
    }

    /**
     * A sync into MariaDB, from PostgreSQL and from MariaDB, in batches of 7: afterwards both
     * diffs find nothing; a row the target refuses (a value too long) is isolated and recorded
     * in the history on the MariaDB server, the others written; the next run tries it again.
     */
    @Test
    void syncIntoMariaDbConvergesAndIsolatesTheRowsItRefuses() throws SQLException {
        for (long seed : new long[] {4, 5}) {
            load(seed, 200);
            // text keys are written only under a binary NO PAD collation, text not into an enum (see the refusals)
            maria.execute("ALTER TABLE dst MODIFY code varchar(12) COLLATE utf8mb4_nopad_bin NOT NULL,"
                    + " MODIFY tag varchar(10)");
            String pair = seed == 4 ? "into" : "between";
            String yaml = yaml() + "state:\n  schema: " + STATE + "\n";
            RunResult sync = MariaDbSourceTest.recon(yaml).sync(dev.recon.SyncRequest.of(List.of(pair),
                    SyncOptions.defaults().withBatchSize(7).withMaxDeletes(dev.recon.config.MaxDeletes.parse("100%"),
                            false)));
            assertThat(sync.errors()).isEmpty();
            var applied = sync.mappings().get(0).applied().orElseThrow();
            assertThat(applied.failed()).isEmpty();
            assertThat(applied.written().total()).isGreaterThan(20);
            RunResult after = Runs.diff(MariaDbSourceTest.recon(yaml), 10, ReportFormat.JSON.writer(new StringWriter()));
            assertThat(after.mappings().stream().filter(m -> m.name().equals(pair)).findFirst().orElseThrow().total())
                    .as(pair).isZero();
        }
        // one row too long for its column: refused alone, recorded; the other changes are written
        pg.execute("UPDATE src SET note = repeat('x', 100) WHERE id = (SELECT min(id) FROM src);\n"
                + "UPDATE src SET big = big + 1 WHERE big IS NOT NULL");
        maria.execute("ALTER TABLE dst MODIFY note varchar(20)");
        String yaml = yaml() + "state:\n  schema: " + STATE + "\n";
        RunResult sync = MariaDbSourceTest.recon(yaml).sync(dev.recon.SyncRequest.of(List.of("into"),
                SyncOptions.defaults()));
        assertThat(sync.errors()).isEmpty();
        var applied = sync.mappings().get(0).applied().orElseThrow();
        assertThat(applied.failed()).singleElement().satisfies(f -> {
            assertThat(f.operation()).isEqualTo(dev.recon.config.Operation.UPDATE);
            assertThat(f.message()).isEqualTo("Data too long for column 'note' at row 1");
        });
        assertThat(applied.written().updates()).isGreaterThan(50);
        var history = MariaDbSourceTest.recon(yaml).histories(List.of("into"), 10).get("into");
        assertThat(history.stream().map(r -> r.status().label()).toList())
                .containsExactly("failed_rows", "converged");
        assertThat(history.get(0).failed()).isEqualTo(1L);
        RunResult after = Runs.diff(MariaDbSourceTest.recon(yaml), 10, ReportFormat.JSON.writer(new StringWriter()));
        assertThat(after.mappings().stream().filter(m -> m.name().equals("into")).findFirst().orElseThrow().total())
                .isEqualTo(1);
        // refused on three runs in a row: stuck, as the history on MariaDB counts it
        ApplyResult third = null;
        for (int run = 2; run <= 3; run++) {
            third = MariaDbSourceTest.recon(yaml).sync(dev.recon.SyncRequest.of(List.of("into"),
                    SyncOptions.defaults())).mappings().get(0).applied().orElseThrow();
        }
        assertThat(third.stuck()).singleElement().satisfies(st -> {
            assertThat(st.runs()).isEqualTo(3);
            assertThat(st.row().message()).isEqualTo("Data too long for column 'note' at row 1");
        });
    }

    /**
     * Whole schemas with a MariaDB side: a MariaDB database's tables into a PostgreSQL schema
     * and back, each table a mapping of its own keyed by the target's primary key; a table
     * without a key is that table's error alone; then a sync converges every keyed table.
     */
    @Test
    void schemaEntriesMapEveryTableOfAMariaDbDatabase() throws SQLException {
        String db = maria.name() + "_s";
        maria.execute("DROP DATABASE IF EXISTS " + db + ";\nCREATE DATABASE " + db + ";\n"
                + "CREATE TABLE " + db + ".orders (id int PRIMARY KEY, total decimal(10,2), placed datetime(3));\n"
                + "CREATE TABLE " + db + ".tags (code varchar(10) COLLATE utf8mb4_nopad_bin PRIMARY KEY, n int);\n"
                + "CREATE TABLE " + db + ".notes (body text);\n"
                + "INSERT INTO " + db + ".orders VALUES (1, 5.5, '2024-01-01 10:00:00.25'), (2, NULL, NULL);\n"
                + "INSERT INTO " + db + ".tags VALUES ('a', 1), ('B', 2)");
        try {
            pg.execute("DROP SCHEMA IF EXISTS mirror CASCADE;\nCREATE SCHEMA mirror;\n"
                    + "CREATE TABLE mirror.orders (id int PRIMARY KEY, total numeric(12,2), placed timestamp(3));\n"
                    + "CREATE TABLE mirror.tags (code text PRIMARY KEY, n int);\n"
                    + "CREATE TABLE mirror.notes (body text);\n"
                    + "INSERT INTO mirror.orders VALUES (1, 5.50, '2024-01-01 10:00:00.25'), (3, 1, NULL)");
            String yaml = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                    + "\"\nstate:\n  schema: " + STATE + "\nsyncs:\n"
                    + "  - name: out\n    source: {connection: maria, schema: " + db + "}\n"
                    + "    target: {connection: pg, schema: mirror}\n"
                    + "  - name: back\n    source: {connection: pg, schema: mirror}\n"
                    + "    target: {connection: maria, schema: " + db + "}\n    tables: [orders, tags]\n";
            RunResult diff = Runs.diff(MariaDbSourceTest.recon(yaml), 100, ReportFormat.JSON.writer(new StringWriter()));
            assertThat(diff.mappings().stream().map(m -> m.name() + " " + m.total()).toList())
                    .containsExactlyInAnyOrder("out.orders 2", "out.tags 2", "back.orders 2", "back.tags 2");
            assertThat(diff.errors()).singleElement().asString().startsWith("mapping 'out.notes': target table"
                    + " mirror.notes has no key: a MariaDB or MySQL source is compared by key only so far");
            RunResult sync = MariaDbSourceTest.recon(yaml).sync(dev.recon.SyncRequest.of(List.of("out"),
                    SyncOptions.defaults().withMaxDeletes(dev.recon.config.MaxDeletes.parse("100%"), false)));
            assertThat(sync.mappings().stream().map(m -> m.name() + " " + m.converged()).toList())
                    .containsExactlyInAnyOrder("out.orders true", "out.tags true");
            assertThat(pg.value("SELECT string_agg(id || ':' || coalesce(total::text, '-'), ',' ORDER BY id)"
                    + " FROM mirror.orders", String.class)).isEqualTo("1:5.50,2:-");
            RunResult back = Runs.diff(MariaDbSourceTest.recon(yaml), 100, ReportFormat.JSON.writer(new StringWriter()));
            assertThat(back.mappings().stream().map(m -> m.name() + " " + m.total()).toList())
                    .containsExactlyInAnyOrder("out.orders 0", "out.tags 0", "back.orders 0", "back.tags 0");
        } finally {
            maria.execute("DROP DATABASE IF EXISTS " + db);
            pg.execute("DROP SCHEMA IF EXISTS mirror CASCADE");
        }
    }

    /**
     * What a probe found: a second unique key on the target (where ON DUPLICATE KEY UPDATE
     * would update another row) fails the row instead; bit(1) takes booleans; a char(n)
     * target for text is refused for a sync (it would drop trailing spaces for ever); the sql
     * format writes no PostgreSQL statement for a MariaDB target.
     */
    @Test
    void aSecondUniqueKeyFailsTheRowBitTakesBooleansAndCharIsRefused() throws SQLException {
        maria.execute("DROP TABLE IF EXISTS uq;\nCREATE TABLE uq (id int PRIMARY KEY, email varchar(20) UNIQUE,"
                + " v varchar(20), b bit(1));\nINSERT INTO uq VALUES (2, 'x', 'v2', b'0'), (3, 'y', 'v3', NULL)");
        pg.execute("DROP TABLE IF EXISTS uq;\nCREATE TABLE uq (id int PRIMARY KEY, email text, v text, b boolean);\n"
                + "INSERT INTO uq VALUES (1, 'x', 'v1', true), (2, 'x2', 'v2', true), (3, 'y', 'w3', false)");
        String yaml = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nstate:\n  schema: " + STATE + "\nsyncs:\n  - name: uq\n    source: {connection: pg, table: public.uq}\n"
                + "    target: {connection: maria, table: uq}\n    key: {id: id}\n    deletes: ignore\n";
        RunResult sync = MariaDbSourceTest.recon(yaml).sync(dev.recon.SyncRequest.of(List.of(), SyncOptions.defaults()));
        var applied = sync.mappings().get(0).applied().orElseThrow();
        assertThat(applied.failed()).singleElement().satisfies(f -> {
            assertThat(f.key()).containsExactly("1");
            assertThat(f.message()).isEqualTo("Duplicate entry 'x' for key 'email'");
        });
        assertThat(applied.written().updates()).isEqualTo(2);
        assertThat(maria.queryString("SELECT GROUP_CONCAT(id, ' ', email, ' ', v, ' ', b + 0 ORDER BY id) FROM uq"))
                .isEqualTo("2 x2 v2 1,3 y w3 0");
        // the row that clashed is written once the other key is free
        RunResult again = MariaDbSourceTest.recon(yaml).sync(dev.recon.SyncRequest.of(List.of(), SyncOptions.defaults()));
        assertThat(again.converged()).isTrue();
        assertThat(maria.queryString("SELECT GROUP_CONCAT(id, ' ', email ORDER BY id) FROM uq"))
                .isEqualTo("1 x,2 x2,3 y");

        maria.execute("DROP TABLE IF EXISTS ch;\nCREATE TABLE ch (id int PRIMARY KEY, txt char(10))");
        pg.execute("DROP TABLE IF EXISTS ch;\nCREATE TABLE ch (id int PRIMARY KEY, txt text);\n"
                + "INSERT INTO ch VALUES (1, 'ab  ')");
        String ch = yaml.replace("name: uq", "name: ch").replace("table: public.uq", "table: public.ch")
                .replace("table: uq", "table: ch");
        assertThatThrownBy(() -> MariaDbSourceTest.recon(ch).sync(dev.recon.SyncRequest.of(List.of(),
                SyncOptions.defaults())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly("mapping 'ch': columns:"
                        + " target column txt (char(10)) of " + maria.name() + ".ch drops the trailing spaces of what"
                        + " it stores ('ab  ' becomes 'ab'); make it varchar(n), so values of source column txt"
                        + " (text) could be written again and again without ever being equal (or two keys become"
                        + " one)"));
        // binary(n) pads, enum and set fold: refused for a sync too
        maria.execute("DROP TABLE IF EXISTS bn;\nCREATE TABLE bn (k binary(4) PRIMARY KEY, e enum('x','y'),"
                + " s set('a','b'))");
        pg.execute("DROP TABLE IF EXISTS bn;\nCREATE TABLE bn (k bytea PRIMARY KEY, e text, s text)");
        String bn = yaml.replace("name: uq", "name: bn").replace("table: public.uq", "table: public.bn")
                .replace("table: uq", "table: bn").replace("key: {id: id}", "key: {k: k}");
        assertThatThrownBy(() -> MariaDbSourceTest.recon(bn).sync(dev.recon.SyncRequest.of(List.of(),
                SyncOptions.defaults())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).hasSize(3).allSatisfy(p ->
                        assertThat(p).contains("could be written again and again")).anySatisfy(p ->
                        assertThat(p).contains("pads what it stores with zero bytes to its length (\\x41 becomes"
                                + " \\x41000000); make it varbinary(n)")));
        StringWriter sql = new StringWriter();
        RunResult diff = Runs.diff(MariaDbSourceTest.recon(ch), 10, ReportFormat.SQL.writer(sql));
        assertThat(diff.mappings().get(0).total()).isEqualTo(1);
        assertThat(sql.toString()).contains("-- its target is MariaDB/MySQL, for which recon writes no SQL yet")
                .doesNotContain("INSERT");
    }

    /**
     * From a new user's probe: a MariaDB target's NOT NULL column without a default that
     * nothing maps is a problem of the sync's check (it failed every insert, each "retried next
     * run"); a PostgreSQL source expression fills it (compared in the type PostgreSQL gives the
     * expression); an incompatible pair is refused as such, not as a fraction that would round.
     */
    @Test
    void unmappedNotNullColumnsAreRefusedAndSourceExpressionsFillThem() throws SQLException {
        maria.execute("DROP TABLE IF EXISTS nn;\nCREATE TABLE nn (id int PRIMARY KEY, v varchar(20), must int NOT NULL,"
                + " flg tinyint(1), made timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))");
        pg.execute("DROP TABLE IF EXISTS nn;\nCREATE TABLE nn (id int PRIMARY KEY, v text, ts timestamptz(3));\n"
                + "INSERT INTO nn VALUES (1, 'a', now()), (2, 'B', now())");
        String head = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nstate:\n  schema: " + STATE + "\nsyncs:\n  - name: nn\n    source: {connection: pg, table:"
                + " public.nn}\n    target: {connection: maria, table: nn}\n    key: {id: id}\n";
        assertThatThrownBy(() -> MariaDbSourceTest.recon(head + "    columns: {v: v}\n")
                .validate(List.of(), false))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly("mapping 'nn': target"
                        + " column 'must' of " + maria.name() + ".nn is NOT NULL without a default and is not mapped;"
                        + " inserts would fail. Map a source column to it"));
        assertThatThrownBy(() -> MariaDbSourceTest.recon(head + "    columns: {v: v, ts: flg, \"7\": must}\n")
                .validate(List.of(), false))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).singleElement().satisfies(p ->
                        assertThat(p).startsWith("mapping 'nn': columns: target column flg of " + maria.name()
                                + ".nn (tinyint(1)) for source column ts of public.nn (timestamp(3) with time"
                                + " zone)").doesNotContain("fractional digits")));
        String filled = head + "    columns: {\"upper(v)\": v, \"id * 10\": must}\n";
        RunResult sync = MariaDbSourceTest.recon(filled).sync(dev.recon.SyncRequest.of(List.of(),
                SyncOptions.defaults()));
        assertThat(sync.converged()).isTrue();
        assertThat(maria.queryString("SELECT GROUP_CONCAT(id, ' ', v, ' ', must ORDER BY id) FROM nn"))
                .isEqualTo("1 A 10,2 B 20");
        pg.execute("UPDATE nn SET v = 'c' WHERE id = 2");
        RunResult diff = Runs.diff(MariaDbSourceTest.recon(filled), 10, ReportFormat.JSON.writer(new StringWriter()));
        assertThat(diff.mappings().get(0).total()).isEqualTo(1);
        assertThat(diff.mappings().get(0).samples()).singleElement().satisfies(c ->
                assertThat(c.changed()).containsExactly("v"));
    }

    /**
     * A key with a NULL part where the mapped key is the table's only unique key: the row is
     * updated, not inserted twice (a unique key never clashes on NULL, so no upsert).
     */
    @Test
    void aKeyWithANullPartIsUpdatedInPlace() throws SQLException {
        maria.execute("DROP TABLE IF EXISTS nk;\nCREATE TABLE nk (a int NOT NULL, b int NULL, v varchar(10),"
                + " UNIQUE KEY uab (a, b));\nINSERT INTO nk VALUES (1, NULL, 'orig'), (2, 2, 'two')");
        pg.execute("DROP TABLE IF EXISTS nk;\nCREATE TABLE nk (a int NOT NULL, b int, v text, UNIQUE (a, b));\n"
                + "INSERT INTO nk VALUES (1, NULL, 'changed'), (2, 2, 'two'), (3, NULL, 'new')");
        String yaml = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nstate:\n  schema: " + STATE + "\nsyncs:\n  - name: nk\n    source: {connection: pg, table: public.nk}\n"
                + "    target: {connection: maria, table: nk}\n    key: {a: a, b: b}\n";
        RunResult sync = MariaDbSourceTest.recon(yaml).sync(dev.recon.SyncRequest.of(List.of(), SyncOptions.defaults()));
        assertThat(sync.converged()).isTrue();
        var written = sync.mappings().get(0).applied().orElseThrow().written();
        assertThat(List.of(written.inserts(), written.updates())).containsExactly(1L, 1L);
        assertThat(maria.queryString("SELECT GROUP_CONCAT(a, ' ', COALESCE(b, '-'), ' ', v ORDER BY a) FROM nk"))
                .isEqualTo("1 - changed,2 2 two,3 - new");
        assertThat(Runs.diff(MariaDbSourceTest.recon(yaml), 10, ReportFormat.JSON.writer(new StringWriter()))
                .inSync()).isTrue();
    }

    /**
     * Soft deletes into MariaDB, with a tinyint(1) marker and with a datetime marker: a row gone
     * from the source is marked, not deleted, is absent to the next diff, and comes back live
     * when the source has it again; the delete guard counts live rows only.
     */
    @Test
    void softDeletesMarkRowsAndBringThemBack() throws SQLException {
        for (String marker : new String[] {"gone tinyint(1) NOT NULL DEFAULT 0", "gone datetime(3) NULL"}) {
            maria.execute("DROP TABLE IF EXISTS sd;\nCREATE TABLE sd (id int PRIMARY KEY, v varchar(10), " + marker
                    + ");\nINSERT INTO sd (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
            pg.execute("DROP TABLE IF EXISTS sd;\nCREATE TABLE sd (id int PRIMARY KEY, v text);\n"
                    + "INSERT INTO sd VALUES (1, 'a'), (2, 'b2'), (4, 'd')");
            String yaml = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                    + "\"\nstate:\n  schema: " + STATE + "\nsyncs:\n  - name: sd\n"
                    + "    source: {connection: pg, table: public.sd}\n    target: {connection: maria, table: sd}\n"
                    + "    key: {id: id}\n    deletes: {soft: gone}\n";
            RunResult sync = MariaDbSourceTest.recon(yaml).sync(dev.recon.SyncRequest.of(List.of(),
                    SyncOptions.defaults().withMaxDeletes(dev.recon.config.MaxDeletes.parse("100%"), false)));
            assertThat(sync.converged()).as(marker).isTrue();
            var w = sync.mappings().get(0).applied().orElseThrow().written();
            assertThat(List.of(w.inserts(), w.updates(), w.deletes())).as(marker).containsExactly(1L, 1L, 1L);
            assertThat(maria.queryString("SELECT GROUP_CONCAT(id, ' ', v, ' ', IF(gone IS NULL OR gone = 0, 'live',"
                    + " 'gone') ORDER BY id) FROM sd")).as(marker).isEqualTo("1 a live,2 b2 live,3 c gone,4 d live");
            assertThat(Runs.diff(MariaDbSourceTest.recon(yaml), 10, ReportFormat.JSON.writer(new StringWriter()))
                    .inSync()).as(marker).isTrue();
            // back in the source: revived, live again
            pg.execute("INSERT INTO sd VALUES (3, 'c3')");
            RunResult again = MariaDbSourceTest.recon(yaml).sync(dev.recon.SyncRequest.of(List.of(),
                    SyncOptions.defaults()));
            assertThat(again.converged()).as(marker).isTrue();
            assertThat(maria.queryString("SELECT CONCAT(v, ' ', IF(gone IS NULL OR gone = 0, 'live', 'gone')) FROM sd"
                    + " WHERE id = 3")).as(marker).isEqualTo("c3 live");
        }
        // a time marker that cannot be NULL could never be live again
        maria.execute("DROP TABLE sd;\nCREATE TABLE sd (id int PRIMARY KEY, v varchar(10), gone datetime(3) NOT NULL"
                + " DEFAULT '2000-01-01')");
        String yaml = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n  - name: sd\n    source: {connection: pg, table: public.sd}\n"
                + "    target: {connection: maria, table: sd}\n    key: {id: id}\n    deletes: {soft: gone}\n";
        assertThatThrownBy(() -> MariaDbSourceTest.recon(yaml).plan(List.of(), dev.recon.plan.Purpose.SYNC))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly("mapping 'sd':"
                        + " deletes.soft: column 'gone' is NOT NULL, but a live row's time marker is NULL; make it"
                        + " NULL (ALTER TABLE `" + maria.name() + "`.`sd` MODIFY `gone` datetime(3) NULL)"));
    }

    /**
     * {@code --key} with a value written otherwise than PostgreSQL prints it (more decimals
     * than the scale, a date without zeros, a fraction with a trailing zero): both sides pick
     * the rows PostgreSQL picks by value, in both directions; a value the type refuses is named.
     */
    @Test
    void keysGivenOnTheCommandLinePickTheSameRowsOnBothEngines() throws SQLException {
        maria.execute("DROP TABLE IF EXISTS kd;\nCREATE TABLE kd (id decimal(10,2) NOT NULL, d date NOT NULL,"
                + " ts datetime(3) NOT NULL, v varchar(10), PRIMARY KEY (id, d, ts));\n"
                + "INSERT INTO kd VALUES (2.00, '2024-01-02', '2024-01-01 10:00:00.500', 'b'),"
                + " (3.00, '2024-01-03', '2024-01-01 10:00:00', 'c')");
        pg.execute("DROP TABLE IF EXISTS kd;\nCREATE TABLE kd (id numeric(10,2), d date, ts timestamp(3), v text,"
                + " PRIMARY KEY (id, d, ts));\nINSERT INTO kd VALUES (2.00, '2024-01-02', '2024-01-01 10:00:00.5', 'bb'),"
                + " (3.00, '2024-01-03', '2024-01-01 10:00:00', 'c')");
        String head = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n";
        String yaml = head + "  - name: into\n    source: {connection: pg, table: public.kd}\n"
                + "    target: {connection: maria, table: kd}\n    key: {id: id, d: d, ts: ts}\n"
                + "  - name: out\n    source: {connection: maria, table: kd}\n"
                + "    target: {connection: pg, table: public.kd}\n    key: {id: id, d: d, ts: ts}\n";
        RunResult some = Runs.diff(MariaDbSourceTest.recon(yaml), List.of("id=2.001,d=2024-1-2,ts=2024-01-01 10:00:00.500"),
                10, ReportFormat.JSON.writer(new StringWriter()), dev.recon.base.Progress.NONE);
        assertThat(some.errors()).isEmpty();
        assertThat(some.mappings().stream().map(m -> m.name() + " " + m.samples()).toList()).containsExactly(
                "into [RowChange[operation=UPDATE, key=[2.00, 2024-01-02, 2024-01-01 10:00:00.5], source=[2.00,"
                        + " 2024-01-02, 2024-01-01 10:00:00.5, bb], target=[2.00, 2024-01-02, 2024-01-01 10:00:00.5, b],"
                        + " changed=[v], revive=false]]",
                "out [RowChange[operation=UPDATE, key=[2.00, 2024-01-02, 2024-01-01 10:00:00.5], source=[2.00,"
                        + " 2024-01-02, 2024-01-01 10:00:00.5, b], target=[2.00, 2024-01-02, 2024-01-01 10:00:00.5, bb],"
                        + " changed=[v], revive=false]]");
        assertThatThrownBy(() -> Runs.diff(MariaDbSourceTest.recon(yaml), List.of("id=abc,d=2024-01-02,ts=x"), 10,
                ReportFormat.JSON.writer(new StringWriter()), dev.recon.base.Progress.NONE))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "--key id=abc: not a value of key column id (numeric(10,2)) of mapping 'into': invalid input"
                                + " syntax for type numeric: \"abc\"",
                        "--key ts=x: not a value of key column ts (timestamp(3) without time zone) of mapping 'into':"
                                + " invalid input syntax for type timestamp: \"x\"",
                        // every mapping the key does not fit
                        "--key id=abc: not a value of key column id (numeric(10,2)) of mapping 'out': invalid input"
                                + " syntax for type numeric: \"abc\"",
                        "--key ts=x: not a value of key column ts (timestamp(3) without time zone) of mapping 'out':"
                                + " invalid input syntax for type timestamp: \"x\""));
    }

    /** While another session holds the mapping's named lock, a sync waits for it, then gives up writing nothing. */
    @Test
    void aSyncWaitsForTheMappingsLockOnTheTarget() throws SQLException {
        load(6, 20);
        maria.execute("ALTER TABLE dst MODIFY code varchar(12) COLLATE utf8mb4_nopad_bin NOT NULL,"
                + " MODIFY tag varchar(10)");
        String yaml = yaml() + "state:\n  schema: " + STATE + "_lock\n";
        String before = maria.queryString("SELECT COUNT(*) FROM dst");
        try (Connection other = maria.connect(); Statement s = other.createStatement()) {
            try (var rs = s.executeQuery("SELECT GET_LOCK('recon:into', 0)")) {
                assertThat(rs.next() && rs.getInt(1) == 1).isTrue();
            }
            RunResult sync = MariaDbSourceTest.recon(yaml).sync(dev.recon.SyncRequest.of(List.of("into"),
                    SyncOptions.defaults().withLockTimeout(java.time.Duration.ofSeconds(1))));
            assertThat(sync.errors()).containsExactly("mapping 'into': another recon run of this mapping is still"
                    + " running (it holds the mapping's lock on maria); waited 1 s (--lock-timeout). Nothing was"
                    + " written");
            assertThat(maria.queryString("SELECT COUNT(*) FROM dst")).isEqualTo(before);
            assertThat(maria.queryString("SELECT CONCAT(status, ': ', LEFT(error, 60)) FROM " + STATE + "_lock.run"))
                    .isEqualTo("error: mapping 'into': another recon run of this mapping is still r");
        }
        // released with the other session: the next run takes it and converges
        RunResult sync = MariaDbSourceTest.recon(yaml).sync(dev.recon.SyncRequest.of(List.of("into"),
                SyncOptions.defaults()));
        assertThat(sync.errors()).isEmpty();
        assertThat(sync.converged()).isTrue();
    }

    @Test
    void equalTablesAreInSyncAndWhatCannotBeComparedOrWrittenIsRefusedByName() throws SQLException {
        maria.execute("DROP TABLE IF EXISTS eq;\nCREATE TABLE eq (id int PRIMARY KEY, price decimal(10,2),"
                + " at datetime(3), doc json, f float, dj json);\nINSERT INTO eq VALUES (1, 5, '2024-01-01 10:00:00.5',"
                + " '{\"b\": [1, 2.0], \"a\": \"x\"}', 0.1, '{}'), (2, NULL, NULL, NULL, NULL, NULL),"
                + " (3, NULL, NULL, '[1, 2]', NULL, NULL)");
        pg.execute("DROP TABLE IF EXISTS eq;\nCREATE TABLE eq (id int PRIMARY KEY, price numeric(8,2), at timestamp(3),"
                + " doc jsonb, f real, g float8, p numeric(12,4), dj json);\nINSERT INTO eq VALUES (1, 5.00,"
                + " '2024-01-01 10:00:00.5', '{\"a\":\"x\",\"b\":[1,2.0]}', 0.1, 0.1, 1, '{}'),"
                + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL), (3, NULL, NULL, '[2, 1]', NULL, NULL, NULL, NULL)");
        String head = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n  - name: eq\n    source: {connection: pg, table: public.eq}\n"
                + "    target: {connection: maria, table: eq}\n    key: {id: id}\n";
        // json documents by value: key order and spacing do not count, element order does (row 3)
        String withDoc = head + "    columns: {price: price, at: at, f: f, doc: doc}\n";
        RunResult equal = Runs.diff(MariaDbSourceTest.recon(withDoc), 10, ReportFormat.JSON.writer(new StringWriter()));
        assertThat(equal.errors()).isEmpty();
        assertThat(equal.mappings().get(0).samples()).singleElement().asString()
                .startsWith("RowChange[operation=UPDATE, key=[3]").contains("changed=[doc]");
        RunResult written = Runs.sync(MariaDbSourceTest.recon(withDoc + "state:\n  schema: " + STATE + "\n"),
                SyncOptions.defaults(), ReportFormat.JSON.writer(new StringWriter()));
        assertThat(written.converged()).isTrue();
        assertThat(maria.queryString("SELECT doc FROM eq WHERE id = 3")).isEqualTo("[2, 1]");
        assertThat(Runs.diff(MariaDbSourceTest.recon(withDoc), 10, ReportFormat.JSON.writer(new StringWriter()))
                .inSync()).isTrue();

        String refused = head + "    columns: {dj: dj, g: f, p: price}\n    strategy: join\n";
        assertThatThrownBy(() -> Runs.diff(MariaDbSourceTest.recon(refused), 10,
                ReportFormat.JSON.writer(new StringWriter())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "mapping 'eq': columns: target column dj of " + maria.name() + ".eq (longtext) for source column dj of"
                                + " public.eq (json): a json"
                                + " source is compared by its text, which MariaDB does not keep; a jsonb source is"
                                + " compared by value (docs/configuration.md lists the pairs recon reads exactly)",
                        "mapping 'eq': columns: target column f of " + maria.name() + ".eq (float) for source column g of"
                                + " public.eq (double precision):"
                                + " a double would be rounded to a float (docs/configuration.md lists the pairs recon"
                                + " reads exactly)",
                        "mapping 'eq': columns: target column price of " + maria.name() + ".eq (decimal(10,2)) for source"
                                + " column p of public.eq (numeric(12,4)): 4 fractional digits would be rounded to 2 (docs/configuration.md"
                                + " lists the pairs recon reads exactly)",
                        "mapping 'eq': strategy join: tables on two engines (PostgreSQL and MariaDB/MySQL) are"
                                + " compared by merge or hash; use merge, hash or auto"));
        maria.execute("DROP TABLE IF EXISTS ci;\nCREATE TABLE ci (code varchar(10) NOT NULL PRIMARY KEY, n int,"
                + " g int AS (n + 1)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci");
        pg.execute("DROP TABLE IF EXISTS ci;\nCREATE TABLE ci (code text PRIMARY KEY, n int, g int);\n"
                + "INSERT INTO ci VALUES ('A', 1, 2), ('a', 2, 3)");
        String ci = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n  - name: ci\n    source: {connection: pg, table: public.ci}\n"
                + "    target: {connection: maria, table: ci}\n    key: {code: code}\n    columns: {n: n, g: g}\n";
        assertThatThrownBy(() -> Runs.sync(MariaDbSourceTest.recon(ci), SyncOptions.defaults(),
                ReportFormat.JSON.writer(new StringWriter())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "mapping 'ci': columns: target column g of " + maria.name() + ".ci is generated; a sync"
                                + " cannot write it: leave it out of columns",
                        "mapping 'ci': key: target column code (varchar(10)) of " + maria.name() + ".ci has"
                                + " collation utf8mb4_general_ci, under which keys recon tells apart are one ('A' and"
                                + " 'a', or 'a' and 'a '), so writing one could overwrite the row of another; recon"
                                + " sync writes a text key only under a binary, NO PAD collation, e.g. ALTER TABLE `"
                                + maria.name() + "`.`ci` MODIFY `code` varchar(10) COLLATE utf8mb4_nopad_bin NOT NULL"
                                + " (recon diff compares it as it is)"));
        // the diff compares it as it is: both source keys are inserts into the empty table
        RunResult diff = Runs.diff(MariaDbSourceTest.recon(ci), 10, ReportFormat.JSON.writer(new StringWriter()));
        assertThat(diff.mappings().get(0).total()).isEqualTo(2);
        assertThat(maria.queryString("SELECT CONCAT(COUNT(*), ' ', SUM(price)) FROM eq")).isEqualTo("3 5.00");
    }
}
