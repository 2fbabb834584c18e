package dev.recon.diff;

import dev.recon.base.Progress;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;

/**
 * The strategies an engine runs inside its own servers, offered through
 * {@code Engine.feature(Strategies.class)}; merge and the hash across engines need nothing of
 * an engine beyond its {@code SidePlan}s.
 */
public interface Strategies {
    /** The join of two tables on one server of this engine (the planner chose join only where it can run). */
    DiffStrategy join(Databases databases, MappingPlan plan, Progress progress);

    /** The engine's own hash of two tables both on it (its hash functions on both sides), or null: hash across engines. */
    default DiffStrategy hash(Databases databases) {
        return null;
    }
}
