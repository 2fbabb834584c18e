package dev.recon.result;

import dev.recon.base.ReconException;
import dev.recon.plan.MappingPlan;

/**
 * Told of every change as a run finds it, before the run's result exists: the report
 * formats that list every row (csv, sql) write as changes stream past, holding none.
 */
@FunctionalInterface
public interface ChangeListener {
    ChangeListener NONE = (plan, change) -> {
    };

    void change(MappingPlan plan, RowChange change);

    /** A listener could not take a change (its report cannot be written): the run as a whole fails. */
    final class Failure extends ReconException {
        public Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
