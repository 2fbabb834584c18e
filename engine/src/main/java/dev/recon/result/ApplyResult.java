package dev.recon.result;

import java.util.List;

/**
 * What a sync committed: rows inserted, updated and deleted ({@code written}, counted by the
 * database, not predicted by the diff), and the rows that failed. {@code stuck} are the failed
 * rows that also failed on the previous runs, with how many runs in a row. {@code notApplied}
 * counts the changes the target accepted without taking them (a trigger that returns NULL, a
 * rule, a row deleted meanwhile): no error, but no row written either, so not converged.
 */
public record ApplyResult(Counts written, List<FailedRow> failed, List<Stuck> stuck, long notApplied) {
    public static final ApplyResult NOTHING = new ApplyResult(Counts.ZERO, List.of(), List.of(), 0);

    public ApplyResult {
        failed = List.copyOf(failed);
        stuck = List.copyOf(stuck);
    }

    public ApplyResult(Counts written, List<FailedRow> failed) {
        this(written, failed, List.of(), 0);
    }

    /** Every change was written: none failed, none was silently left out. */
    public boolean converged() {
        return failed.isEmpty() && notApplied == 0;
    }

    public ApplyResult withStuck(List<Stuck> stuckRows) {
        return new ApplyResult(written, failed, stuckRows, notApplied);
    }

    public ApplyResult withNotApplied(long changes) {
        return new ApplyResult(written, failed, stuck, changes);
    }

    /** A row that failed on {@code runs} consecutive runs, the last with {@code row}'s error. */
    public record Stuck(FailedRow row, int runs) {
    }
}
