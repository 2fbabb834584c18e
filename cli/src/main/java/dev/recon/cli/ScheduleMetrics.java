package dev.recon.cli;

import dev.recon.metrics.RunMetrics;
import dev.recon.result.Outcome;
import dev.recon.result.RunResult;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** {@code serve}'s {@code /metrics}: each mapping's latest run and the schedule's counters. */
final class ScheduleMetrics {
    private ScheduleMetrics() {
    }

    /** Every mapping's latest run, and the scheduler's own counters, in the Prometheus text format. */
    static String scrape(Scheduler scheduler) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // the meters read these until the scrape returns
        List<AtomicLong> counted = new ArrayList<>();
        for (ScheduledMapping m : scheduler.mappings().values()) {
            RunResult latest;
            Optional<Instant> lastConverged;
            Instant finishedAt;
            Map<Outcome, AtomicLong> outcomes = new EnumMap<>(Outcome.class);
            synchronized (m) {
                latest = m.latest;
                lastConverged = m.lastConverged;
                finishedAt = m.finishedAt;
                m.outcomes.forEach((outcome, count) -> outcomes.put(outcome, new AtomicLong(count.get())));
            }
            if (latest != null) {
                RunMetrics.record(registry, latest, m.name::equals, n -> lastConverged, finishedAt);
            } else {
                lastConverged.ifPresent(t -> RunMetrics.recordLastConverged(registry, m.name, t));
            }
            Tags sync = Tags.of("sync", m.name);
            counted.addAll(outcomes.values());
            outcomes.forEach((outcome, count) -> FunctionCounter.builder("recon.runs", count, AtomicLong::get)
                    .description("Runs started by the schedule, by how they ended")
                    .tags(sync.and("outcome", outcome.label()))
                    .register(registry));
            FunctionCounter.builder("recon.runs.skipped", m.skipped, AtomicLong::get)
                    .description("Scheduled runs skipped because the previous run of the mapping was still going")
                    .tags(sync).register(registry);
            Gauge.builder("recon.run.in.progress", m.running, r -> r.get() ? 1 : 0)
                    .description("1 while a run of this mapping is going").tags(sync).strongReference(true)
                    .register(registry);
        }
        ZonedDateTime next = scheduler.nextRun();
        if (next != null) {
            Gauge.builder("recon.next.run.timestamp.seconds", () -> next.toEpochSecond())
                    .description("When the schedule fires next").strongReference(true).register(registry);
        }
        String text = registry.scrape();
        counted.clear();
        return text;
    }
}
