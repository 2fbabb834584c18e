package dev.recon.diff;

import dev.recon.result.StrategyDetails;

/** What a strategy did besides finding changes: its name and its figures. */
public record DiffStats(String strategy, StrategyDetails details) {
}
