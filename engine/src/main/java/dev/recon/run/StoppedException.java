package dev.recon.run;

import dev.recon.base.ReconException;
import dev.recon.result.ApplyResult;
import java.util.List;

/**
 * A sync ended early because a stop was requested. What it committed stays committed and is
 * carried here, so the run history records it; the next run applies the rest.
 */
public final class StoppedException extends ReconException {
    private final long[] planned;
    private final transient ApplyResult committed;

    /** Stopped before writing anything. */
    public StoppedException(String message) {
        this(message, new long[3], new ApplyResult(0, 0, 0, List.of(), List.of()));
    }

    /** Stopped between batches, after committing {@code committed} of the {@code planned} inserts, updates, deletes. */
    public StoppedException(String message, long[] planned, ApplyResult committed) {
        super(message);
        this.planned = planned.clone();
        this.committed = committed;
    }

    long[] planned() {
        return planned.clone();
    }

    ApplyResult committed() {
        return committed;
    }
}
