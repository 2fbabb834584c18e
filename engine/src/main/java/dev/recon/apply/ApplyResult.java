package dev.recon.apply;

import java.util.List;

/**
 * What a sync committed: rows inserted, updated and deleted (counted by the database, not
 * predicted by the diff), and the rows that failed. {@code stuck} are the failed rows that
 * also failed on the previous runs, with how many runs in a row.
 */
public record ApplyResult(long inserted, long updated, long deleted, List<FailedRow> failed, List<Stuck> stuck) {
    public ApplyResult {
        failed = List.copyOf(failed);
        stuck = List.copyOf(stuck);
    }

    public boolean converged() {
        return failed.isEmpty();
    }

    public ApplyResult withStuck(List<Stuck> stuckRows) {
        return new ApplyResult(inserted, updated, deleted, failed, stuckRows);
    }

    /** A row that failed on {@code runs} consecutive runs, the last with {@code row}'s error. */
    public record Stuck(FailedRow row, int runs) {
    }
}
