package dev.recon.plan;

import dev.recon.spi.Engine;
import java.util.Optional;

/**
 * The value rules of a pair of engines: for one mapped source column (or expression) and
 * target column, the type they are compared in and how each side reads its value as that type's
 * canonical text, or a problem that says why the pair cannot be compared exactly. Offered
 * through {@code Engine.feature(PairRules.class)}; the {@link MappingPipeline} asks the
 * target's engine first, then the source's.
 */
public interface PairRules {
    /** True when these rules pair a column of a table on {@code source} with one on {@code target}. */
    boolean pairs(Engine source, Engine target);

    /** One mapped pair, or empty when {@code check} holds the problem. */
    Optional<Paired> pair(MappingCheck check, String section, String sourceWritten, String targetWritten,
            boolean compared, PlanTable source, PlanTable target);

    /**
     * A mapped pair: the plan's column, and each side's read of it (null where that side reads
     * by the {@link ColumnMapping} alone).
     */
    record Paired(ColumnMapping mapping, ColumnRead sourceRead, ColumnRead targetRead) {
    }
}
