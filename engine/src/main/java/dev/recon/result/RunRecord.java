package dev.recon.result;

import dev.recon.result.Outcome;
import java.time.OffsetDateTime;

/** One past run of one mapping, as the state schema keeps it. */
public record RunRecord(
        long id,
        String sync,
        OffsetDateTime startedAt,
        OffsetDateTime finishedAt,
        Outcome status,
        String strategy,
        Long plannedInsert,
        Long plannedUpdate,
        Long plannedDelete,
        Long inserted,
        Long updated,
        Long deleted,
        Long failed,
        Long changedMeanwhile,
        String error) {
}
