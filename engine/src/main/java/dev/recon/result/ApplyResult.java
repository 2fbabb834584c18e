package dev.recon.result;

import java.util.List;

/**
 * What a sync committed: rows inserted, updated and deleted ({@code written}, counted by the
 * database, not predicted by the diff), and the rows that failed. {@code stuck} are the failed
 * rows that also failed on the previous runs, with how many runs in a row. {@code notApplied}
 * counts the changes the target accepted without taking them (a trigger that returns NULL, a
 * rule): no error, but no row written either, so not converged. {@code changedMeanwhile}
 * counts the changes left alone because the target row no longer held what recon compared (it
 * was updated, deleted or inserted by someone else after recon read it), and
 * {@code meanwhileKeys} holds the first {@link #MEANWHILE_KEPT} of their keys: not converged
 * either, the next run (or {@code --recheck}) compares them again.
 */
public record ApplyResult(Counts written, List<FailedRow> failed, List<Stuck> stuck, long notApplied,
        long changedMeanwhile, List<List<String>> meanwhileKeys) {
    public static final ApplyResult NOTHING = new ApplyResult(Counts.ZERO, List.of(), List.of(), 0, 0, List.of());
    /** How many keys of rows changed meanwhile a result keeps (for the log and a recheck). */
    public static final int MEANWHILE_KEPT = 1_000;

    public ApplyResult {
        failed = List.copyOf(failed);
        stuck = List.copyOf(stuck);
        meanwhileKeys = List.copyOf(meanwhileKeys);
    }

    public ApplyResult(Counts written, List<FailedRow> failed) {
        this(written, failed, List.of(), 0, 0, List.of());
    }

    /** Every change was written: none failed, none was silently left out, none met a row changed meanwhile. */
    public boolean converged() {
        return failed.isEmpty() && notApplied == 0 && changedMeanwhile == 0;
    }

    public ApplyResult withStuck(List<Stuck> stuckRows) {
        return new ApplyResult(written, failed, stuckRows, notApplied, changedMeanwhile, meanwhileKeys);
    }

    public ApplyResult withNotApplied(long changes) {
        return new ApplyResult(written, failed, stuck, changes, changedMeanwhile, meanwhileKeys);
    }

    public ApplyResult withMeanwhile(long rows, List<List<String>> keys) {
        return new ApplyResult(written, failed, stuck, notApplied, rows, keys);
    }

    /** A row that failed on {@code runs} consecutive runs, the last with {@code row}'s error. */
    public record Stuck(FailedRow row, int runs) {
    }
}
