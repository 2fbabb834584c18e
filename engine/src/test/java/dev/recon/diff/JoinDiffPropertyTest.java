package dev.recon.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.recon.testing.Diffs;
import dev.recon.testing.KeyKind;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * For random tables and random differences, the join diff reports exactly the inserted,
 * deleted and changed keys, and exactly the changed compared columns.
 */
class JoinDiffPropertyTest {
    /** Tries per property; each builds two real tables. */
    static final int TRIES = 120;

    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    static Gen<Scenario> scenarios() {
        Gen<KeyKind> keys = Generate.enumValues(KeyKind.class);
        return keys.zip(integers().between(1, 5), integers().between(0, 40), integers().between(0, 100),
                (k, cols, rows, pct) -> new Object[] {k, cols, rows, pct})
                .zip(booleans().all(), longs().all(), (a, subset, seed) -> new Scenario((KeyKind) a[0],
                        (Integer) a[1], (Integer) a[2], (Integer) a[3], subset, seed));
    }

    @Test
    void reportsExactlyTheGeneratedDifferences() {
        qt().withExamples(TRIES).withShrinkCycles(20).forAll(scenarios()).checkAssert(scenario -> {
            db.jdbi().useHandle(h -> scenario.create(h, "prop_source", "prop_target"));
            String yaml = "syncs:\n" + scenario.yaml("prop", "db", "prop_source", "db", "prop_target", "");
            assertThat(Scenario.describe(Diffs.join(db, yaml)))
                    .as("%s", scenario)
                    .isEqualTo(scenario.expected());
        });
    }
}
