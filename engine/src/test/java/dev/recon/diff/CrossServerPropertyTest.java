package dev.recon.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.recon.config.ConfigLoader;
import dev.recon.config.ReconConfig;
import dev.recon.diff.hash.HashDiff;
import dev.recon.diff.join.JoinDiff;
import dev.recon.diff.merge.MergeDiff;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.result.RowChange;
import dev.recon.result.StrategyDetails.Figure;
import dev.recon.testing.ColumnKind;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Scenario;
import dev.recon.testing.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quicktheories.generators.Generate;

/**
 * On two real databases, for random tables and random (sometimes clustered) differences,
 * join (both tables copied onto one database), merge and hash return exactly the same
 * changes: the same keys, kinds, changed columns and values. Tables hold 0 to 3,000 rows
 * (most under 100), statistics are absent, fresh, or taken when the table held a few
 * percent of its rows; keys include numeric NaN and infinities and a composite whose second
 * column may be NULL; columns include numeric specials and arrays, intervals, jsonb numbers,
 * float arrays with -0, citext, an enum fed from text and values too long or out of range
 * for the target, each spelled differently but equal on the source where the type allows.
 * Hash runs with segments (several sizes, indexes used or not, few suspects held) and on
 * the whole table at once (its small-table path).
 */
class CrossServerPropertyTest {
    /** Tries per run; {@code -Drecon.tries=N} searches longer. */
    static final int TRIES = Integer.getInteger("recon.tries", 80);

    @RegisterExtension
    static final PgDatabase source = new PgDatabase();
    @RegisterExtension
    static final PgDatabase target = new PgDatabase();

    /** Tries whose hash diff took its boundaries from the planner's statistics. */
    private final AtomicInteger fromStatistics = new AtomicInteger();
    /** Tries whose source summary was read by index range scans, the target's hash-aggregated. */
    private final AtomicInteger summariesByIndex = new AtomicInteger();

    /** The column types both test databases can hold (citext when the server has the extension). */
    static List<ColumnKind> pool;

    @BeforeAll
    static void types() {
        pool = Scenarios.prepare(source, target);
    }

    /** When the tables' statistics were taken. */
    enum Statistics { NONE, FRESH, STALE }

    @Test
    void joinMergeAndHashReturnTheSameChanges() {
        qt().withExamples(TRIES).withShrinkCycles(10)
                .forAll(Scenarios.forStrategies(pool), integers().between(1, 16),
                        Generate.enumValues(Statistics.class))
                .checkAssert(this::check);
        // the statistics path ran (integer keys on analysed tables), not only the sampling one
        assertThat(fromStatistics.get()).isPositive();
        assertThat(summariesByIndex.get()).isPositive();
    }

