package dev.recon.cli;

import dev.recon.result.Outcome;
import dev.recon.result.RunResult;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** What {@code serve} keeps of one mapping between its scheduled runs: the latest run, counters, kept reports. */
final class ScheduledMapping {
    /** One run's html report, by its run id in the state schema. */
    record Kept(long runId, String html) {
    }

    final String name;
    final AtomicBoolean running = new AtomicBoolean();
    final AtomicLong skipped = new AtomicLong();
    final Map<Outcome, AtomicLong> outcomes = new EnumMap<>(Outcome.class);
    volatile Instant startedAt;
    volatile Instant finishedAt;
    volatile RunResult latest;
    volatile Outcome latestOutcome;
    volatile Optional<Instant> lastConverged = Optional.empty();
    /** The html reports of the latest runs, oldest first, at most {@code keep}; guarded by this. */
    final Deque<Kept> reports = new ArrayDeque<>();

    ScheduledMapping(String name) {
        this.name = name;
        for (Outcome outcome : List.of(Outcome.CONVERGED, Outcome.FAILED_ROWS, Outcome.ERROR, Outcome.STOPPED)) {
            outcomes.put(outcome, new AtomicLong());
        }
    }
}
