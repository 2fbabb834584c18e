package dev.recon.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.Recon;
import dev.recon.base.Side;
import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.config.Operation;
import dev.recon.config.ReconConfig;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.base.PlanException;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.report.ReportFormat;
import dev.recon.report.ReportWriter;
import dev.recon.result.ApplyResult;
import dev.recon.result.Counts;
import dev.recon.result.FailedRow;
import dev.recon.result.MappingResult;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CrossServerTest {
    @RegisterExtension
    static final PgDatabase warehouse = new PgDatabase();
    @RegisterExtension
    static final PgDatabase app = new PgDatabase();

    @BeforeEach
    void seed() {
        warehouse.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;
                CREATE TABLE orders (ref text PRIMARY KEY, price numeric(10,3), qty int);
                INSERT INTO orders SELECT 'o' || g, g * 1.5, g FROM generate_series(1, 2000) g;
                """);
        app.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE dest (code text PRIMARY KEY, total numeric(12,2), items bigint);
                INSERT INTO dest SELECT 'o' || g, g * 1.5, g FROM generate_series(1, 1990) g;
                UPDATE dest SET items = -1 WHERE code IN ('o7', 'o700');
                INSERT INTO dest VALUES ('zz', 1, 1);
                """);
    }

    private static String yaml(String strategy, String extra) {
        return "connections:\n  warehouse: { url: \"" + warehouse.url() + "\" }\n  app: { url: \"" + app.url()
                + "\" }\nsyncs:\n  - name: orders\n    source: { connection: warehouse, table: orders }\n"
                + "    target: { connection: app, table: dest }\n    key: { ref: code }\n"
                + "    columns: { price: total, qty: items }\n" + (strategy == null ? "" : "    strategy: " + strategy
                + "\n") + extra;
    }

    private static Recon recon(String yaml) {
        return new Recon(new ConfigLoader(Map.of()).parse(yaml, "test.yaml"));
    }

    @Test
    void autoHashesAcrossDatabasesAndReportsWhatItRead() {
        StringWriter out = new StringWriter();
        RunResult report = Runs.diff(recon(yaml(null, "")), 3, ReportFormat.JSON.writer(out));
        MappingResult s = report.mappings().get(0);
        assertThat(s.strategy()).isEqualTo("hash");
        assertThat(List.of(s.count(Operation.INSERT), s.count(Operation.UPDATE), s.count(Operation.DELETE)))
                .containsExactly(10L, 2L, 1L);
        assertThat(s.details().asMap()).containsKeys("segments", "segments_compared", "segments_differing",
                "rows_fetched");
        assertThat(s.details().asMap().get("rows_fetched")).isLessThan(3991L);
        // every row of both sides went into a segment summary
        assertThat(s.details().asMap()).containsEntry("rows_compared", 3991L);
        assertThat(out.toString()).contains("\"strategy\" : \"hash\"", "\"segments_differing\"");

        RunResult merged = Runs.diff(recon(yaml("merge", "")), 3, ReportFormat.TEXT.writer(new StringWriter()));
        assertThat(merged.mappings().get(0).counts()).isEqualTo(s.counts());
        assertThat(merged.mappings().get(0).details().asMap()).containsEntry("rows_fetched", 3991L)
                .containsEntry("rows_compared", 3991L);
    }

    @Test
    void syncAcrossServersConvergesAndRetriesRefusedRows() {
        app.execute("ALTER TABLE dest ADD CONSTRAINT no_o1999 CHECK (code <> 'o1999')");
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("1"), false);
        RunResult first = Runs.sync(recon(yaml(null, "")), options, ReportFormat.JSON.writer(new StringWriter()));
        ApplyResult a = first.mappings().get(0).applied().orElseThrow();
        assertThat(a.failed()).extracting(FailedRow::key).containsExactly(List.of("o1999"));
        assertThat(List.of(a.written().inserts(), a.written().updates(), a.written().deletes())).containsExactly(9L, 2L, 1L);

        app.execute("ALTER TABLE dest DROP CONSTRAINT no_o1999");
        RunResult second = Runs.sync(recon(yaml("merge", "")), options,
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(second.converged()).isTrue();
        assertThat(second.mappings().get(0).applied().orElseThrow().written().inserts()).isEqualTo(1);
        assertThat(Runs.diff(recon(yaml("hash", "")), 0, ReportFormat.TEXT.writer(new StringWriter())).inSync())
                .isTrue();
        assertThat(app.value("SELECT count(*) FROM recon.run", Long.class)).isEqualTo(2L);
    }

    @Test
    void joinCannotSpanDatabasesAndTypesMustExistOnTheSourceServer() {
        app.execute("CREATE TYPE mood AS ENUM ('ok', 'bad'); ALTER TABLE dest ADD COLUMN feeling mood");
        warehouse.execute("ALTER TABLE orders ADD COLUMN feeling text");
        String yaml = yaml("join", "").replace("qty: items", "qty: items, feeling: feeling");
        assertThatThrownBy(() -> Runs.diff(recon(yaml), 0, ReportFormat.TEXT.writer(new StringWriter())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        // text and an enum compare by the enum's labels, so only the strategy is wrong
                        "mapping 'orders': strategy join needs both tables in one database, but source uses"
                                + " connection 'warehouse' and target uses 'app'; use merge or hash (or auto)"));
        String cast = yaml("merge", "").replace("qty: items", "qty: items, \"feeling::mood\": feeling");
        assertThatThrownBy(() -> Runs.diff(recon(cast), 0, ReportFormat.TEXT.writer(new StringWriter())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "mapping 'orders': columns: source expression 'feeling::mood' is not valid on public.orders:"
                                + " type \"mood\" does not exist [SQLSTATE 42704]"));
    }

    /**
     * A numeric key the target's type rounds (numeric(10,3) into numeric(10,2)) could make two
     * source keys one: refused across servers as the docs say (a new user's probe found it
     * accepted); an expression of the target's scale, and the same key on one server, are not.
     */
    @Test
    void aNumericKeyTheTargetWouldRoundIsRefusedAcrossServers() {
        warehouse.execute("CREATE TABLE nk (k numeric(10,3) PRIMARY KEY, v int); INSERT INTO nk VALUES (1.234, 1),"
                + " (1.231, 2)");
        app.execute("CREATE TABLE nk (k numeric(10,2) PRIMARY KEY, v int)");
        String yaml = "connections:\n  warehouse: { url: \"" + warehouse.url() + "\" }\n  app: { url: \"" + app.url()
                + "\" }\nsyncs:\n  - name: nk\n    source: { connection: warehouse, table: nk }\n"
                + "    target: { connection: app, table: nk }\n    key: { k: k }\n    columns: { v: v }\n";
        for (String strategy : List.of("merge", "hash")) {
            assertThatThrownBy(() -> recon(yaml + "    strategy: " + strategy + "\n").validate(List.of(), true))
                    .isInstanceOf(PlanException.class)
                    .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly("mapping 'nk': key:"
                            + " source 'k' (numeric(10,3)) has more fractional digits than the target's"
                            + " numeric(10,2), which rounds them, so two source keys could become one; across"
                            + " servers map a key of the target's scale, e.g. \"k::numeric(10,2)\", or compare on"
                            + " one server (strategy join)"));
        }
        String cast = yaml.replace("key: { k: k }", "key: { \"round(k, 2)::numeric(10,2)\": k }");
        assertThat(recon(cast).validate(List.of(), true)).hasSize(1);
    }

    @Test
    void integerKeysTakeTheirSegmentsFromThePlannersStatisticsEvenWhenStale() {
        // autovacuum off: whether a histogram exists is up to the test, not to a background ANALYZE
        warehouse.execute("""
                CREATE TABLE items (id bigint PRIMARY KEY, v int) WITH (autovacuum_enabled = false);
                INSERT INTO items SELECT g * 3, g FROM generate_series(1, 20000) g;
                """);
        app.execute("""
                CREATE TABLE items_copy (item_id bigint PRIMARY KEY, v int) WITH (autovacuum_enabled = false);
                INSERT INTO items_copy SELECT g * 3, g FROM generate_series(1, 20000) g;
                UPDATE items_copy SET v = -1 WHERE item_id IN (300, 30000, 59997);
                DELETE FROM items_copy WHERE item_id IN (3, 45000);
                INSERT INTO items_copy VALUES (1, 1);
                """);
        String yaml = keyedBy("items", "items_copy", "item_id");
        MappingResult unanalysed = Runs.diff(recon(yaml), 0, ReportFormat.TEXT.writer(new StringWriter())).mappings()
                .get(0);
        // no statistics: sampled boundaries, and hash aggregates (nothing says the rows lie in key order)
        assertThat(unanalysed.details().asMap()).containsEntry("boundaries_from_statistics", 0L)
                .containsEntry("summaries_by_index", 0L);
        assertThat(List.of(unanalysed.count(Operation.INSERT), unanalysed.count(Operation.UPDATE),
                unanalysed.count(Operation.DELETE))).containsExactly(2L, 3L, 1L);

        warehouse.execute("ANALYZE items");
        app.execute("ANALYZE items_copy");
        // rows added after ANALYZE lie beyond the histogram; one of them differs
        warehouse.execute("INSERT INTO items SELECT g * 3, g FROM generate_series(20001, 25000) g");
        app.execute("INSERT INTO items_copy SELECT g * 3, CASE WHEN g = 24000 THEN 0 ELSE g END"
                + " FROM generate_series(20001, 25000) g");
        MappingResult s = Runs.diff(recon(yaml), 0, ReportFormat.TEXT.writer(new StringWriter())).mappings().get(0);
        // both tables were filled in key order (correlation 1): both summaries by index range scans
        assertThat(s.details().asMap()).containsEntry("boundaries_from_statistics", 1L)
                .containsEntry("summaries_by_index", 2L)
                .containsEntry("rows_compared", 49999L).containsEntry("segments_differing", 7L);
        assertThat(List.of(s.count(Operation.INSERT), s.count(Operation.UPDATE), s.count(Operation.DELETE)))
                .containsExactly(2L, 4L, 1L);
        // about 32 rows per differing segment on each side, also past the histogram's end: the live
        // maximum read from the index extends the segments instead of one open range of 5,000 rows
        assertThat(s.details().asMap().get("row_hashes_compared")).isBetween(7L * 2 * 16, 7L * 2 * 64);

        // the destination's rows rewritten in random order: its summary goes back to a hash aggregate
        app.execute("""
                CREATE TABLE shuffled AS SELECT * FROM items_copy ORDER BY md5(item_id::text);
                TRUNCATE items_copy; INSERT INTO items_copy SELECT * FROM shuffled; ANALYZE items_copy;
                """);
        MappingResult shuffled = Runs.diff(recon(yaml), 0, ReportFormat.TEXT.writer(new StringWriter())).mappings()
                .get(0);
        assertThat(app.value("SELECT abs(correlation) < 0.5 FROM pg_stats WHERE tablename = 'items_copy'"
                + " AND attname = 'item_id'", Boolean.class)).isTrue();
        assertThat(shuffled.details().asMap()).containsEntry("summaries_by_index", 1L);
        assertThat(shuffled.counts()).isEqualTo(s.counts());
    }

    @Test
    void anIntegerSourceKeyMappedToBigintStillReachesItsIndex() throws Exception {
        warehouse.execute("""
                CREATE TABLE narrow (id integer PRIMARY KEY, v int);
                INSERT INTO narrow SELECT g, g FROM generate_series(1, 50000) g;
                ANALYZE narrow;
                """);
        app.execute("""
                CREATE TABLE wide (id bigint PRIMARY KEY, v int);
                INSERT INTO wide SELECT g, g FROM generate_series(1, 50000) g;
                UPDATE wide SET v = 0 WHERE id IN (10, 40000);
                ANALYZE wide;
                """);
        String yaml = keyedBy("narrow", "wide", "id");
        SideQuery source = sourceQuery(yaml);
        // the second level's range rows, the summary by index ranges and the rows fetched by key:
        // each must reach the integer primary key through the bigint comparisons
        try (var c = DriverManager.getConnection(warehouse.url())) {
            assertThat(explain(c, source.rangeRows(source.keyHashColumns()), "{100,900}", "{120,950}", null, null))
                    .contains("Index Cond: ((id >= (r.lo)::bigint) AND (id < (r.hi)::bigint))")
                    .doesNotContain("Seq Scan");
            assertThat(explain(c, source.rangeSummary(), "{100,900,4000}"))
                    .contains("Index Cond: ((id >= (b_1.b)[g.i]) AND (id < (b_1.b)[(g.i + 1)]))")
                    .doesNotContain("Seq Scan");
            assertThat(explain(c, source.rowsForKeys(), "{10,40000}"))
                    .contains("Index Cond: (id = (u.v0)::integer)").doesNotContain("Seq Scan");
        }
        MappingResult s = Runs.diff(recon(yaml), 0, ReportFormat.TEXT.writer(new StringWriter())).mappings().get(0);
        assertThat(s.strategy()).isEqualTo("hash");
        assertThat(s.details().asMap()).containsEntry("summaries_by_index", 2L).containsEntry("rows_fetched", 4L);
        assertThat(s.count(Operation.UPDATE)).isEqualTo(2L);
    }

    @Test
    void aSourceKeyWithoutAnIndexIsReadInOneScanNotOneScanPerRange() throws Exception {
        warehouse.execute("""
                CREATE TABLE loose (id bigint NOT NULL, v int);
                INSERT INTO loose SELECT g, g FROM generate_series(1, 30000) g;
                ANALYZE loose;
                """);
        app.execute("""
                CREATE TABLE keyed (id bigint PRIMARY KEY, v int);
                INSERT INTO keyed SELECT g, g FROM generate_series(1, 30000) g;
                UPDATE keyed SET v = 0 WHERE id IN (5, 15000, 29999);
                DELETE FROM keyed WHERE id = 20000;
                ANALYZE keyed;
                """);
        String yaml = keyedBy("loose", "keyed", "id");
        MappingResult s = Runs.diff(recon(yaml), 0, ReportFormat.TEXT.writer(new StringWriter())).mappings().get(0);
        assertThat(s.strategy()).isEqualTo("hash");
        assertThat(List.of(s.count(Operation.INSERT), s.count(Operation.UPDATE), s.count(Operation.DELETE)))
                .containsExactly(1L, 3L, 0L);
        assertThat(s.details().asMap()).containsEntry("sides_without_key_index", 1L)
                .containsEntry("summaries_by_index", 1L).containsEntry("segments_differing", 4L);
        // what the source ran for the differing segments: a single scan, no join per range
        SideQuery source = sourceQuery(yaml);
        try (var c = DriverManager.getConnection(warehouse.url())) {
            String explained = explain(c, source.segmentRows(source.keyHashColumns()), "{100,20000}", "{1,2}");
            assertThat(explained).contains("Seq Scan on loose").doesNotContain("Nested Loop");
        }

        // a view over an indexed table: its planner reaches the index through the view, so ranges
        warehouse.execute("CREATE TABLE tight AS SELECT * FROM loose; ALTER TABLE tight ADD PRIMARY KEY (id);"
                + " ANALYZE tight; CREATE VIEW tight_view AS SELECT id, v FROM tight WHERE v IS NOT NULL");
        MappingResult viewed = Runs.diff(recon(keyedBy("tight_view", "keyed", "id")), 0,
                ReportFormat.TEXT.writer(new StringWriter())).mappings().get(0);
        assertThat(viewed.counts()).isEqualTo(s.counts());
        assertThat(viewed.details().asMap()).containsEntry("sides_without_key_index", 0L);
    }

    /** PostgreSQL's numeric hash leaves out the sign: -5 and 5 hash alike, so the row hash adds it (a probe's find). */
    @Test
    void theHashSeesANumbersSign() {
        for (String type : List.of("numeric(12,2)", "numeric", "bigint", "double precision")) {
            boolean special = type.equals("numeric") || type.equals("double precision");
            String rows = "(1, -5), (2, 7.25), (3, 0), (4, NULL)" + (special ? ", (5, '-Infinity')" : "");
            String flipped = "(1, 5), (2, -7.25), (3, 0), (4, NULL)" + (special ? ", (5, 'Infinity')" : "");
            if (type.equals("bigint")) {
                rows = rows.replace("7.25", "7");
                flipped = flipped.replace("7.25", "7");
            }
            warehouse.execute("DROP TABLE IF EXISTS signs; CREATE TABLE signs (id int PRIMARY KEY, v " + type + ");"
                    + " INSERT INTO signs VALUES " + rows);
            app.execute("DROP TABLE IF EXISTS signs; CREATE TABLE signs (id int PRIMARY KEY, v " + type + ");"
                    + " INSERT INTO signs VALUES " + flipped);
            for (String strategy : List.of("hash", "merge")) {
                MappingResult m = Runs.diff(recon(keyedBy("signs", "signs", "id").replace("strategy: hash",
                        "strategy: " + strategy)), 10, ReportFormat.TEXT.writer(new StringWriter())).mappings().get(0);
                assertThat(m.count(Operation.UPDATE)).as(type + " by " + strategy).isEqualTo(special ? 3 : 2);
            }
        }
    }

    /** One hash mapping from warehouse {@code source} (key id, column v) to app {@code target} (key {@code targetKey}, v). */
    private static String keyedBy(String source, String target, String targetKey) {
        return "connections:\n  warehouse: { url: \"" + warehouse.url() + "\" }\n  app: { url: \"" + app.url()
                + "\" }\nsyncs:\n  - name: " + source + "\n    source: { connection: warehouse, table: " + source
                + " }\n    target: { connection: app, table: " + target + " }\n    key: { id: " + targetKey + " }\n"
                + "    columns: { v: v }\n    strategy: hash\n";
    }

    /** The source side's queries of the first mapping in {@code yaml}. */
    private static SideQuery sourceQuery(String yaml) {
        ReconConfig config = new ConfigLoader(Map.of()).parse(yaml, "test.yaml");
        return new SideQuery(new Planner(config, new Databases())
                .plan(List.of(), Purpose.DIFF).get(0), Side.SOURCE);
    }

    /** EXPLAIN of {@code sql} with its parameters bound as text. */
    private static String explain(Connection c, String sql, String... params) throws Exception {
        try (var ps = c.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i], Types.VARCHAR);
            }
            StringBuilder out = new StringBuilder();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append('\n');
                }
            }
            return out.toString();
        }
    }

    @Test
    void aStatementTimeoutNamesTheMappingAndSide() {
        String yaml = "connections:\n  warehouse: { url: \"" + warehouse.url() + "\", properties: { options:"
                + " \"-c statement_timeout=200\" } }\n  app: { url: \"" + app.url() + "\" }\nsyncs:\n"
                + "  - name: orders\n    source: { connection: warehouse, table: orders,"
                + " where: \"pg_sleep(0.01) IS NOT NULL\" }\n    target: { connection: app, table: dest }\n"
                + "    key: { ref: code }\n    strategy: merge\n";
        // the run goes on (other mappings keep their results); the mapping's error is in the report
        RunResult report = Runs.diff(recon(yaml), 0, ReportFormat.TEXT.writer(new StringWriter()));
        assertThat(report.erroredMappings()).containsExactly("orders");
        assertThat(report.errors()).containsExactly("mapping 'orders': the source query failed: canceling statement"
                + " due to statement timeout [SQLSTATE 57014]");
    }

    @Test
    void aConnectionLostMidStreamIsAnErrorNamingTheSide() {
        warehouse.execute("INSERT INTO orders SELECT 'n' || g, g, g FROM generate_series(1, 30000) g");
        ReconConfig config = new ConfigLoader(Map.of()).parse(yaml("merge", ""), "t.yaml");
        Recon recon = new Recon(config);
        boolean[] killed = {false};
        RunResult report = Runs.diff(recon, 0, new ReportWriter() {
            @Override
            public void change(MappingPlan plan, RowChange change) {
                if (!killed[0]) {
                    killed[0] = true;
                    warehouse.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                            + warehouse.name() + "' AND application_name = 'recon'");
                }
            }

            @Override
            public void finish(RunResult report) {
            }
        });
        assertThat(report.erroredMappings()).containsExactly("orders");
        assertThat(report.errors()).singleElement().asString()
                .startsWith("mapping 'orders': reading the source failed: ")
                .matches("(?s).*\\[SQLSTATE (57P01|08006|08003)\\]$");
        assertThat(killed[0]).isTrue();
    }

    @Test
    void tablesWhoseQueriesFailAreTheirOwnErrorsAndTheTablesAfterThemAreComparedOnFreshConnections() {
        // the source's summary fails (division by zero) while the target's may still run: after
        // a failure neither connection serves a later table (DiffContext discards them); the
        // race itself (a cursor still being read on the other side) is not reproduced here
        StringBuilder tables = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            tables.append("CREATE TABLE s.t").append(i).append(" (id int PRIMARY KEY, v text); INSERT INTO s.t").append(i)
                    .append(" SELECT g, 'x' FROM generate_series(1, 3000) g;");
        }
        warehouse.execute("DROP SCHEMA IF EXISTS s CASCADE; CREATE SCHEMA s; " + tables);
        app.execute("DROP SCHEMA IF EXISTS s CASCADE; CREATE SCHEMA s; " + tables.toString().replace("'x'", "'y'"));
        String yaml = "connections:\n  warehouse: { url: \"" + warehouse.url() + "\" }\n  app: { url: \"" + app.url()
                + "\" }\nsyncs:\n  - name: s\n    source: { connection: warehouse, schema: s }\n"
                + "    target: { connection: app, schema: s }\n    strategy: hash\n"
                + "    overrides: { t0: { where: \"1 / (id - 2000) > -10\" }, t3: { where: \"1 / (id - 1) > -10\" } }\n";
        for (int run = 0; run < 3; run++) {
            RunResult result = Runs.diff(recon(yaml), 0, ReportFormat.TEXT.writer(new StringWriter()));
            assertThat(result.erroredMappings()).containsExactly("s.t0", "s.t3");
            assertThat(result.errors()).allMatch(e -> e.startsWith("mapping 's.t") && e.contains("division by zero"));
            assertThat(result.mappings()).extracting(m -> m.name() + " " + m.counts().get(Operation.UPDATE))
                    .containsExactly("s.t1 3000", "s.t2 3000", "s.t4 3000", "s.t5 3000");
        }
    }

    @Test
    void aKeylessTableAcrossServersComparesANumericCastToTheTargetsScale() {
        warehouse.execute("DROP TABLE IF EXISTS bag; CREATE TABLE bag (n numeric, s text);"
                + " INSERT INTO bag VALUES (1.5, 'a'), (1.5, 'a'), (2.125, 'b')");
        app.execute("DROP TABLE IF EXISTS bag; CREATE TABLE bag (n numeric(10,2), s text);"
                + " INSERT INTO bag VALUES (1.50, 'a'), (2.13, 'b')");
        String yaml = "connections:\n  warehouse: { url: \"" + warehouse.url() + "\" }\n  app: { url: \"" + app.url()
                + "\" }\nsyncs:\n  - { name: bag, source: { connection: warehouse, table: bag }, target: { connection:"
                + " app, table: bag }, key: none, strategy: merge, columns: { \"n::numeric(10,2)\": n, s: s } }\n";
        RunResult result = Runs.diff(recon(yaml), 5, ReportFormat.TEXT.writer(new StringWriter()));
        assertThat(result.errors()).isEmpty();
        assertThat(result.mappings().get(0).samples()).extracting(c -> c.operation() + " " + c.key())
                .containsExactly("INSERT [1.50, a, 2]");
    }

    private static String sameServer(String strategy, String source) {
        return "connections:\n  warehouse: { url: \"" + warehouse.url() + "\" }\nsyncs:\n  - { name: u, source:"
                + " { connection: warehouse, table: " + source + " }, target: { connection: warehouse, table: u2 },"
                + " key: { id: id }, strategy: " + strategy + ", deletes: delete }\n";
    }

    @Test
    void theMergeReadsEachSideAheadAndComparesTextByItsBytesAsTheJoinDoes() {
        // 12,000 rows: twelve batches a side through the read-ahead queue of four. Texts equal only
        // byte for byte (é against e and a combining accent, emoji that differ in their last byte,
        // '' against NULL), numerics equal by value whose bytes differ (0.5 against 0.500)
        warehouse.execute("""
                DROP TABLE IF EXISTS u1, u2, u3;
                CREATE TABLE u1 (id int PRIMARY KEY, t text, n numeric, f float8);
                CREATE TABLE u2 (id int PRIMARY KEY, t text, n numeric(12,3), f float8);
                INSERT INTO u1 SELECT g, CASE g % 5 WHEN 0 THEN 'é' || g WHEN 1 THEN 'e' || chr(769) || g
                    WHEN 2 THEN '😀' || g WHEN 3 THEN '' END, g * 0.5, g / 3.0 FROM generate_series(1, 12000) g;
                INSERT INTO u2 SELECT id, t, n, f FROM u1;
                UPDATE u2 SET t = 'e' || chr(769) || id WHERE id % 5 = 0 AND id % 7 = 0;
                UPDATE u2 SET t = NULL WHERE id % 5 = 3 AND id % 11 = 0;
                UPDATE u2 SET t = '😁' || id WHERE id % 5 = 2 AND id % 13 = 0;
                UPDATE u2 SET f = f + 1e-9 WHERE id % 1001 = 0;
                DELETE FROM u2 WHERE id % 997 = 0;
                INSERT INTO u2 VALUES (20000, 'x', 1, 1);
                CREATE TABLE u3 AS SELECT g AS id, 'x' AS t, 1::numeric AS n, 1::float8 AS f
                    FROM generate_series(1, 60000) g;
                INSERT INTO u3 VALUES (100, 'x', 1, 1);
                """);
        long updates = warehouse.value("SELECT count(*) FROM u1 JOIN u2 USING (id) WHERE (u1.t, u1.n, u1.f)"
                + " IS DISTINCT FROM (u2.t, u2.n, u2.f)", Long.class);
        assertThat(updates).isEqualTo(749L);
        List<String> joined = null;
        for (String strategy : List.of("join", "merge", "hash")) {
            RunResult result = Runs.diff(recon(sameServer(strategy, "u1")), 100_000,
                    ReportFormat.TEXT.writer(new StringWriter()));
            assertThat(result.errors()).isEmpty();
            MappingResult m = result.mappings().get(0);
            assertThat(m.counts()).as(strategy).isEqualTo(new Counts(12, updates, 1));
            List<String> changes = m.samples().stream().map(c -> c.operation() + " " + c.key() + " "
                    + c.changed() + " " + c.source() + " " + c.target()).toList();
            if (joined == null) {
                joined = changes;
            } else {
                assertThat(changes).as(strategy).isEqualTo(joined);
            }
        }
        // a duplicate key early in a long stream ends the merge at once: both readers, blocked with
        // full queues, are stopped before the result sets close
        RunResult duplicate = Runs.diff(recon(sameServer("merge", "u3")), 0, ReportFormat.TEXT.writer(new StringWriter()));
        assertThat(duplicate.errors()).singleElement().asString()
                .startsWith("mapping 'u': the source has more than one row with key (id=100)");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("recon-read-"));
    }

    @Test
    void textThatIsNotUtf8FailsTheMappingInsteadOfComparingAsReplacementCharacters() throws Exception {
        // a SQL_ASCII database holds whatever bytes it was given: caf\xE9 and caf\xE8 would both
        // decode to "caf\uFFFD" and pair as one key, or one value, if decoded leniently
        String db = "recon_sqlascii_" + ProcessHandle.current().pid();
        try (Connection admin = DriverManager.getConnection(PgDatabase.adminUrl())) {
            admin.createStatement().execute("DROP DATABASE IF EXISTS " + db);
            admin.createStatement().execute("CREATE DATABASE " + db + " ENCODING 'SQL_ASCII' LC_COLLATE 'C'"
                    + " LC_CTYPE 'C' TEMPLATE template0");
        }
        try {
            String url = PgDatabase.adminUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
            try (Connection c = DriverManager.getConnection(url)) {
                c.createStatement().execute("CREATE TABLE ka (k text PRIMARY KEY, v text);"
                        + " CREATE TABLE kb (k text PRIMARY KEY, v text);"
                        + " INSERT INTO ka VALUES ('a', 'x'), (E'caf\\xe9', 'y');"
                        + " INSERT INTO kb VALUES ('a', 'x'), (E'caf\\xe8', 'y');"
                        + " CREATE TABLE va (k text PRIMARY KEY, v text); CREATE TABLE vb (k text PRIMARY KEY, v text);"
                        + " INSERT INTO va VALUES ('a', E'caf\\xe9'); INSERT INTO vb VALUES ('a', E'caf\\xe8');"
                        + " CREATE TABLE ea (k text PRIMARY KEY, v text); CREATE TABLE eb (k text PRIMARY KEY, v text);"
                        + " INSERT INTO ea VALUES ('a', E'caf\\xe9'); INSERT INTO eb VALUES ('a', E'caf\\xe9');");
            }
            String yaml = "connections:\n  old: { url: \"" + url + "\" }\nsyncs:\n"
                    + "  - { name: keys, source: { connection: old, table: ka }, target: { connection: old, table: kb },"
                    + " key: { k: k }, strategy: merge }\n"
                    + "  - { name: values, source: { connection: old, table: va }, target: { connection: old, table: vb },"
                    + " key: { k: k }, strategy: merge }\n"
                    + "  - { name: same, source: { connection: old, table: ea }, target: { connection: old, table: eb },"
                    + " key: { k: k }, strategy: merge }\n";
            // PostgreSQL itself refuses to send them to a UTF-8 client: each mapping fails, by name, loudly
            RunResult result = Runs.diff(recon(yaml), 0, ReportFormat.TEXT.writer(new StringWriter()));
            assertThat(result.erroredMappings()).containsExactlyInAnyOrder("keys", "values", "same");
            assertThat(result.errors()).hasSize(3).allMatch(e -> e.matches("mapping '(keys|values|same)': the source"
                    + " query failed: invalid byte sequence for encoding \"UTF8\": 0xe9 \\[SQLSTATE 22021\\]"));
            assertThat(result.mappings()).isEmpty();
        } finally {
            try (Connection admin = DriverManager.getConnection(PgDatabase.adminUrl())) {
                admin.createStatement().execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }
}
