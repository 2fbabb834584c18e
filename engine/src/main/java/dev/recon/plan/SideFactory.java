package dev.recon.plan;

import dev.recon.base.Side;
import dev.recon.catalog.TableInfo;
import dev.recon.spi.Engine;

/**
 * Makes a {@link SidePlan} of an engine from its table alone (its reads cast the values to the
 * pair's types on its own server), for another engine's {@link PairPlanner} whose pipeline
 * pairs the columns: offered through {@code Engine.feature(SideFactory.class)}.
 */
@FunctionalInterface
public interface SideFactory {
    SidePlan side(Engine engine, Side side, TableInfo table);
}
