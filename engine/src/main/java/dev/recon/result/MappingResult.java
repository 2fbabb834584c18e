package dev.recon.result;

import dev.recon.config.Operation;
import dev.recon.plan.MappingPlan;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one mapping in one run: counts of differences by operation, a bounded
 * sample of them, the strategy's figures, how long it took and, for a sync, what was applied
 * (for a dry run, what a sync would write). {@code samples} holds at most the requested number
 * per operation. {@code duration} is the whole mapping's time; a sync's splits into
 * {@code diffTime} and {@code applyTime}. {@code underRules} are the rows that differ byte for
 * byte but are equal under the mapping's comparison rules: not counted as differences.
 */
public record MappingResult(
        MappingPlan plan,
        String strategy,
        Counts counts,
        List<RowChange> samples,
        StrategyDetails details,
        Duration duration,
        Duration diffTime,
        Duration applyTime,
        Optional<ApplyResult> applied,
        Optional<Long> runId,
        Optional<WritePlan> writePlan,
        UnderRules underRules) {

    public MappingResult {
        samples = List.copyOf(samples);
    }

    /** The target's key columns, as the reports name a row's key. */
    public List<String> keyColumns() {
        return plan.keys().stream().map(k -> k.targetColumn()).toList();
    }

    /** A diff's result: nothing applied. */
    public static MappingResult diffed(MappingPlan plan, String strategy, Counts counts, List<RowChange> samples,
            StrategyDetails details, Duration duration) {
        return new MappingResult(plan, strategy, counts, samples, details, duration, duration, Duration.ZERO,
                Optional.empty(), Optional.empty(), Optional.empty(), UnderRules.NONE);
    }

    /** A sync's result: the diff's figures, what was applied, and the time of each phase. */
    public MappingResult withApplied(ApplyResult result, long run, Duration total, Duration apply) {
        return new MappingResult(plan, strategy, counts, samples, details, total, duration, apply,
                Optional.of(result), Optional.of(run), Optional.empty(), underRules);
    }

    /** A dry run's result: the diff's figures and what a sync would write. */
    public MappingResult withWritePlan(WritePlan plan) {
        return new MappingResult(this.plan, strategy, counts, samples, details, duration, diffTime, applyTime,
                applied, runId, Optional.of(plan), underRules);
    }

    /** The same result, with the rows its comparison rules forgave. */
    public MappingResult withUnderRules(UnderRules rules) {
        return new MappingResult(plan, strategy, counts, samples, details, duration, diffTime, applyTime, applied,
                runId, writePlan, rules);
    }

    /** For a sync: every difference was applied. For a diff: nothing differs. */
    public boolean converged() {
        return applied.map(ApplyResult::converged).orElse(inSync());
    }

    public String name() {
        return plan.name();
    }

    /** The mapping this result belongs to: its own name, or the mapping a key range was cut from. */
    public String mapping() {
        return plan.mapping();
    }

    public long count(Operation op) {
        return counts.get(op);
    }

    public long total() {
        return counts.total();
    }

    public boolean inSync() {
        return total() == 0;
    }
}
