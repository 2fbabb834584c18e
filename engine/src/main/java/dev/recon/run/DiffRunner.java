package dev.recon.run;

import dev.recon.base.Progress;
import dev.recon.config.Operation;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.diff.KeyOrder;
import dev.recon.diff.Strategies;
import dev.recon.diff.hash.EngineHashDiff;
import dev.recon.diff.merge.MergeDiff;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ChangeListener;
import dev.recon.result.Counts;
import dev.recon.result.MappingResult;
import dev.recon.result.RowChange;
import dev.recon.result.UnderRules;
import dev.recon.diff.RuleCheck;
import dev.recon.result.RunResult;
import dev.recon.result.StrategyDetails;
import dev.recon.spi.Engine;
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

    /** What each side's engine warns of once a run (keys its collation calls equal, say). */
    private static void warn(MappingPlan plan) {
        for (var side : List.of(plan.sourceSide(), plan.targetSide())) {
            side.warnings().forEach(w -> LOG.warn("{} - {}", plan.name(), w));
        }
        // said once a run of the process (every mapping of a connection would say the same)
        plan.warnings().stream().filter(WARNED::add).forEach(w -> LOG.warn("{}", w));
    }

    /** The plans' warnings already logged by this process. */
    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The same with a strategy chosen by the caller (a sync into an empty target). */
    public MappingResult diffOne(MappingPlan plan, DiffStrategy strategy, Consumer<RowChange> sink) {
        long start = System.nanoTime();
        warn(plan);
        long[] perKind = new long[Operation.values().length]; // unboxed: this runs once per differing row
        List<RowChange> samples = new ArrayList<>();
        RuleCheck rules = new RuleCheck(plan);
        long[] equalUnderRules = {0};
        List<RowChange> forgivenSamples = new ArrayList<>();
        // join and hash work inside the servers and only hand over differences: a bar of those, with no total
        // (merge draws its own, of rows read against the estimate; an initial load's is its writes)
        boolean countDifferences = strategy.handsOverOnlyDifferences();
        if (countDifferences) {
            progress.start(plan.name() + ": differences found by " + plan.strategy().label(), -1);
        }
        DiffStats stats;
        OutsideSlice[] slice = {null};
        try {
            Consumer<RowChange> counted = found -> {
                RowChange change = found;
                if (rules.any()) {
                    List<String> forgiven = rules.forgiven(found);
                    change = rules.apply(found, forgiven);
                    if (change == null) {
                        if (++equalUnderRules[0] <= samplesPerKind) {
                            // the row as found, its forgiven columns named: what the rules hide
                            forgivenSamples.add(new RowChange(found.operation(), found.key(), found.source(),
                                    found.target(), forgiven, false));
                        }
                        return;
                    }
                }
                if (++perKind[change.operation().ordinal()] <= samplesPerKind) {
                    samples.add(change);
                }
                if (countDifferences) {
                    progress.advance(1);
                }
                sink.accept(change);
            };
            // with a target slice, a row to insert whose key the target holds outside the slice is no insert
            // (not for an empty target's load, which has no rows outside the slice and pairs each row with its COPY
            // line as they come; nor for a multiset, whose copy numbers are no key a row outside could hold)
            slice[0] = plan.targetWhere().isPresent() && !plan.multiset()
                    && !(strategy instanceof dev.recon.diff.load.EmptyTargetDiff)
                    ? new OutsideSlice(databases, plan, counted) : null;
            stats = strategy.diff(plan, slice[0] != null ? slice[0] : counted);
            if (slice[0] != null) {
                long outside = slice[0].finish();
                if (outside > 0) {
                    LOG.warn("{} - {} source rows have their key on the target outside its slice (target.where): not"
                            + " inserted, as the target holds that key already (keys: {})", plan.name(), outside,
                            slice[0].kept());
                }
                StrategyDetails.Builder details = StrategyDetails.builder();
                for (StrategyDetails.Figure f : StrategyDetails.Figure.values()) {
                    stats.details().get(f).ifPresent(v -> details.put(f, v));
                }
                stats = new DiffStats(stats.strategy(), details.put(StrategyDetails.Figure.OUTSIDE_TARGET_SLICE,
                        outside).build());
            }
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
        if (equalUnderRules[0] > 0) {
            LOG.info("{} - {} rows differ only within their comparison rules (equal under the rules)", plan.name(),
                    equalUnderRules[0]);
        }
        return MappingResult.diffed(plan, stats.strategy(), counts, samples, stats.details(), took)
                .withUnderRules(new UnderRules(equalUnderRules[0], forgivenSamples));
    }

    private static java.util.Optional<Strategies> strategies(Engine engine) {
        return engine.feature(Strategies.class);
    }

    DiffStrategy strategy(MappingPlan plan) {
        return switch (plan.strategy()) {
            // the planner chose join only for two tables on one server of an engine that joins them
            case JOIN -> strategies(plan.targetSide().engine()).orElseThrow(() -> new IllegalStateException(
                    plan.targetSide().engine().label() + " has no join")).join(databases, plan, progress);
            case MERGE -> new MergeDiff(databases, progress);
            // both sides on one engine with a hash of its own: that; else the canonical hash both compute alike
            case HASH -> plan.sourceSide().engine() != plan.targetSide().engine() ? new EngineHashDiff(databases)
                    : strategies(plan.targetSide().engine()).map(s -> s.hash(databases))
                            .orElseGet(() -> new EngineHashDiff(databases));
            case AUTO -> throw new IllegalStateException("the planner resolves auto");
        };
    }
}
