package dev.recon.diff;

import java.util.Map;

/**
 * What a strategy did besides finding changes: its name and strategy-specific figures (for
 * hash: segments compared and descended into, rows fetched).
 */
public record DiffStats(String strategy, Map<String, Long> details) {
    public DiffStats {
        details = Map.copyOf(details);
    }
}
