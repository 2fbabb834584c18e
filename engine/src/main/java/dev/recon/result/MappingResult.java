package dev.recon.result;

import dev.recon.config.Operation;
import dev.recon.plan.MappingPlan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one mapping in one run: counts of differences by kind, a bounded sample of
 * them, how long it took and, for a sync, what was applied. {@code samples} holds at most
 * the requested number per kind.
 */
public record MappingResult(
        MappingPlan plan,
        String strategy,
        Map<Operation, Long> counts,
        List<RowChange> samples,
        Map<String, Long> strategyDetails,
        Duration duration,
        Optional<ApplyResult> applied,
        Optional<Long> runId,
        Optional<WritePlan> writePlan) {

    public MappingResult {
        counts = Map.copyOf(counts);
        samples = List.copyOf(samples);
        strategyDetails = Map.copyOf(strategyDetails);
    }

    /** A diff-only report: nothing applied. */
    public MappingResult(MappingPlan plan, String strategy, Map<Operation, Long> counts, List<RowChange> samples,
            Map<String, Long> strategyDetails, Duration duration) {
        this(plan, strategy, counts, samples, strategyDetails, duration, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** The report of a sync: the diff's figures, what was applied, and the time of each phase. */
    public MappingResult withApplied(ApplyResult result, long run, Duration total, long applyMillis) {
        Map<String, Long> details = new LinkedHashMap<>(strategyDetails);
        details.put("diff_ms", duration.toMillis());
        details.put("apply_ms", applyMillis);
        return new MappingResult(plan, strategy, counts, samples, details, total, Optional.of(result), Optional.of(run),
                Optional.empty());
    }

    /** A dry run's report: the diff's figures and what a sync would write. */
    public MappingResult withWritePlan(WritePlan plan) {
        return new MappingResult(this.plan, strategy, counts, samples, strategyDetails, duration, applied, runId,
                Optional.of(plan));
    }

    /** Seconds spent finding the differences. */
    public double diffSeconds() {
        return strategyDetails.containsKey("diff_ms") ? strategyDetails.get("diff_ms") / 1000.0
                : duration.toMillis() / 1000.0;
    }

    /** Seconds spent applying them (0 for a diff). */
    public double applySeconds() {
        return strategyDetails.getOrDefault("apply_ms", 0L) / 1000.0;
    }

    /** For a sync: every difference was applied. For a diff: nothing differs. */
    public boolean converged() {
        return applied.map(ApplyResult::converged).orElse(inSync());
    }

    public String name() {
        return plan.name();
    }

    public long count(Operation op) {
        return counts.getOrDefault(op, 0L);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean inSync() {
        return total() == 0;
    }
}
