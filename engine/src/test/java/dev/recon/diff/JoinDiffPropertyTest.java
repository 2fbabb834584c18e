package dev.recon.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.recon.testing.ColumnKind;
import dev.recon.testing.Diffs;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Scenario;
import dev.recon.testing.Scenarios;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * For random tables and random differences, the join diff reports exactly the inserted,
 * deleted and changed keys, and exactly the changed compared columns.
 */
class JoinDiffPropertyTest {
    /** Tries per property; each builds two real tables. */
    static final int TRIES = 120;

    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @Test
    void reportsExactlyTheGeneratedDifferences() {
        // every key shape and column type the strategy comparisons use: join is their oracle
        List<ColumnKind> pool = Scenarios.prepare(db);
        qt().withExamples(TRIES).withShrinkCycles(20).forAll(Scenarios.forStrategies(pool)).checkAssert(scenario -> {
            db.jdbi().useHandle(h -> scenario.create(h, "prop_source", "prop_target"));
            String yaml = "syncs:\n" + scenario.yaml("prop", "db", "prop_source", "db", "prop_target", "");
            assertThat(Scenario.describe(Diffs.join(db, yaml)))
                    .as("%s", scenario)
                    .isEqualTo(scenario.expected());
        });
    }
}
