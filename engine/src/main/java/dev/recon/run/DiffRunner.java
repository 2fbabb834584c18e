package dev.recon.run;

import dev.recon.base.Progress;
import dev.recon.config.Operation;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.diff.KeyOrder;
import dev.recon.diff.hash.EngineHashDiff;
import dev.recon.diff.hash.HashDiff;
import dev.recon.diff.join.JoinDiff;
import dev.recon.diff.join.MariaDbJoinDiff;
import dev.recon.diff.merge.MergeDiff;
import dev.recon.pg.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ChangeListener;
import dev.recon.result.Counts;
import dev.recon.result.MappingResult;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the diff of each plan, counting changes, keeping a bounded sample and feeding the report. */
public final class DiffRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DiffRunner.class);

    /** Samples read best grouped by kind (insert, update, delete), then in key order (numbers by value). */
    private static Comparator<RowChange> sampleOrder(MappingPlan plan) {
        KeyOrder order = new KeyOrder(plan.keys());
        return Comparator.comparing(RowChange::operation).thenComparing(
                (a, b) -> order.compareParsed(order.parse(a.key().toArray(new String[0])),
                        order.parse(b.key().toArray(new String[0]))));
    }

    private final Databases databases;
    private final int samplesPerKind;
    private final Progress progress;

    public DiffRunner(Databases databases, int samplesPerKind, Progress progress) {
        this.databases = databases;
        this.samplesPerKind = samplesPerKind;
        this.progress = progress;
    }

    /** Diffs each plan, telling {@code listener} of every change; returns the run's result. */
    public RunResult run(List<MappingPlan> plans, Duration planTime, ChangeListener listener, int jobs) {
        return EachMapping.run(RunResult.Kind.DIFF, plans, planTime, jobs, progress,
                (plan, report) -> report.accept(diffOne(plan, change -> listener.change(plan, change))));
    }

    /** Diffs one mapping: counts every change, keeps the samples, hands every change to {@code sink}. */
    public MappingResult diffOne(MappingPlan plan, Consumer<RowChange> sink) {
        return diffOne(plan, strategy(plan), sink);
    }

    /**
     * A MariaDB side whose key is unique only under a case-, accent- or pad-blind collation
     * holds one of the keys recon tells apart ('A' and 'a', 'a' and 'a '): said once per run,
     * so that an insert and a delete of two spellings of one key are not a surprise.
     */
    private static void warnOfBlindKeys(MappingPlan plan) {
        for (var side : List.of(plan.mariaDbSource(), plan.mariaDbTarget())) {
            side.ifPresent(m -> {
                List<String> keys = m.names().subList(0, m.nKeys());
                List<String> blind = m.table().caseInsensitiveKeyColumns(keys);
                if (!blind.isEmpty()) {
                    LOG.warn("{} - key column(s) {} of {} compare case- or accent-blind ({}): MariaDB holds one of"
                            + " keys that differ only so ('A' and 'a'); recon compares keys byte for byte, so another"
                            + " spelling on the other side is an insert or a delete", plan.name(), blind,
                            m.table().displayName(), m.table().column(blind.get(0)).orElseThrow().collation());
                }
            });
        }
    }

    /** The same with a strategy chosen by the caller (a sync into an empty target). */
    public MappingResult diffOne(MappingPlan plan, DiffStrategy strategy, Consumer<RowChange> sink) {
        long start = System.nanoTime();
        warnOfBlindKeys(plan);
        long[] perKind = new long[Operation.values().length]; // unboxed: this runs once per differing row
        List<RowChange> samples = new ArrayList<>();
        // join and hash work inside the servers and only hand over differences: a bar of those, with no total
        // (merge draws its own, of rows read against the estimate; an initial load's is its writes)
        boolean countDifferences = strategy instanceof JoinDiff || strategy instanceof HashDiff
                || strategy instanceof EngineHashDiff || strategy instanceof MariaDbJoinDiff;
        if (countDifferences) {
            progress.start(plan.name() + ": differences found by " + plan.strategy().label(), -1);
        }
        DiffStats stats;
        try {
            stats = strategy.diff(plan, change -> {
                if (++perKind[change.operation().ordinal()] <= samplesPerKind) {
                    samples.add(change);
                }
                if (countDifferences) {
                    progress.advance(1);
                }
                sink.accept(change);
            });
        } finally {
            if (countDifferences) {
                progress.finish();
            }
        }
        Counts counts = new Counts(perKind[Operation.INSERT.ordinal()], perKind[Operation.UPDATE.ordinal()],
                perKind[Operation.DELETE.ordinal()]);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        samples.sort(sampleOrder(plan));
        LOG.info("{} - diff by {} found {} to insert, {} to update, {} to delete in {} ms", plan.name(),
                stats.strategy(), counts.inserts(), counts.updates(), counts.deletes(), took.toMillis());
        return MappingResult.diffed(plan, stats.strategy(), counts, samples, stats.details(), took);
    }

    DiffStrategy strategy(MappingPlan plan) {
        return switch (plan.strategy()) {
            // two MariaDB tables and --key: the merge's read of those keys (the join would read every row)
            case JOIN -> !plan.touchesMariaDb() ? new JoinDiff(databases)
                    : plan.onlyKeys().isEmpty() ? new MariaDbJoinDiff(databases) : new MergeDiff(databases, progress);
            case MERGE -> new MergeDiff(databases, progress);
            case HASH -> plan.touchesMariaDb() ? new EngineHashDiff(databases) : new HashDiff(databases);
            case AUTO -> throw new IllegalStateException("the planner resolves auto");
        };
    }
}
