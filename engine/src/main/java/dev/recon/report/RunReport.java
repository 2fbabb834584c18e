package dev.recon.report;

import java.util.List;

/**
 * Every mapping of one run, in the order they ran. {@code errors} are the messages of the
 * mappings that ended in an error, {@code erroredSyncs} their names.
 */
public record RunReport(List<SyncReport> syncs, java.time.Duration planTime, List<String> errors,
        List<String> erroredSyncs) {
    public RunReport {
        syncs = List.copyOf(syncs);
        errors = List.copyOf(errors);
        erroredSyncs = List.copyOf(erroredSyncs);
    }

    public RunReport(List<SyncReport> syncs, java.time.Duration planTime, List<String> errors) {
        this(syncs, planTime, errors, List.of());
    }

    public RunReport(List<SyncReport> syncs) {
        this(syncs, java.time.Duration.ZERO, List.of());
    }

    public RunReport(List<SyncReport> syncs, java.time.Duration planTime) {
        this(syncs, planTime, List.of());
    }

    /** Hands the finished report to its writer. */
    public RunReport renderTo(ReportWriter writer) {
        try {
            writer.finish(this);
        } catch (java.io.IOException e) {
            throw new dev.recon.ReconException("cannot write the report: " + e.getMessage(), e);
        }
        return this;
    }

    /** Every mapping ran, and none found a difference. */
    public boolean inSync() {
        return errors.isEmpty() && syncs.stream().allMatch(SyncReport::inSync);
    }

    /** True when this was a sync run (an applied block exists). */
    public boolean applied() {
        return syncs.stream().anyMatch(s -> s.applied().isPresent());
    }

    /** For a sync: every mapping ran and applied every difference. */
    public boolean converged() {
        return errors.isEmpty() && syncs.stream().allMatch(SyncReport::converged);
    }
}
