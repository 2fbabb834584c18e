package dev.recon.report;

import dev.recon.config.Operation;
import dev.recon.diff.RowChange;
import dev.recon.plan.SyncPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one mapping in one run: counts of differences by kind, a bounded sample of
 * them, and how long it took. {@code samples} holds at most the requested number per kind.
 */
public record SyncReport(
        SyncPlan plan,
        String strategy,
        Map<Operation, Long> counts,
        List<RowChange> samples,
        Map<String, Long> strategyDetails,
        Duration duration) {

    public SyncReport {
        counts = Map.copyOf(counts);
        samples = List.copyOf(samples);
        strategyDetails = Map.copyOf(strategyDetails);
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
