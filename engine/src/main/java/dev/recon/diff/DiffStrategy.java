package dev.recon.diff;

import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import java.util.function.Consumer;

/** Turns a plan into the stream of rows that differ. All strategies return the same changes. */
public interface DiffStrategy {
    /** Streams every change to {@code sink}, in no particular order, without holding them in memory. */
    DiffStats diff(MappingPlan plan, Consumer<RowChange> sink);

    /**
     * True when the strategy works inside the servers and hands over only the differences (a
     * progress bar then counts those, with no total); false when it reads every row itself.
     */
    default boolean handsOverOnlyDifferences() {
        return false;
    }
}
