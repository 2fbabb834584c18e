package dev.recon.plan;

/**
 * How an engine reads one mapped column as the pair's canonical text, when the pair's rules
 * ({@link PairRules}) decide it per column: the engine's {@link PlanTable#side} alone reads it.
 */
public interface ColumnRead {
}
