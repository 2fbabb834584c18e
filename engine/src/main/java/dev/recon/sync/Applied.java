package dev.recon.sync;

import dev.recon.apply.ApplyResult;
import dev.recon.report.SyncReport;

/** A mapping's diff and what applying it committed; for an initial load the two overlap in time. */
record Applied(SyncReport diffed, ApplyResult result, long applyMillis) {
}
