package dev.recon.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.Recon;
import dev.recon.base.Progress;
import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.diff.hash.HashDiff;
import dev.recon.diff.hash.SegmentBounds;
import dev.recon.diff.join.JoinDiff;
import dev.recon.diff.merge.MergeDiff;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.base.PlanException;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.report.ReportFormat;
import dev.recon.result.ApplyResult;
import dev.recon.result.FailedRow;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cases where recon once said "in sync" or "converged" while the tables differed, or
 * damaged the target: each strategy must give the exact answer (join, on one server, is the
 * oracle) or fail loudly for that mapping. The source table exists on both servers, so the
 * join compares it with the target on the target's server and merge and hash across them.
 */
class ExactnessTest {
    @RegisterExtension
    static final PgDatabase warehouse = new PgDatabase();
    @RegisterExtension
    static final PgDatabase app = new PgDatabase();

    @BeforeEach
    void reset() {
        for (PgDatabase db : List.of(warehouse, app)) {
            db.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE");
        }
    }

    /** Runs {@code sql} on both servers (the source table lives on both). */
    private static void both(String sql) {
        warehouse.execute(sql);
        app.execute(sql);
    }

    /** A mapping from {@code src} to {@code dst}: on one server for join, across the two otherwise. */
    private static String yaml(String strategy, String mapping) {
        String source = strategy.equals("join") ? "app" : "warehouse";
        return "connections:\n  warehouse: { url: \"" + warehouse.url() + "\" }\n  app: { url: \"" + app.url()
                + "\" }\nsyncs:\n  - name: m\n    source: { connection: " + source + ", table: src }\n"
                + "    target: { connection: app, table: dst }\n    strategy: " + strategy + "\n"
                + mapping.indent(4);
    }

    private static Recon recon(String strategy, String mapping) {
        return new Recon(new ConfigLoader(Map.of()).parse(yaml(strategy, mapping), "test.yaml"));
    }

    private static MappingPlan plan(String strategy, String mapping) {
        return new Planner(new ConfigLoader(Map.of()).parse(yaml(strategy, mapping), "test.yaml"), new Databases())
                .plan(List.of(), Purpose.DIFF).get(0);
    }

    /** Every change with its values, sorted. */
    private static List<String> changes(DiffStrategy strategy, MappingPlan plan) {
        List<String> out = new ArrayList<>();
        strategy.diff(plan, c -> out.add(c.operation().label() + " " + c.key() + " " + c.changed() + " " + c.source()
                + " " + c.target()));
        out.sort(null);
        return out;
    }

    /**
     * The changes every strategy finds, after checking that they all find the same: join,
     * merge, hash (as configured by default, and with index summaries and no fallback, and
     * with no index and a tiny memory cap that forces the fallback).
     */
    private static List<String> agreed(String mapping) {
        List<String> joined = changes(new JoinDiff(new Databases()), plan("join", mapping));
        MappingPlan apart = plan("merge", mapping);
        Databases dbs = new Databases();
        assertThat(changes(new MergeDiff(dbs), apart)).as("merge").isEqualTo(joined);
        assertThat(changes(new HashDiff(dbs), apart)).as("hash").isEqualTo(joined);
        assertThat(changes(new HashDiff(dbs, 2, 1.0, 1_000_000, HashDiff.IndexUse.SOURCE_ONLY), apart))
                .as("hash, source summary by index, 2 rows per segment").isEqualTo(joined);
        assertThat(changes(new HashDiff(dbs, 2, 1.0, 1, HashDiff.IndexUse.NONE), apart))
                .as("hash, no index, at most 1 differing key held").isEqualTo(joined);
        return joined;
    }