    private void check(Scenario scenario, int rowsPerSegment, Statistics statistics) {
        try (Handle a = source.jdbi().open(); Handle b = target.jdbi().open()) {
            scenario.create(a, a, "prop_source", "prop_target_copy");
            scenario.create(a, b, "prop_source", "prop_target");
            // the same target with the source's column names: a mapping without columns finds them by name
            a.execute("DROP TABLE IF EXISTS prop_target_named; CREATE TABLE prop_target_named (LIKE prop_target_copy"
                    + " INCLUDING ALL); INSERT INTO prop_target_named SELECT * FROM prop_target_copy");
            a.execute("DO $$ DECLARE r record; BEGIN FOR r IN SELECT attname FROM pg_attribute WHERE attrelid ="
                    + " 'prop_target_named'::regclass AND attnum > 0 AND NOT attisdropped LOOP EXECUTE format("
                    + "'ALTER TABLE prop_target_named RENAME COLUMN %I TO %I', r.attname, regexp_replace(regexp_replace("
                    + "r.attname, '^key_', 'k'), '^col_', 'c')); END LOOP; END $$");
            for (var side : List.of(Map.entry(a, "prop_source"), Map.entry(b, "prop_target"))) {
                String t = side.getValue();
                switch (statistics) {
                    // histograms for the hash strategy's boundaries (otherwise it samples)
                    case FRESH -> side.getKey().execute("ANALYZE " + t);
                    // statistics of a table a thirtieth of its size, as after a bulk load since the last ANALYZE
                    case STALE -> side.getKey().execute("CREATE TEMP TABLE keep AS SELECT * FROM " + t + ";"
                            + " DELETE FROM " + t + " WHERE random() < 0.97; ANALYZE " + t + "; DELETE FROM " + t + ";"
                            + " INSERT INTO " + t + " SELECT * FROM keep; DROP TABLE keep");
                    default -> {
                    }
                }
            }
        }
        String yaml = "connections:\n  a: { url: \"" + source.url() + "\" }\n  b: { url: \"" + target.url() + "\" }\n"
                + "syncs:\n"
                + scenario.yaml("joined", "a", "prop_source", "a", "prop_target_copy", "")
                + scenario.yaml("apart", "a", "prop_source", "b", "prop_target", "")
                + scenario.yaml("byname", "a", "prop_source", "a", "prop_target_named", "")
                        .replaceAll("(?m)^    columns: .*\n", "").replace(": key_", ": k");
        ReconConfig config = new ConfigLoader(Map.of()).parse(yaml, "test.yaml");
        Databases databases = new Databases();
        List<MappingPlan> plans = new Planner(config, databases).plan(List.of(), Purpose.DIFF);

        List<String> joined = describe(new JoinDiff(databases), plans.get(0));
        assertThat(joined).as("join vs the generated differences, %s", scenario)
                .hasSize(scenario.expected().size());
        assertThat(describe(new MergeDiff(databases), plans.get(1))).as("merge, %s", scenario).isEqualTo(joined);
        // every column both tables have, found by name, in the target's order: the same changes
        List<String> byName = new ArrayList<>();
        new JoinDiff(databases).diff(plans.get(2), c -> byName.add(describe(new RowChange(c.operation(), c.key(),
                c.source(), c.target(), c.changed().stream().map(n -> n.replaceFirst("^c", "col_")).toList(),
                c.revive()))));
        byName.sort(null);
        assertThat(byName).as("join of a mapping without columns, %s", scenario).isEqualTo(joined);
        List<String> hashed = new ArrayList<>();
        DiffStats stats = new HashDiff(databases, rowsPerSegment, 0.5, 1_000_000).diff(plans.get(1),
                c -> hashed.add(describe(c)));
        hashed.sort(null);
        assertThat(hashed).as("hash with %d rows per segment, statistics %s, %s", rowsPerSegment, statistics, scenario)
                .isEqualTo(joined);
        if (stats.details().get(Figure.BOUNDARIES_FROM_STATISTICS).orElse(0) == 1L) {
            fromStatistics.incrementAndGet();
        }
        List<String> byIndex = new ArrayList<>();
        DiffStats indexStats = new HashDiff(databases, rowsPerSegment, 1.0, 1_000_000,
                HashDiff.IndexUse.SOURCE_ONLY).diff(plans.get(1), c -> byIndex.add(describe(c)));
        byIndex.sort(null);
        assertThat(byIndex).as("hash that never falls back on dense segments, the source's summary by index range scans, the target's by hash aggregate, %s",
                scenario).isEqualTo(joined);
        if (indexStats.details().get(Figure.SUMMARIES_BY_INDEX).orElse(0) == 1L) {
            summariesByIndex.incrementAndGet();
        }
        assertThat(describe(new HashDiff(databases, rowsPerSegment, 1.0, 3, HashDiff.IndexUse.NONE),
                plans.get(1))).as("hash that holds at most 3 differing keys, using no index, %s", scenario)
                .isEqualTo(joined);
        // a small table compared whole: one summary a side, then every row's (key, hash)
        assertThat(describe(new HashDiff(databases, rowsPerSegment, 0.5, 1_000_000, HashDiff.IndexUse.AUTO,
                Long.MAX_VALUE), plans.get(1))).as("hash of the whole table at once, %s", scenario).isEqualTo(joined);
    }

    /** Every change with its values, sorted: strategies must agree on all of it. */
    private static List<String> describe(DiffStrategy strategy, MappingPlan plan) {
        List<String> out = new ArrayList<>();
        strategy.diff(plan, c -> out.add(describe(c)));
        out.sort(null);
        return out;
    }

    private static String describe(RowChange c) {
        return c.operation() + " " + c.key() + " " + c.changed() + " " + c.source() + " " + c.target() + " " + c.revive();
    }
}
