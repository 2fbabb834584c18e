package dev.recon.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.recon.config.ConfigLoader;
import dev.recon.config.ReconConfig;
import dev.recon.pg.Databases;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.plan.SyncPlan;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Scenario;
import dev.recon.testing.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On two real databases, for random tables and random (sometimes clustered) differences,
 * join (both tables copied onto one database), merge and hash return exactly the same
 * changes: the same keys, kinds, changed columns and values.
 */
class CrossServerPropertyTest {
    static final int TRIES = 80;

    @RegisterExtension
    static final PgDatabase source = new PgDatabase();
    @RegisterExtension
    static final PgDatabase target = new PgDatabase();

    @Test
    void joinMergeAndHashReturnTheSameChanges() {
        qt().withExamples(TRIES).withShrinkCycles(10)
                .forAll(Scenarios.clusteredOrNot(150), integers().between(1, 16))
                .checkAssert(this::check);
    }

    private void check(Scenario scenario, int rowsPerSegment) {
        try (Handle a = source.jdbi().open(); Handle b = target.jdbi().open()) {
            scenario.create(a, a, "prop_source", "prop_target_copy");
            scenario.create(a, b, "prop_source", "prop_target");
        }
        String yaml = "connections:\n  a: { url: \"" + source.url() + "\" }\n  b: { url: \"" + target.url() + "\" }\n"
                + "syncs:\n"
                + scenario.yaml("joined", "a", "prop_source", "a", "prop_target_copy", "")
                + scenario.yaml("apart", "a", "prop_source", "b", "prop_target", "");
        ReconConfig config = new ConfigLoader(Map.of()).parse(yaml, "test.yaml");
        Databases databases = new Databases();
        List<SyncPlan> plans = new Planner(config, databases).plan(List.of(), Purpose.DIFF);

        List<String> joined = describe(new JoinDiff(databases), plans.get(0));
        assertThat(joined).as("join vs the generated differences, %s", scenario)
                .hasSize(scenario.expected().size());
        assertThat(describe(new MergeDiff(databases), plans.get(1))).as("merge, %s", scenario).isEqualTo(joined);
        assertThat(describe(new HashDiff(databases, rowsPerSegment, 0.5, 1_000_000), plans.get(1)))
                .as("hash with %d rows per segment, %s", rowsPerSegment, scenario).isEqualTo(joined);
        assertThat(describe(new HashDiff(databases, rowsPerSegment, 1.0, 1_000_000), plans.get(1)))
                .as("hash that never falls back on dense segments, %s", scenario).isEqualTo(joined);
        assertThat(describe(new HashDiff(databases, rowsPerSegment, 1.0, 3), plans.get(1)))
                .as("hash that holds at most 3 differing keys, %s", scenario).isEqualTo(joined);
    }

    /** Every change with its values, sorted: strategies must agree on all of it. */
    private static List<String> describe(DiffStrategy strategy, SyncPlan plan) {
        List<String> out = new ArrayList<>();
        strategy.diff(plan, c -> out.add(c.kind() + " " + c.key() + " " + c.changed() + " " + c.source() + " "
                + c.target() + " " + c.revive()));
        out.sort(null);
        return out;
    }
}
