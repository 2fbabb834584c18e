package dev.recon.plan;

import dev.recon.config.ConnectionConfig;
import dev.recon.spi.Engine;
import java.util.List;
import java.util.Optional;

/**
 * An engine's pipeline of checks for the mappings it takes part in, offered through
 * {@code Engine.feature(PairPlanner.class)}: the {@link Planner} asks the target's engine
 * first, then the source's, and runs the first pipeline that {@link #plans} the pair. A
 * pipeline reads its side's catalog, pairs the columns under its engine's value rules and
 * runs the shared checks of {@link MappingCheck} (which it extends).
 */
public interface PairPlanner {
    /** True when this pipeline checks mappings from a table on {@code source} into one on {@code target}. */
    boolean plans(Engine source, Engine target);

    /** Reads these tables of one connection at once, before the mappings are checked one by one (optional). */
    default void prefetch(Catalogs catalogs, ConnectionConfig connection, String side, List<String> tables) {
    }

    /** Checks one mapping: its plan, or empty when {@code check} holds the problems found. */
    Optional<MappingPlan> plan(MappingCheck check, ConnectionConfig source, ConnectionConfig target);
}
