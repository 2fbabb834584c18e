package dev.recon.report;

import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;

/**
 * The SQL statement that applies one change to a target of an engine (the {@code sql}
 * report), offered through {@code Engine.feature(ChangeStatements.class)}; an engine without
 * one gets a comment instead.
 */
@FunctionalInterface
public interface ChangeStatements {
    String statement(MappingPlan plan, RowChange change);
}
