package dev.recon.plan;

import dev.recon.base.Side;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.Strategy;
import dev.recon.db.Session;
import java.util.List;
import java.util.Optional;

/**
 * An engine's tables in the planner's one pipeline ({@link MappingPipeline}), offered through
 * {@code Engine.feature(PlanTables.class)}: it finds a table a mapping names, and it chooses
 * the strategy of two tables that are both on this engine.
 */
public interface PlanTables {
    /** Reads these tables of one connection at once, before the mappings are checked one by one (optional). */
    default void prefetch(Catalogs catalogs, ConnectionConfig connection, String side, List<String> tables) {
    }

    /** The table {@code written} names, or empty when {@code check} holds the problem. */
    Optional<PlanTable> table(MappingCheck check, Session session, ConnectionConfig connection, Side side,
            String written);

    /** The strategy of a mapping whose two tables are both on this engine (on one server or two). */
    Strategy strategy(MappingCheck check, PlanTable source, PlanTable target,
            List<ColumnMapping> keys);
}
