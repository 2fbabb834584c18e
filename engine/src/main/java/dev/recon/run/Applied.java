package dev.recon.run;

import dev.recon.result.ApplyResult;
import dev.recon.result.MappingResult;
import java.time.Duration;

/** A mapping's diff and what applying it committed; for an initial load the two overlap in time. */
record Applied(MappingResult diffed, ApplyResult result, Duration applyTime) {
}
