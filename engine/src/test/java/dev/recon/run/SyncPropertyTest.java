package dev.recon.run;

import dev.recon.config.SyncOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.recon.Recon;
import dev.recon.config.MaxDeletes;
import dev.recon.report.ReportFormat;
import dev.recon.result.ApplyResult;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import dev.recon.testing.Diffs;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import dev.recon.testing.Scenario;
import dev.recon.testing.Scenarios;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * For random tables, random differences and a random set of keys the target refuses,
 * repeated syncs apply every acceptable row, record exactly the refused ones, and converge to
 * an empty diff once the refusal is lifted. Batch size and the COPY threshold vary so both
 * write paths and the bisection are exercised; a quarter of the tries empty the target
 * first, so the initial-load path (source streamed by COPY, writes on their own thread)
 * meets the same refusals.
 */
class SyncPropertyTest {
    static final int TRIES = 60;

    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @Test
    void syncsApplyEveryAcceptableRowRecordTheRefusedAndConvergeOnceLifted() {
        qt().withExamples(TRIES).withShrinkCycles(10)
                .forAll(Scenarios.all(), integers().between(1, 40), longs().all(), integers().between(0, 3))
                .checkAssert((scenario, batch, seed, mode) -> check(scenario, batch, seed, mode == 0));
    }

    private static void check(Scenario scenario, int batchSize, long seed, boolean emptyTarget) {
        db.execute("DROP TABLE IF EXISTS prop_target CASCADE");
        db.jdbi().useHandle(h -> scenario.create(h, "prop_source", "prop_target"));
        String yaml = "syncs:\n" + scenario.yaml("prop", "db", "prop_source", "db", "prop_target", "");
        Map<List<String>, String> operations = scenario.expectedOperations();
        if (emptyTarget) {
            db.execute("DELETE FROM prop_target");
            operations = new LinkedHashMap<>();
            for (var change : Diffs.join(db, yaml)) {
                operations.put(change.key(), change.operation().label());
            }
            assertThat(operations.values()).allMatch("insert"::equals);
        }
        Random r = new Random(seed);
        List<List<String>> refused = new ArrayList<>();
        for (List<String> key : operations.keySet()) {
            if (r.nextInt(4) == 0) {
                refused.add(key);
            }
        }
        db.execute(scenario.rejectTriggerSql("prop_target", "prop_rejects")
                + scenario.insertRejectsSql("prop_rejects", refused));
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false)
                .withBatchSize(batchSize).withCopyThreshold(1 + r.nextInt(20));

        Map<List<String>, String> ops = operations;
        List<String> expectedFailed = refused.stream().map(k -> ops.get(k) + " " + k).sorted().toList();
        boolean startsEmpty = db.value("SELECT count(*) FROM prop_target", Long.class) == 0;
        for (int run = 1; run <= 2; run++) {
            RunResult report = syncReport(yaml, options);
            ApplyResult a = report.mappings().get(0).applied().orElseThrow();
            if (run == 1) {
                assertThat(report.mappings().get(0).strategy()).isEqualTo(startsEmpty ? "initial-load" : "join");
            }
            assertThat(failed(a)).as("run %d of %s", run, scenario).isEqualTo(expectedFailed);
            long acceptable = operations.size() - refused.size();
            assertThat(a.written().inserts() + a.written().updates() + a.written().deletes()).as("run %d", run)
                    .isEqualTo(run == 1 ? acceptable : 0);
            assertThat(Diffs.join(db, yaml).stream().map(c -> c.operation().label() + " " + c.key()).sorted().toList())
                    .as("still differing after run %d", run)
                    .isEqualTo(expectedFailed);
        }
        db.execute("DROP TRIGGER refuse ON prop_target");
        ApplyResult last = sync(yaml, options);
        assertThat(last.failed()).isEmpty();
        assertThat(last.written().inserts() + last.written().updates() + last.written().deletes()).isEqualTo(refused.size());
        assertThat(Diffs.join(db, yaml)).isEmpty();
    }

    private static ApplyResult sync(String yaml, SyncOptions options) {
        return syncReport(yaml, options).mappings().get(0).applied().orElseThrow();
    }

    private static RunResult syncReport(String yaml, SyncOptions options) {
        return Runs.sync(new Recon(Diffs.config(db, yaml)), options, ReportFormat.JSON.writer(new StringWriter()));
    }

    private static List<String> failed(ApplyResult a) {
        return a.failed().stream().map(f -> f.operation().label() + " " + f.key()).sorted().toList();
    }

    /**
     * Another writer deletes about a quarter of the target's rows between recon's read and its
     * write: no row it deleted comes back (an update never inserts), every planned change is
     * written or counted as changed meanwhile, and the next run converges.
     */
    @Test
    void aConcurrentWriterIsNeverOverwrittenAndTheNextRunConverges() {
        qt().withExamples(TRIES / 2).withShrinkCycles(10)
                .forAll(Scenarios.all(), integers().between(1, 40), integers().between(0, 3))
                .checkAssert((scenario, batch, salt) -> {
                    db.execute("DROP TABLE IF EXISTS prop_target CASCADE");
                    db.jdbi().useHandle(h -> scenario.create(h, "prop_source", "prop_target"));
                    String yaml = "syncs:\n" + scenario.yaml("prop", "db", "prop_source", "db", "prop_target", "");
                    // forced: the delete guard counts the target after the other writer's deletes
                    SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), true)
                            .withBatchSize(batch).withCopyThreshold(1 + batch / 2);
                    long before = db.value("SELECT count(*) FROM prop_target", Long.class);
                    long[] deleted = {0};
                    java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
                    RunResult report = new Recon(Diffs.config(db, yaml)).sync(dev.recon.SyncRequest.of(List.of(),
                            options).withListener((plan, change) -> {
                                if (once.compareAndSet(false, true)) {
                                    deleted[0] = db.value("WITH d AS (DELETE FROM prop_target WHERE"
                                            + " abs(hashtext(ctid::text || '" + salt + "')) % 4 = 0 RETURNING 1)"
                                            + " SELECT count(*) FROM d", Long.class);
                                }
                            }));
                    assertThat(report.errors()).isEmpty();
                    MappingResult m = report.mappings().get(0);
                    if (m.counts().total() == 0) {
                        return; // nothing planned: no listener call, nothing deleted
                    }
                    ApplyResult a = m.applied().orElseThrow();
                    assertThat(a.failed()).isEmpty();
                    assertThat(a.notApplied()).as("%s", scenario).isZero();
                    assertThat(a.written().total() + a.changedMeanwhile()).as("%s", scenario)
                            .isEqualTo(m.counts().total());
                    assertThat(a.changedMeanwhile()).isLessThanOrEqualTo(deleted[0] + m.counts().inserts());
                    // nothing the other writer deleted came back: the target holds what it and recon left
                    assertThat(db.value("SELECT count(*) FROM prop_target", Long.class)).as("%s", scenario)
                            .isEqualTo(before - deleted[0] + a.written().inserts() - a.written().deletes());
                    ApplyResult second = sync(yaml, options);
                    assertThat(second.converged()).isTrue();
                    assertThat(Diffs.join(db, yaml)).as("after the second run of %s", scenario).isEmpty();
                });
    }
}
