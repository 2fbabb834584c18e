package dev.recon.run;

import dev.recon.base.ReconException;
import dev.recon.result.ApplyResult;
import dev.recon.result.Counts;

/**
 * A sync ended early because a stop was requested. What it committed stays committed and is
 * carried here, so the run history records it; the next run applies the rest.
 */
public final class StoppedException extends ReconException {
    private final Counts planned;
    private final transient ApplyResult committed;

    /** Stopped before writing anything. */
    public StoppedException(String message) {
        this(message, Counts.ZERO, ApplyResult.NOTHING);
    }

    /** Stopped between batches, after committing {@code committed} of the {@code planned} inserts, updates, deletes. */
    public StoppedException(String message, Counts planned, ApplyResult committed) {
        super(message);
        this.planned = planned;
        this.committed = committed;
    }

    Counts planned() {
        return planned;
    }

    ApplyResult committed() {
        return committed;
    }
}
