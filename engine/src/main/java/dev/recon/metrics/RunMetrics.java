package dev.recon.metrics;

import dev.recon.config.Operation;
import dev.recon.result.ApplyResult;
import dev.recon.plan.KeyRange;
import dev.recon.result.MappingResult;
import dev.recon.result.RangeTotals;
import dev.recon.result.RunResult;
import dev.recon.result.StrategyDetails.Figure;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The figures of one finished run as Micrometer gauges, tagged with low-cardinality tags
 * only ({@code sync}, {@code strategy}, {@code operation}, {@code phase}). Gauges, because a
 * scheduled job reports the state of its latest run; the values equal the report's.
 */
public final class RunMetrics {
    private RunMetrics() {
    }

    /**
     * Records every mapping of the run.
     *
     * @param lastConverged when a mapping (by name) last converged, from the state schema; empty if never or unknown
     */
    public static void record(MeterRegistry registry, RunResult report,
            Function<String, Optional<Instant>> lastConverged, Instant finishedAt) {
        record(registry, report, name -> true, lastConverged, finishedAt);
    }

    /** Records the mappings of the run that {@code only} accepts (a push grouped by mapping sends one at a time). */
    public static void record(MeterRegistry registry, RunResult report, Predicate<String> only,
            Function<String, Optional<Instant>> lastConverged, Instant finishedAt) {
        // a mapping cut into key ranges is one mapping here: its ranges added back up, an error in any its error
        java.util.Map<String, java.util.List<MappingResult>> ranged = RangeTotals.byMapping(report);
        java.util.Set<String> done = new java.util.HashSet<>();
        for (MappingResult s : report.mappings()) {
            String name = s.plan().mapping();
            if (only.test(name) && done.add(name)) {
                boolean rangeFailed = ranged.containsKey(name) && report.erroredMappings().stream()
                        .anyMatch(e -> KeyRange.mappingOf(e).equals(name));
                recordSync(registry, report, name, ranged.containsKey(name) ? RangeTotals.sum(ranged.get(name)) : s,
                        rangeFailed, lastConverged, finishedAt);
            }
        }
        for (String errored : report.erroredMappings()) {
            String name = KeyRange.mappingOf(errored);
            if (only.test(name) && done.add(name)) {
                Tags sync = Tags.of("sync", name);
                common(registry, report, sync, finishedAt, true);
                lastConverged.apply(name).ifPresent(t -> recordLastConverged(registry, name, t));
            }
        }
    }

    private static void recordSync(MeterRegistry registry, RunResult report, String name, MappingResult s,
            boolean error, Function<String, Optional<Instant>> lastConverged, Instant finishedAt) {
        Tags sync = Tags.of("sync", name);
        common(registry, report, sync, finishedAt, error);
        for (Operation op : Operation.values()) {
            gauge(registry, "recon.differences", "Rows that differed, by the operation that fixes them",
                    sync.and("strategy", s.strategy()).and("operation", op.label()), () -> s.count(op));
        }
        gauge(registry, "recon.phase.seconds", "Time spent in each phase of the latest run",
                sync.and("phase", "diff"), () -> s.diffTime().toMillis() / 1000.0);
        s.details().get(Figure.ROWS_FETCHED).ifPresent(fetched -> gauge(registry, "recon.rows.fetched",
                "Rows read into recon by the merge or hash strategy", sync, () -> fetched));
        s.details().get(Figure.ROWS_COMPARED).ifPresent(compared -> gauge(registry, "recon.rows.compared",
                "Rows of both sides compared (hash, merge, initial load; the join compares inside the server and"
                        + " does not count them)", sync, () -> compared));
        if (s.applied().isEmpty()) {
            gauge(registry, "recon.in.sync", "1 when the latest diff found no difference", sync,
                    () -> s.inSync() && !error ? 1 : 0);
            return;
        }
        ApplyResult a = s.applied().get();
        gauge(registry, "recon.rows.applied", "Rows the latest sync committed", sync.and("operation", "insert"),
                () -> a.written().inserts());
        gauge(registry, "recon.rows.applied", "Rows the latest sync committed", sync.and("operation", "update"),
                () -> a.written().updates());
        gauge(registry, "recon.rows.applied", "Rows the latest sync committed", sync.and("operation", "delete"),
                () -> a.written().deletes());
        gauge(registry, "recon.rows.failed", "Rows the target refused in the latest sync", sync,
                () -> a.failed().size());
        gauge(registry, "recon.rows.changed.meanwhile", "Changes the latest sync left alone because their target"
                + " row changed after recon read it (compared again by the next run)", sync,
                () -> a.changedMeanwhile());
        gauge(registry, "recon.rows.stuck", "Rows refused on three or more runs in a row", sync,
                () -> a.stuck().size());
        gauge(registry, "recon.phase.seconds", "Time spent in each phase of the latest run",
                sync.and("phase", "apply"), () -> s.applyTime().toMillis() / 1000.0);
        gauge(registry, "recon.converged", "1 when the latest sync applied every difference", sync,
                () -> a.converged() && !error ? 1 : 0);
        lastConverged.apply(name).ifPresent(t -> recordLastConverged(registry, name, t));
    }

    /** What every mapping of the run has, whether it finished or ended in an error. */
    private static void common(MeterRegistry registry, RunResult report, Tags sync, Instant finishedAt,
            boolean error) {
        gauge(registry, "recon.last.run.timestamp.seconds", "When the latest run finished", sync,
                finishedAt::getEpochSecond);
        gauge(registry, "recon.error", "1 when the latest run of this mapping ended in an error (or was stopped)",
                sync, () -> error ? 1 : 0);
        gauge(registry, "recon.phase.seconds", "Time spent in each phase of the latest run",
                sync.and("phase", "plan"), () -> report.planTime().toMillis() / 1000.0);
    }

    /** When {@code sync} last converged, alone (for a mapping that has not run since the process started). */
    public static void recordLastConverged(MeterRegistry registry, String sync, Instant t) {
        gauge(registry, "recon.last.converged.timestamp.seconds",
                "When this mapping last converged (alert on time() minus this)", Tags.of("sync", sync),
                t::getEpochSecond);
    }

    private static void gauge(MeterRegistry registry, String name, String help, Tags tags, Supplier<Number> value) {
        Gauge.builder(name, value).description(help).tags(tags).strongReference(true).register(registry);
    }
}
