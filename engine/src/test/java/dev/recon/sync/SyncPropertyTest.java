package dev.recon.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.recon.Recon;
import dev.recon.apply.ApplyResult;
import dev.recon.report.ReportFormat;
import dev.recon.report.RunReport;
import dev.recon.testing.Diffs;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Scenario;
import dev.recon.testing.Scenarios;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * For random tables, random differences and a random set of keys the target refuses,
 * repeated syncs apply every acceptable row, record exactly the refused ones, and converge to
 * an empty diff once the refusal is lifted. Batch size and the COPY threshold vary so both
 * write paths and the bisection are exercised.
 */
class SyncPropertyTest {
    static final int TRIES = 60;

    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @Test
    void syncsApplyEveryAcceptableRowRecordTheRefusedAndConvergeOnceLifted() {
        qt().withExamples(TRIES).withShrinkCycles(10)
                .forAll(Scenarios.all(), integers().between(1, 40), longs().all())
                .checkAssert((scenario, batch, seed) -> check(scenario, batch, seed));
    }

    private static void check(Scenario scenario, int batchSize, long seed) {
        db.execute("DROP TABLE IF EXISTS prop_target CASCADE");
        db.jdbi().useHandle(h -> scenario.create(h, "prop_source", "prop_target"));
        Map<List<String>, String> operations = scenario.expectedOperations();
        Random r = new Random(seed);
        List<List<String>> refused = new ArrayList<>();
        for (List<String> key : operations.keySet()) {
            if (r.nextInt(4) == 0) {
                refused.add(key);
            }
        }
        db.execute(scenario.rejectTriggerSql("prop_target", "prop_rejects")
                + scenario.insertRejectsSql("prop_rejects", refused));
        String yaml = "syncs:\n" + scenario.yaml("prop", "db", "prop_source", "db", "prop_target", "");
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false)
                .withBatchSize(batchSize).withCopyThreshold(1 + r.nextInt(20));

        List<String> expectedFailed = refused.stream().map(k -> operations.get(k) + " " + k).sorted().toList();
        for (int run = 1; run <= 2; run++) {
            ApplyResult a = sync(yaml, options);
            assertThat(failed(a)).as("run %d of %s", run, scenario).isEqualTo(expectedFailed);
            long acceptable = operations.size() - refused.size();
            assertThat(a.inserted() + a.updated() + a.deleted()).as("run %d", run)
                    .isEqualTo(run == 1 ? acceptable : 0);
            assertThat(Diffs.join(db, yaml).stream().map(c -> c.kind().label() + " " + c.key()).sorted().toList())
                    .as("still differing after run %d", run)
                    .isEqualTo(refused.stream().map(k -> operations.get(k) + " " + k).sorted().toList());
        }
        db.execute("DROP TRIGGER refuse ON prop_target");
        ApplyResult last = sync(yaml, options);
        assertThat(last.failed()).isEmpty();
        assertThat(last.inserted() + last.updated() + last.deleted()).isEqualTo(refused.size());
        assertThat(Diffs.join(db, yaml)).isEmpty();
    }

    private static ApplyResult sync(String yaml, SyncOptions options) {
        RunReport report = new Recon(Diffs.config(db, yaml)).sync(List.of(), options,
                ReportFormat.JSON.writer(new StringWriter()));
        return report.syncs().get(0).applied().orElseThrow();
    }

    private static List<String> failed(ApplyResult a) {
        return a.failed().stream().map(f -> f.operation().label() + " " + f.key()).sorted().toList();
    }
}
