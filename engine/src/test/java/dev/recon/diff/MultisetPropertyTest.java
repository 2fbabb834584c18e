package dev.recon.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.recon.Recon;
import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.config.Operation;
import dev.recon.config.ReconConfig;
import dev.recon.diff.hash.HashDiff;
import dev.recon.diff.join.JoinDiff;
import dev.recon.diff.merge.MergeDiff;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.report.ReportFormat;
import dev.recon.result.ApplyResult;
import dev.recon.result.RowChange;
import dev.recon.config.SyncOptions;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tables without a key are compared as multisets: for random keyless tables full of equal
 * rows (0 to 600 rows drawn from a few values each: NULLs, numeric 1.5 spelled 1.50 and NaN,
 * float -0 and NaN, text that differs by a trailing space or case under a case-insensitive
 * collation or is the word NULL, jsonb [1.0] and [1.00], interval '1 day' and '24 hours',
 * float8[] {0} and {-0}, json without equality, an integer source column written to a
 * bigint one; the types whose equal values print differently are compared by their text), join, merge and hash (several segment
 * sizes, with fresh, stale or no statistics) report, for every distinct row, exactly
 * max(0, source copies - target copies) inserts and max(0, target copies - source copies)
 * deletes, counted by an oracle that reads both tables' rows and compares them in Java; and
 * a sync (random batch size and COPY threshold, across servers) leaves the target equal to
 * the source as a multiset.
 */
class MultisetPropertyTest {
    static final int TRIES = Integer.getInteger("recon.tries", 40);

    @RegisterExtension
    static final PgDatabase source = new PgDatabase();
    @RegisterExtension
    static final PgDatabase target = new PgDatabase();

    private static final String[] A = {null, "0", "1", "2", "-3"};
    private static final String[] B = {null, "", "x", "X", "x ", "NULL", "é"};
    private static final String[] C = {null, "1.5", "1.50", "0", "NaN", "-2.25"};
    private static final String[] D = {null, "0", "-0", "NaN", "1.5", "Infinity"};
    private static final String[] E = {null, "{}", "[1.0]", "[1.00]", "{\"a\": 1}"};
    private static final String[] F = {null, "1 day", "24 hours", "00:00:00"};
    private static final String[] G = {null, "{0}", "{-0}", "{1.5,NULL}"};
    private static final String[] H = {null, "{\"a\":1}", "{\"a\": 1}", "[]"};
    private static final int COLUMNS = 8;
    /** A case-insensitive collation for column b, where the server has ICU (else b is plain text). */
    private static String collation = "";

    @BeforeAll
    static void caseInsensitive() {
        try {
            for (PgDatabase db : List.of(source, target)) {
                db.execute("CREATE COLLATION IF NOT EXISTS ci (provider = icu, locale = 'und-u-ks-level2',"
                        + " deterministic = false)");
            }
            collation = " COLLATE ci";
        } catch (RuntimeException noIcu) {
            collation = "";
        }
    }

    @Test
    void everyStrategyCountsEachRowsCopiesAsTheOracleDoesAndSyncMakesTheMultisetsEqual() {
        qt().withExamples(TRIES).withShrinkCycles(5)
                .forAll(integers().between(0, 600), longs().all(), integers().between(0, 2))
                .checkAssert(this::check);
    }

    private void check(int rows, long seed, int statistics) {
        Random r = new Random(seed);
        // how many columns vary: with one, nearly every row has equal copies
        int varying = 1 + r.nextInt(COLUMNS);
        List<String[]> sourceRows = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            sourceRows.add(row(r, varying));
        }
        List<String[]> targetRows = new ArrayList<>();
        int change = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(30);
        for (String[] s : sourceRows) {
            int roll = r.nextInt(100);
            if (roll < change / 2) {
                continue; // a missing copy
            }
            targetRows.add(roll < change ? row(r, varying) : s);
            if (r.nextInt(100) < change / 3) {
                targetRows.add(s); // one copy too many
            }
        }
        try (Handle a = source.jdbi().open(); Handle b = target.jdbi().open()) {
            create(a, "ms_source", "integer", sourceRows);
            create(a, "ms_target_copy", "bigint", targetRows);
            create(b, "ms_target", "bigint", targetRows);
            if (statistics == 1) {
                a.execute("ANALYZE ms_source");
                b.execute("ANALYZE ms_target");
            } else if (statistics == 2) {
                // statistics of an almost empty table, then the rows back: stale
                b.execute("CREATE TEMP TABLE keep AS SELECT * FROM ms_target; DELETE FROM ms_target WHERE random()"
                        + " < 0.95; ANALYZE ms_target; DELETE FROM ms_target; INSERT INTO ms_target SELECT * FROM keep");
            }
        }
        String yaml = "connections:\n  a: { url: \"" + source.url() + "\" }\n  b: { url: \"" + target.url() + "\" }\n"
                + "syncs:\n"
                + "  - { name: joined, source: { connection: a, table: ms_source }, target: { connection: a, table:"
                + " ms_target_copy }, key: none }\n"
                + "  - { name: apart, source: { connection: a, table: ms_source }, target: { connection: b, table:"
                + " ms_target }, key: none, strategy: merge }\n";
        ReconConfig config = new ConfigLoader(Map.of()).parse(yaml, "test.yaml");
        Databases databases = new Databases();
        List<MappingPlan> plans = new Planner(config, databases).plan(List.of(), Purpose.DIFF);
        assertThat(plans).allMatch(MappingPlan::multiset);

