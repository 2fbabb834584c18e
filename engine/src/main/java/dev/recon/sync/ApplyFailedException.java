package dev.recon.sync;

import dev.recon.ReconException;
import dev.recon.apply.ApplyResult;

/**
 * Writing ended in an error after some batches had committed: the error, with what was
 * planned and what committed before it, so the run's history counts them.
 */
final class ApplyFailedException extends ReconException {
    private final long[] planned;
    private final transient ApplyResult committed;

    ApplyFailedException(RuntimeException cause, long[] planned, ApplyResult committed) {
        super(cause.getMessage(), cause);
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
