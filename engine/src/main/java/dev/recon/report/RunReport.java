package dev.recon.report;

import java.util.List;

/** Every mapping of one run, in the order they ran. */
public record RunReport(List<SyncReport> syncs) {
    public RunReport {
        syncs = List.copyOf(syncs);
    }

    public boolean inSync() {
        return syncs.stream().allMatch(SyncReport::inSync);
    }
}