        Map<String, List<Long>> oracle = oracle();
        String what = rows + " rows, seed " + seed + ", " + varying + " varying columns, statistics " + statistics;
        assertThat(counted(new JoinDiff(databases), plans.get(0))).as("join, %s", what).isEqualTo(oracle);
        assertThat(counted(new MergeDiff(databases), plans.get(1))).as("merge, %s", what).isEqualTo(oracle);
        int perSegment = 1 + r.nextInt(20);
        assertThat(counted(new HashDiff(databases, perSegment, 0.5, 1_000_000), plans.get(1)))
                .as("hash, %d rows per segment, %s", perSegment, what).isEqualTo(oracle);
        assertThat(counted(new HashDiff(databases, perSegment, 1.0, 3, HashDiff.IndexUse.NONE), plans.get(1)))
                .as("hash holding at most 3 suspects, %s", what).isEqualTo(oracle);
        assertThat(counted(new HashDiff(databases, perSegment, 0.5, 1_000_000, HashDiff.IndexUse.AUTO, Long.MAX_VALUE),
                plans.get(1))).as("hash of the whole table at once, %s", what).isEqualTo(oracle);

        // a sync across servers: the target becomes the source's multiset
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false)
                .withBatchSize(1 + r.nextInt(8)).withCopyThreshold(1 + r.nextInt(10));
        String syncYaml = yaml.replaceAll("(?m)^  - \\{ name: joined.*\n", "").replace("strategy: merge",
                "strategy: " + (r.nextBoolean() ? "merge" : "hash"));
        ReconConfig syncConfig = new ConfigLoader(Map.of()).parse(syncYaml, "test.yaml");
        var result = Runs.sync(new Recon(syncConfig), options,
                ReportFormat.JSON.writer(new StringWriter()));
        ApplyResult applied = result.mappings().get(0).applied().orElseThrow();
        long inserts = oracle.values().stream().mapToLong(c -> c.get(0)).sum();
        long deletes = oracle.values().stream().mapToLong(c -> c.get(1)).sum();
        assertThat(applied.failed()).as("sync, %s", what).isEmpty();
        assertThat(List.of(applied.written().inserts(), applied.written().deletes())).as("written, %s", what)
                .isEqualTo(List.of(inserts, deletes));
        assertThat(oracle()).as("after the sync, %s", what).isEmpty();
    }

    @Test
    void aSurplusCopyInAPartitionedTargetIsDeletedAloneThoughCtidsRepeatAcrossPartitions() {
        String layout = "DROP TABLE IF EXISTS meas; CREATE TABLE meas (day int, v text) PARTITION BY RANGE (day);"
                + " CREATE TABLE meas_1 PARTITION OF meas FOR VALUES FROM (0) TO (10);"
                + " CREATE TABLE meas_2 PARTITION OF meas FOR VALUES FROM (10) TO (20);";
        source.execute(layout + " INSERT INTO meas SELECT g % 20, 'v' FROM generate_series(1, 40) g");
        // the surplus row first: its ctid, (0,1), is also the first row's of the other partition
        target.execute(layout + " INSERT INTO meas VALUES (1, 'surplus');"
                + " INSERT INTO meas SELECT g % 20, 'v' FROM generate_series(1, 40) g");
        String yaml = "connections:\n  a: { url: \"" + source.url() + "\" }\n  b: { url: \"" + target.url() + "\" }\n"
                + "syncs:\n  - { name: meas, source: { connection: a, table: meas }, target: { connection: b, table:"
                + " meas }, key: none }\n";
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false);
        ApplyResult applied = Runs.sync(new Recon(new ConfigLoader(Map.of()).parse(yaml, "test.yaml")), options,
                ReportFormat.JSON.writer(new StringWriter())).mappings().get(0).applied().orElseThrow();
        assertThat(List.of(applied.written().inserts(), applied.written().deletes())).isEqualTo(List.of(0L, 1L));
        assertThat(target.value("SELECT count(*) FROM meas", Long.class)).isEqualTo(40L);
        assertThat(target.value("SELECT count(*) FROM meas WHERE v = 'surplus'", Long.class)).isZero();
    }

    private static String[] row(Random r, int varying) {
        String[][] domains = {A, B, C, D, E, F, G, H};
        String[] row = new String[COLUMNS];
        for (int i = 0; i < COLUMNS; i++) {
            row[i] = i < varying ? domains[i][r.nextInt(domains[i].length)] : domains[i][1];
        }
        return row;
    }

    private static void create(Handle h, String table, String firstType, List<String[]> rows) {
        h.execute("DROP TABLE IF EXISTS " + table);
        h.execute("CREATE TABLE " + table + " (a " + firstType + ", b text" + collation + ", c numeric, d float8,"
                + " e jsonb, f interval, g float8[], h json)");
        var batch = h.prepareBatch("INSERT INTO " + table + " VALUES (?::" + firstType + ", ?, ?::numeric, ?::float8,"
                + " ?::jsonb, ?::interval, ?::float8[], ?::json)");
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                batch.bind(i, row[i]);
            }
            batch.add();
        }
        if (!rows.isEmpty()) {
            batch.execute();
        }
    }

    /**
     * For every distinct row, how many copies the target lacks and how many it has too many:
     * both tables read as text and told equal in Java (numbers by value, -0 as 0, the rest
     * by its text); the target is the one on the other server.
     */
    private static Map<String, List<Long>> oracle() {
        Map<String, long[]> counts = new TreeMap<>();
        for (var side : List.of(Map.entry(source, "ms_source"), Map.entry(target, "ms_target"))) {
            int i = side.getValue().equals("ms_source") ? 0 : 1;
            side.getKey().jdbi().useHandle(h -> h.createQuery("SELECT a::text, b, c::text, d::text, e::text,"
                    + " f::text, g::text, h::text FROM " + side.getValue()).map((rs, ctx) -> {
                        String[] row = new String[COLUMNS];
                        for (int c = 0; c < COLUMNS; c++) {
                            row[c] = rs.getString(c + 1);
                        }
                        return row;
                    }).forEach(row -> counts.computeIfAbsent(
                                    canonical(Arrays.asList(row)), k -> new long[2])[i]++));
        }
        Map<String, List<Long>> expected = new TreeMap<>();
        counts.forEach((row, n) -> {
            if (n[0] != n[1]) {
                expected.put(row, List.of(Math.max(0, n[0] - n[1]), Math.max(0, n[1] - n[0])));
            }
        });
        return expected;
    }

    private static String canonical(List<String> row) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < COLUMNS; i++) {
            String v = row.get(i);
            if (v == null) {
                out.add("<null>");
            } else if (i == 2 && !v.equals("NaN")) {
                out.add(new BigDecimal(v).stripTrailingZeros().toPlainString());
            } else if (i == 3 && v.equals("-0")) {
                out.add("'0'");
            } else {
                out.add("'" + v + "'");
            }
        }
        return String.join(",", out);
    }

    /** A strategy's changes, counted per distinct row (its copy number left out) as the oracle counts them. */
    private static Map<String, List<Long>> counted(DiffStrategy strategy, MappingPlan plan) {
        Map<String, long[]> counts = new TreeMap<>();
        strategy.diff(plan, (RowChange c) -> {
            assertThat(c.operation()).isNotEqualTo(Operation.UPDATE);
            long[] n = counts.computeIfAbsent(canonical(c.key().subList(0, COLUMNS)), k -> new long[2]);
            n[c.operation() == Operation.INSERT ? 0 : 1]++;
        });
        Map<String, List<Long>> out = new TreeMap<>();
        counts.forEach((k, n) -> out.put(k, List.of(n[0], n[1])));
        return out;
    }
}