    private static RunResult sync(String strategy, String mapping) {
        return Runs.sync(recon(strategy, mapping), SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"),
                false), ReportFormat.JSON.writer(new StringWriter()));
    }

    private static RunResult diff(String strategy, String mapping) {
        return Runs.diff(recon(strategy, mapping), 10, ReportFormat.JSON.writer(new StringWriter()));
    }

    // 1. ------------------------------------------------------------------------------------

    @Test
    void hashFindsTheDifferencesOfATenRowTableWhateverItsStatisticsSay() {
        both("CREATE TABLE src (id int PRIMARY KEY, name text);"
                + " INSERT INTO src SELECT g, 'n' || g FROM generate_series(1, 10) g; ANALYZE src;");
        app.execute("CREATE TABLE dst AS SELECT * FROM src; ALTER TABLE dst ADD PRIMARY KEY (id); ANALYZE dst;"
                + " UPDATE dst SET name = 'WRONG' WHERE id = 3; DELETE FROM dst WHERE id = 7;");
        String mapping = "key: { id: id }\ncolumns: { name: name }\n";
        assertThat(agreed(mapping)).containsExactly("insert [7] [] [7, n7] []",
                "update [3] [name] [3, n3] [3, WRONG]");
        RunResult hashed = diff("hash", mapping);
        assertThat(hashed.mappings().get(0).total()).isEqualTo(2);
        RunResult synced = sync("hash", mapping);
        assertThat(synced.converged()).isTrue();
        assertThat(diff("hash", mapping).inSync()).isTrue();
        assertThat(app.value("SELECT string_agg(id || name, ',' ORDER BY id) FROM dst", String.class))
                .isEqualTo("1n1,2n2,3n3,4n4,5n5,6n6,7n7,8n8,9n9,10n10");
    }

    @Test
    void hashFindsTheDifferencesOfATableAnalysedWhenItWasTiny() {
        both("CREATE TABLE src (id int PRIMARY KEY, v int) WITH (autovacuum_enabled = false);"
                + " INSERT INTO src SELECT g, g FROM generate_series(1, 40) g; ANALYZE src;"
                + " INSERT INTO src SELECT g, g FROM generate_series(41, 100000) g;");
        app.execute("CREATE TABLE dst (id int PRIMARY KEY, v int) WITH (autovacuum_enabled = false);"
                + " INSERT INTO dst SELECT g, g FROM generate_series(1, 40) g; ANALYZE dst;"
                + " INSERT INTO dst SELECT g, g FROM generate_series(41, 100000) g;"
                + " UPDATE dst SET v = -1 WHERE id IN (5, 500, 99999); DELETE FROM dst WHERE id = 70000;"
                + " INSERT INTO dst VALUES (100001, 1);");
        String mapping = "key: { id: id }\ncolumns: { v: v }\n";
        List<String> expected = List.of("delete [100001] [] [] [100001, 1]", "insert [70000] [] [70000, 70000] []",
                "update [500] [v] [500, 500] [500, -1]", "update [5] [v] [5, 5] [5, -1]",
                "update [99999] [v] [99999, 99999] [99999, -1]");
        assertThat(changes(new JoinDiff(new Databases()), plan("join", mapping))).isEqualTo(expected);
        assertThat(changes(new HashDiff(new Databases()), plan("hash", mapping))).isEqualTo(expected);
        assertThat(changes(new MergeDiff(new Databases()), plan("merge", mapping))).isEqualTo(expected);
    }

    // 2. ------------------------------------------------------------------------------------

    @Test
    void keysWithANullComponentMatchTheirCounterpartAndEachWriteAddressesOneRow() {
        both("CREATE TABLE src (a int NOT NULL, b int, v text, UNIQUE (a, b));"
                + " INSERT INTO src VALUES (1, NULL, 'same'), (2, NULL, 'new'), (4, NULL, 'only source'),"
                + " (5, 1, 'x'), (6, NULL, 'same');");
        app.execute("CREATE TABLE dst (a int NOT NULL, b int, v text, UNIQUE (a, b));"
                + " INSERT INTO dst VALUES (1, NULL, 'same'), (2, NULL, 'old'), (3, NULL, 'only target'),"
                + " (5, 1, 'x'), (6, NULL, 'same');");
        String mapping = "key: { a: a, b: b }\ncolumns: { v: v }\n";
        assertThat(agreed(mapping)).containsExactly("delete [3, null] [] [] [3, null, only target]",
                "insert [4, null] [] [4, null, only source] []", "update [2, null] [v] [2, null, new] [2, null, old]");
        for (String strategy : List.of("join", "hash")) {
            RunResult first = sync(strategy, mapping);
            assertThat(first.converged()).as(strategy).isTrue();
            assertThat(app.value("SELECT count(*) FROM dst", Long.class)).as(strategy).isEqualTo(5L);
            assertThat(diff(strategy, mapping).inSync()).as(strategy).isTrue();
            assertThat(sync(strategy, mapping).mappings().get(0).total()).isZero();
            assertThat(app.value("SELECT string_agg(a || ':' || v, ',' ORDER BY a) FROM dst", String.class))
                    .isEqualTo("1:same,2:new,4:only source,5:x,6:same");
            app.execute("UPDATE dst SET v = 'old' WHERE a = 2; DELETE FROM dst WHERE a = 4;"
                    + " INSERT INTO dst VALUES (3, NULL, 'only target')");
        }
    }

    @Test
    void twoTargetRowsWithOneNullHoldingKeyFailTheMapping() {
        both("CREATE TABLE src (a int NOT NULL, b int, v text, UNIQUE (a, b)); INSERT INTO src VALUES (1, NULL, 'x');");
        app.execute("CREATE TABLE dst (a int NOT NULL, b int, v text, UNIQUE (a, b));"
                + " INSERT INTO dst VALUES (1, NULL, 'x'), (1, NULL, 'y');");
        String mapping = "key: { a: a, b: b }\ncolumns: { v: v }\n";
        for (String strategy : List.of("join", "merge", "hash")) {
            assertThatThrownBy(() -> changes(strategy.equals("join") ? new JoinDiff(new Databases())
                    : strategy.equals("merge") ? new MergeDiff(new Databases()) : new HashDiff(new Databases()),
                    plan(strategy, mapping)))
                    .as(strategy).isInstanceOf(DuplicateKeyException.class)
                    .hasMessageStartingWith("mapping 'm': the target has ")
                    .hasMessageContaining("with key (a=1 b=NULL); a key must identify one row on each side");
        }
    }

    // 3. and 4. -------------------------------------------------------------------------------

    @Test
    void aValueTooLongForTheTargetIsADifferenceAndItsWriteFailsThatRowAlone() {
        both("CREATE TABLE src (id int PRIMARY KEY, code text, pad text, bits varbit);"
                + " INSERT INTO src VALUES (1, 'abcdefgh', 'ab', B'10101'), (2, 'ok', 'abcdefg', B'10101'),"
                + " (3, 'fine', 'ab', B'10101'), (4, 'new', 'xy', B'11111'), (5, 'five', 'ab', B'101');");
        app.execute("CREATE TABLE dst (id int PRIMARY KEY, code varchar(5), pad char(5), bits bit(5));"
                + " INSERT INTO dst VALUES (1, 'abcde', 'ab', B'10101'), (2, 'ok', 'abcde', B'10101'),"
                + " (3, 'fine', 'ab', B'10101'), (5, 'five', 'ab', B'10100');");
        String mapping = "key: { id: id }\ncolumns: { code: code, pad: pad, bits: bits }\n";
        assertThat(agreed(mapping)).containsExactly(
                // (char(n) as text drops its padding, on both sides alike)
                "insert [4] [] [4, new, xy, 11111] []",
                "update [1] [code] [1, abcdefgh, ab, 10101] [1, abcde, ab, 10101]",
                "update [2] [pad] [2, ok, abcdefg, 10101] [2, ok, abcde, 10101]",
                "update [5] [bits] [5, five, ab, 101] [5, five, ab, 10100]");
        for (String strategy : List.of("join", "hash")) {
            ApplyResult applied = sync(strategy, mapping).mappings().get(0).applied().orElseThrow();
            assertThat(applied.written().inserts()).as(strategy).isEqualTo(1);
            assertThat(applied.failed()).extracting(FailedRow::key, FailedRow::sqlState)
                    .containsExactlyInAnyOrder(Tuple.tuple(List.of("1"), "22001"),
                            Tuple.tuple(List.of("2"), "22001"),
                            Tuple.tuple(List.of("5"), "22026"));
            // nothing was cut or padded to fit
            assertThat(app.value("SELECT string_agg(code || '/' || pad || '/' || bits, ',' ORDER BY id) FROM dst"
                    + " WHERE id IN (1, 2, 5)", String.class)).isEqualTo("abcde/ab/10101,ok/abcde/10101,five/ab/10100");
            assertThat(diff(strategy, mapping).mappings().get(0).total()).isEqualTo(3);
            app.execute("DELETE FROM dst WHERE id = 4");
        }
    }

    @Test
    void aNumberOutOfTheTargetsRangeIsADifferenceAndTheOtherRowsStillSync() {
        both("CREATE TABLE src (id int PRIMARY KEY, n int, amount numeric, ratio float8);"
                + " INSERT INTO src VALUES (1, 100000, 1.5, 0.5), (2, 7, 123456.789, 0.25), (3, 8, 2.5, 1e300),"
                + " (4, 9, 3.5, 0.125), (5, -40000, 1, 1);");
        app.execute("CREATE TABLE dst (id smallint PRIMARY KEY, n smallint, amount numeric(5,2), ratio real);"
                + " INSERT INTO dst VALUES (1, 1, 1.5, 0.5), (2, 7, 1.00, 0.25), (3, 8, 2.5, 1), (4, 1, 3.5, 0.125);");
        String mapping = "key: { id: id }\ncolumns: { n: n, amount: amount, ratio: ratio }\n";
        assertThat(agreed(mapping)).containsExactly(
                "insert [5] [] [5, -40000, 1.00, 1] []",
                "update [1] [n] [1, 100000, 1.50, 0.5] [1, 1, 1.50, 0.5]",
                "update [2] [amount] [2, 7, 123456.789, 0.25] [2, 7, 1.00, 0.25]",
                "update [3] [ratio] [3, 8, 2.50, 1e+300] [3, 8, 2.50, 1]",
                "update [4] [n] [4, 9, 3.50, 0.125] [4, 1, 3.50, 0.125]");
        for (String strategy : List.of("join", "merge")) {
            ApplyResult applied = sync(strategy, mapping).mappings().get(0).applied().orElseThrow();
            assertThat(applied.written().updates()).as(strategy).isEqualTo(1);
            assertThat(applied.failed()).extracting(FailedRow::key, FailedRow::sqlState)
                    .containsExactlyInAnyOrder(Tuple.tuple(List.of("1"), "22003"),
                            Tuple.tuple(List.of("2"), "22003"),
                            Tuple.tuple(List.of("3"), "22003"),
                            Tuple.tuple(List.of("5"), "22003"));
            assertThat(app.value("SELECT n FROM dst WHERE id = 4", Integer.class)).isEqualTo(9);
            app.execute("UPDATE dst SET n = 1 WHERE id = 4");
        }
    }

    @Test
    void aSourceKeyBeyondTheTargetKeysRangeIsAnInsertTheTargetRefuses() {
        both("CREATE TABLE src (id bigint PRIMARY KEY, v text);"
                + " INSERT INTO src VALUES (1, 'a'), (-3000000000, 'low'), (3000000000, 'high'), (2, 'b');");
        app.execute("CREATE TABLE dst (id int PRIMARY KEY, v text); INSERT INTO dst VALUES (1, 'a'), (2, 'x'), (5, 'z');");
        String mapping = "key: { id: id }\ncolumns: { v: v }\n";
        assertThat(agreed(mapping)).containsExactly("delete [5] [] [] [5, z]",
                "insert [-3000000000] [] [-3000000000, low] []", "insert [3000000000] [] [3000000000, high] []",
                "update [2] [v] [2, b] [2, x]");
        ApplyResult applied = sync("hash", mapping).mappings().get(0).applied().orElseThrow();
        assertThat(List.of(applied.written().updates(), applied.written().deletes())).containsExactly(1L, 1L);
        assertThat(applied.failed()).extracting(FailedRow::sqlState).containsExactly("22003", "22003");
    }

    // 5. ------------------------------------------------------------------------------------

    @Test
    void aSourceKeyHeldByTwoRowsFailsTheMappingAndNothingIsWritten() {
        both("CREATE TABLE src (id int, v text); INSERT INTO src VALUES (1, 'a'), (5, 'x'), (5, 'y'), (7, 'q');");
        app.execute("CREATE TABLE dst (id int PRIMARY KEY, v text); INSERT INTO dst VALUES (1, 'old'), (5, 'x');");
        String mapping = "key: { id: id }\ncolumns: { v: v }\n";
        for (String strategy : List.of("join", "merge", "hash")) {
            RunResult synced = sync(strategy, mapping);
            assertThat(synced.erroredMappings()).as(strategy).containsExactly("m");
            assertThat(synced.errors().get(0)).startsWith("mapping 'm': the source has ")
                    .contains("with key (id=5); a key must identify one row on each side",
                            "nothing was written for this mapping");
            assertThat(app.value("SELECT string_agg(id || v, ',' ORDER BY id) FROM dst", String.class))
                    .isEqualTo("1old,5x");
        }
        // an initial load checks too: an empty target would otherwise get one of the two
        app.execute("DELETE FROM dst");
        assertThat(sync("join", mapping).errors()).singleElement().asString().contains("with key (id=5)");
        assertThat(app.value("SELECT count(*) FROM dst", Long.class)).isZero();
    }

    @Test
    void twoSourceValuesThatBecomeOneKeyInTheTargetsTypeFailTheMapping() {
        both("CREATE TABLE src (id numeric PRIMARY KEY, v text); INSERT INTO src VALUES (1.2, 'a'), (1.4, 'b');");
        app.execute("CREATE TABLE dst (id int PRIMARY KEY, v text); INSERT INTO dst VALUES (1, 'a');");
        assertThatThrownBy(() -> changes(new JoinDiff(new Databases()), plan("join", "key: { id: id }\ncolumns: { v: v }\n")))
                .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("the source has 2 rows with key (id=1)");
    }

    // 6. and 7. ---------------------------------------------------------------------------------

    @Test
    void numericSpecialsArraysIntervalsAndJsonNumbersCompareByValueInEveryStrategy() {
        both("CREATE TABLE src (id numeric PRIMARY KEY, n numeric, arr numeric[], i interval, j jsonb, f float8[],"
                + " r numrange);"
                + " INSERT INTO src VALUES ('NaN', 'NaN', '{1.0,NaN}', '1 day', '{\"a\": 1.0}', '{-0}', '[1.0,2.0)'),"
                + " ('Infinity', 'Infinity', '{2}', '1 mon', '[1.50]', '{1.5}', '[1,2)'),"
                + " ('-Infinity', '-Infinity', NULL, '-1 day', 'null', '{NaN}', 'empty'),"
                + " (1.5, 1.50, '{3.0}', '25 hours', '{\"b\": [1, 2.0]}', '{0}', '(,5]'),"
                + " (2, 2, '{3.0}', '1 day', '{\"c\": 1}', '{2}', '[1,2)'),"
                + " (3, 3, '{4}', '2 days', '{\"d\": 1}', '{3}', '[3,4)');");
        app.execute("CREATE TABLE dst AS SELECT * FROM src; ALTER TABLE dst ADD PRIMARY KEY (id);"
                + " UPDATE dst SET arr = '{1.00,NaN}', i = '24 hours', j = '{\"a\": 1.00}', f = '{0}',"
                + " r = '[1.00,2.00)' WHERE id = 'NaN';"
                + " UPDATE dst SET arr = '{2.000}', i = '30 days', j = '[1.5]' WHERE id = 'Infinity';"
                + " UPDATE dst SET i = '1 day 1 hour', j = '{\"b\": [1.0, 2]}', r = '(,6)' WHERE id = 1.5;"
                + " UPDATE dst SET n = 'NaN', arr = '{3.5}', i = '1 day 1 second', j = '{\"c\": 2}', f = '{-2}' WHERE id = 2;"
                + " DELETE FROM dst WHERE id = '-Infinity'; INSERT INTO dst VALUES (4, 4, NULL, NULL, NULL, NULL, NULL);");
        String mapping = "key: { id: id }\ncolumns: { n: n, arr: arr, i: i, j: j, f: f, r: r }\n";
        List<String> changes = agreed(mapping);
        assertThat(changes).extracting(c -> c.substring(0, c.indexOf(']', c.indexOf(']') + 1) + 1)).containsExactly(
                "delete [4] []", "insert [-Infinity] []", "update [1.5] [r]", "update [2] [n, arr, i, j, f]");
    }

    @Test
    void hashTellsNullFromTheNumbersWhoseHashIsZero() {
        // numeric NaN and the infinities hash like NULL (0), and so do float zeros
        both("CREATE TABLE src (id int PRIMARY KEY, n numeric, f float8, a numeric[], r numrange);"
                + " INSERT INTO src VALUES (1, 'NaN', 0, '{NaN}', '[1,Infinity)'), (2, 'Infinity', -0, '{Infinity}', '[1,)'),"
                + " (3, '-Infinity', NULL, '{NULL}', NULL), (4, NULL, 0, NULL, 'empty');");
        app.execute("CREATE TABLE dst (id int PRIMARY KEY, n numeric, f float8, a numeric[], r numrange);"
                + " INSERT INTO dst VALUES (1, NULL, NULL, '{NULL}', '[1,)'), (2, '-Infinity', NULL, '{NaN}', '[1,Infinity)'),"
                + " (3, 'NaN', 0, '{-Infinity}', 'empty'), (4, 'Infinity', NULL, '{}', NULL);");
        assertThat(agreed("key: { id: id }\ncolumns: { n: n, f: f, a: a, r: r }\n"))
                .extracting(c -> c.substring(0, c.indexOf(']', c.indexOf(']') + 1) + 1)).containsExactly(
                        "update [1] [n, f, a, r]", "update [2] [n, f, a, r]", "update [3] [n, f, a, r]",
                        "update [4] [n, f, a, r]");
    }

    @Test
    void mergeAsksTheTargetInBatchesWhileItStreamsBothSides() {
        // more rows than a cursor fetch: the questions share the target's connection with its open cursor
        both("CREATE TABLE src (id int PRIMARY KEY, i interval);"
                + " INSERT INTO src SELECT g, (g % 50) * interval '1 day' FROM generate_series(1, 12000) g;");
        app.execute("CREATE TABLE dst (id int PRIMARY KEY, i interval);"
                + " INSERT INTO dst SELECT g, (g % 50) * interval '24 hours' FROM generate_series(1, 12000) g;"
                + " UPDATE dst SET i = i + interval '1 second' WHERE id IN (7, 6000, 11999);");
        List<String> changes = changes(new MergeDiff(new Databases()), plan("merge", "key: { id: id }\ncolumns: { i: i }\n"));
        assertThat(changes).extracting(c -> c.substring(0, c.indexOf(']', c.indexOf(']') + 1) + 1))
                .containsExactly("update [11999] [i]", "update [6000] [i]", "update [7] [i]");
    }

    @Test
    void caseInsensitiveTextComparesAsTheTargetTypeDoes() {
        Assumptions.assumeTrue(app.value(
                "SELECT count(*) FROM pg_available_extensions WHERE name = 'citext'", Long.class) == 1,
                "the citext extension is not installed on the test server");
        both("CREATE EXTENSION citext; CREATE TABLE src (id int PRIMARY KEY, name citext);"
                + " INSERT INTO src VALUES (1, 'ABC'), (2, 'abc'), (3, 'x');");
        app.execute("CREATE TABLE dst AS SELECT * FROM src; ALTER TABLE dst ADD PRIMARY KEY (id);"
                + " UPDATE dst SET name = 'abc' WHERE id = 1; UPDATE dst SET name = 'y' WHERE id = 3;");
        assertThat(agreed("key: { id: id }\ncolumns: { name: name }\n"))
                .containsExactly("update [3] [name] [3, x] [3, y]");
    }

    // 8. ------------------------------------------------------------------------------------

    @Test
    void typesWithoutEqualityOrHashFunctionsWorkInEveryStrategy() {
        both("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE DOMAIN posint AS int CHECK (VALUE > 0);"
                + " CREATE DOMAIN doc AS json;"
                + " CREATE TABLE src (id int PRIMARY KEY, m money, b bit(3), vb varbit, ts tsvector, js json, x xml,"
                + " p point, d doc, e mood, pi posint);"
                + " INSERT INTO src VALUES (1, 1.5, B'101', B'1', 'a b', '{\"a\":1}', '<a/>', '(1,2)', '[1]', 'ok', 1),"
                + " (2, 2, B'111', B'10', 'c', '{}', '<b/>', '(0,0)', '{}', 'sad', 2),"
                + " (3, 3, B'000', B'0', 'd', '[]', '<c/>', '(3,3)', 'null', 'happy', 3);");
        app.execute("CREATE TABLE dst AS SELECT * FROM src; ALTER TABLE dst ADD PRIMARY KEY (id);"
                + " UPDATE dst SET m = 1.25, b = B'100', vb = B'11', ts = 'a', js = '{\"a\": 1}', x = '<z/>',"
                + " p = '(1,3)', d = '[2]', e = 'sad', pi = 9 WHERE id = 1;");
        String mapping = "key: { id: id }\ncolumns: { m: m, b: b, vb: vb, ts: ts, js: js, x: x, p: p, d: d, e: e, pi: pi }\n";
        assertThat(agreed(mapping)).singleElement().asString()
                .startsWith("update [1] [m, b, vb, ts, js, x, p, d, e, pi]");
        assertThat(sync("hash", mapping).converged()).isTrue();
        assertThat(diff("merge", mapping).inSync()).isTrue();
    }

    @Test
    void anEnumOrDomainOnlyTheTargetHasComparesByItsValues() {
        warehouse.execute("CREATE TABLE src (id int PRIMARY KEY, e text, n int);"
                + " INSERT INTO src VALUES (1, 'ok', 5), (2, 'sad', 6);");
        app.execute("CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE DOMAIN posint AS int CHECK (VALUE > 0);"
                + " CREATE TABLE dst (id int PRIMARY KEY, e mood, n posint); INSERT INTO dst VALUES (1, 'ok', 5), (2, 'ok', 6);");
        String mapping = "key: { id: id }\ncolumns: { e: e, n: n }\n";
        assertThat(changes(new HashDiff(new Databases()), plan("hash", mapping)))
                .containsExactly("update [2] [e] [2, sad, 6] [2, ok, 6]");
        assertThat(changes(new MergeDiff(new Databases()), plan("merge", mapping)))
                .containsExactly("update [2] [e] [2, sad, 6] [2, ok, 6]");
        assertThat(sync("hash", mapping).converged()).isTrue();
    }

    @Test
    void hashReadsAViewSourceLargeEnoughToBeSampled() {
        both("CREATE TABLE base (id int PRIMARY KEY, v text); INSERT INTO base SELECT g, 'v' || g FROM"
                + " generate_series(1, 2 * " + SegmentBounds.SAMPLE_ABOVE_ROWS + " + 1000) g;"
                + " CREATE VIEW src AS SELECT id, v FROM base WHERE id % 2 = 0;");
        // no statistics anywhere (a view has none): the boundaries come from a sample of the view
        app.execute("CREATE TABLE dst (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = false);"
                + " INSERT INTO dst SELECT * FROM src; UPDATE dst SET v = 'x' WHERE id = 1000;");
        assertThat(agreed("key: { id: id }\ncolumns: { v: v }\n")).containsExactly(
                "update [1000] [v] [1000, v1000] [1000, x]");
    }

    @Test
    void aTextKeyUnderAnotherCollationOnEachSideJoins() {
        both("CREATE TABLE src (k text COLLATE \"C\" PRIMARY KEY, v int); INSERT INTO src VALUES ('a', 1), ('B', 2);");
        app.execute("CREATE TABLE dst (k text COLLATE \"und-x-icu\" PRIMARY KEY, v int); INSERT INTO dst VALUES ('a', 1), ('B', 3);");
        assertThat(agreed("key: { k: k }\ncolumns: { v: v }\n")).containsExactly("update [B] [v] [B, 2] [B, 3]");
    }

    // found by a new user's probe ----------------------------------------------------------

    @Test
    void arraysOfOtherShapesDifferInEveryStrategy() {
        // PostgreSQL's array hash ignores dimensions and lower bounds
        both("CREATE TABLE src (id int PRIMARY KEY, ta text[], ia int[]);"
                + " INSERT INTO src VALUES (1, '{{a,b}}', '{1}'), (2, '[2:3]={a,b}', '{1}'), (3, '{a,b}', '[5:5]={1}'),"
                + " (4, '{a,b}', '{1}');");
        app.execute("CREATE TABLE dst (id int PRIMARY KEY, ta text[], ia int[]);"
                + " INSERT INTO dst SELECT g, '{a,b}', '{1}' FROM generate_series(1, 4) g;");
        assertThat(agreed("key: { id: id }\ncolumns: { ta: ta, ia: ia }\n"))
                .extracting(c -> c.substring(0, c.indexOf(']', c.indexOf(']') + 1) + 1))
                .containsExactly("update [1] [ta]", "update [2] [ta]", "update [3] [ia]");
    }

    @Test
    void aDomainOverALimitedTypeIsNeverCutToFitOnWrite() {
        app.execute("CREATE DOMAIN short AS varchar(4); CREATE DOMAIN code3 AS varchar(3);"
                + " CREATE DOMAIN tenths AS numeric(4,1); CREATE DOMAIN small AS smallint;");
        both("CREATE TABLE src (k text PRIMARY KEY, v text, n numeric, s int);"
                + " INSERT INTO src VALUES ('abcd', 'x', 1, 1), ('xy', 'toolongvalue', 1, 1), ('ok', 'y', 12345.67, 70000),"
                + " ('fine', 'z', 2.5, 3);");
        app.execute("CREATE TABLE dst (k code3 PRIMARY KEY, v short, n tenths, s small);"
                + " INSERT INTO dst VALUES ('abc', 'x', 1, 1), ('xy', 'x', 1, 1), ('ok', 'y', 1, 1), ('fin', 'z', 2.5, 3);");
        String mapping = "key: { k: k }\ncolumns: { v: v, n: n, s: s }\n";
        assertThat(agreed(mapping)).extracting(c -> c.substring(0, c.indexOf(']', c.indexOf(']') + 1) + 1))
                .containsExactly("delete [abc] []", "delete [fin] []", "insert [abcd] []", "insert [fine] []",
                        "update [ok] [n, s]", "update [xy] [v]");
        ApplyResult applied = sync("join", mapping).mappings().get(0).applied().orElseThrow();
        assertThat(applied.failed()).extracting(FailedRow::key, FailedRow::sqlState).containsExactlyInAnyOrder(
                Tuple.tuple(List.of("abcd"), "22001"),
                Tuple.tuple(List.of("fine"), "22001"),
                Tuple.tuple(List.of("xy"), "22001"),
                Tuple.tuple(List.of("ok"), "22003"));
        // nothing cut, nothing lost: the cut key 'abc' was not overwritten, only deleted as the diff said
        assertThat(app.value("SELECT string_agg(k || '=' || v, ',' ORDER BY k) FROM dst", String.class))
                .isEqualTo("ok=y,xy=x");
    }

    @Test
    void hashPlacesTheKeyTypesMinimumWhateverTheStatisticsSay() {
        both("CREATE TABLE src (id bigint PRIMARY KEY, a text) WITH (autovacuum_enabled = false);"
                + " INSERT INTO src SELECT g, 'v' || g FROM generate_series(1, 1000) g; ANALYZE src;"
                + " INSERT INTO src VALUES (-9223372036854775808, 'min'), (9223372036854775807, 'max');");
        app.execute("CREATE TABLE dst (id bigint PRIMARY KEY, a text); INSERT INTO dst SELECT g, 'v' || g FROM"
                + " generate_series(1, 1000) g; ANALYZE dst;");
        assertThat(agreed("key: { id: id }\ncolumns: { a: a }\n")).containsExactly(
                "insert [-9223372036854775808] [] [-9223372036854775808, min] []",
                "insert [9223372036854775807] [] [9223372036854775807, max] []");
    }

    @Test
    void diffOfChosenKeysReadsOnlyThoseRowsOnEveryStrategy() {
        both("CREATE TABLE src (a int NOT NULL, b text, v text, UNIQUE (a, b));"
                + " INSERT INTO src SELECT g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'x' END, 'v' || g"
                + " FROM generate_series(1, 5000) g;");
        app.execute("CREATE TABLE dst AS SELECT * FROM src; ALTER TABLE dst ADD UNIQUE (a, b);"
                + " UPDATE dst SET v = 'changed' WHERE a IN (10, 12, 4000); DELETE FROM dst WHERE a = 20;");
        String mapping = "key: { a: a, b: b }\ncolumns: { v: v }\n";
        for (String strategy : List.of("join", "merge", "hash")) {
            RunResult one = Runs.diff(recon(strategy, mapping), List.of("a=10,b=x", "a=12,b", "a=11,b=x"), 10,
                    ReportFormat.JSON.writer(new StringWriter()), Progress.NONE);
            assertThat(one.mappings().get(0).samples()).as(strategy).extracting(c -> c.operation() + " " + c.key())
                    .containsExactly("UPDATE [10, x]", "UPDATE [12, null]");
        }
        assertThatThrownBy(() -> Runs.diff(recon("join", mapping), List.of("a=1"), 10,
                ReportFormat.JSON.writer(new StringWriter()), Progress.NONE))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "--key 'a=1': name every key column of mapping 'm' (a, b)"));
        assertThatThrownBy(() -> Runs.diff(recon("join", mapping), List.of("a=1,b=x,a=2"), 10,
                ReportFormat.JSON.writer(new StringWriter()), Progress.NONE))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "--key 'a=1,b=x,a=2': key column 'a' is given twice; give each key column once (repeat --key"
                                + " for another row)"));
        // a value the key's type refuses, before any row is read
        assertThatThrownBy(() -> Runs.diff(recon("merge", mapping), List.of("a=abc,b=x"), 10,
                ReportFormat.JSON.writer(new StringWriter()), Progress.NONE))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "--key a=abc: not a value of key column a (integer) of mapping 'm': invalid input"
                                + " syntax for type integer: \"abc\""));
    }

    // soft deletes ------------------------------------------------------------------------

    @Test
    void softDeletedTargetRowsCountAsAbsentSoHashComparesAConvergedMappingSegmentBySegment() {
        both("CREATE TABLE src (id int PRIMARY KEY, v text);"
                + " INSERT INTO src SELECT g, 'v' || g FROM generate_series(1, 3000) g WHERE g % 10 <> 0;");
        app.execute("CREATE TABLE dst (id int PRIMARY KEY, v text, gone boolean NOT NULL DEFAULT false);"
                + " INSERT INTO dst SELECT g, 'v' || g, g % 10 = 0 FROM generate_series(1, 3000) g; ANALYZE dst;");
        String mapping = "key: { id: id }\ncolumns: { v: v }\ndeletes: { soft: gone }\n";
        assertThat(agreed(mapping)).isEmpty();
        RunResult converged = diff("hash", mapping);
        assertThat(converged.inSync()).isTrue();
        assertThat(converged.mappings().get(0).details().asMap()).containsEntry("segments_differing", 0L)
                .doesNotContainKey("fallback_to_merge");
        // a row the source brings back is revived, a live row gone from the source soft-deleted
        warehouse.execute("INSERT INTO src VALUES (10, 'back')");
        app.execute("INSERT INTO src VALUES (10, 'back')");
        app.execute("UPDATE dst SET v = 'old' WHERE id = 21");
        both("DELETE FROM src WHERE id = 33");
        assertThat(agreed(mapping)).containsExactly("delete [33] [] [] [33, v33]",
                "update [10] [v] [10, back] [10, v10]", "update [21] [v] [21, v21] [21, old]");
    }

    // 9. ------------------------------------------------------------------------------------

    @Test
    void aCaseInsensitiveKeyCollationMatchesOnOneServerAndIsRefusedAcrossServers() {
        app.execute("CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
        both("CREATE TABLE src (k text PRIMARY KEY, v int); INSERT INTO src VALUES ('A', 1), ('b', 2);");
        app.execute("CREATE TABLE dst (k text COLLATE ci PRIMARY KEY, v int); INSERT INTO dst VALUES ('a', 1), ('B', 2);");
        String mapping = "key: { k: k }\ncolumns: { v: v }\n";
        // the target's key says 'A' and 'a' are one row: an update of its key's spelling at most, never a delete
        assertThat(changes(new JoinDiff(new Databases()), plan("join", mapping))).isEmpty();
        RunResult synced = sync("join", mapping);
        assertThat(synced.converged()).isTrue();
        assertThat(app.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(2L);
        assertThatThrownBy(() -> plan("merge", mapping)).isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).singleElement().asString()
                        .startsWith("mapping 'm': key: target column 'k' (text) treats some values that print"
                                + " differently as equal"));
    }
}
