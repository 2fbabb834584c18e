package dev.recon.result;

import dev.recon.base.ReconException;
import dev.recon.report.ReportWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Every mapping of one run, in the order they ran. {@code errors} are the messages of the
 * mappings that ended in an error, {@code erroredSyncs} their names.
 */
public record RunResult(List<MappingResult> syncs, Duration planTime, List<String> errors,
        List<String> erroredSyncs) {
    public RunResult {
        syncs = List.copyOf(syncs);
        errors = List.copyOf(errors);
        erroredSyncs = List.copyOf(erroredSyncs);
    }

    public RunResult(List<MappingResult> syncs, Duration planTime, List<String> errors) {
        this(syncs, planTime, errors, List.of());
    }

    public RunResult(List<MappingResult> syncs) {
        this(syncs, Duration.ZERO, List.of());
    }

    public RunResult(List<MappingResult> syncs, Duration planTime) {
        this(syncs, planTime, List.of());
    }

    /** Hands the finished report to its writer. */
    public RunResult renderTo(ReportWriter writer) {
        try {
            writer.finish(this);
        } catch (IOException e) {
            throw new ReconException("cannot write the report: " + e.getMessage(), e);
        }
        return this;
    }

    /** Every mapping ran, and none found a difference. */
    public boolean inSync() {
        return errors.isEmpty() && syncs.stream().allMatch(MappingResult::inSync);
    }

    /** True when this was a sync run (an applied block exists). */
    public boolean applied() {
        return syncs.stream().anyMatch(s -> s.applied().isPresent());
    }

    /** For a sync: every mapping ran and applied every difference. */
    public boolean converged() {
        return errors.isEmpty() && syncs.stream().allMatch(MappingResult::converged);
    }
}
