package dev.recon.cli;

import dev.recon.config.Operation;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code serve}'s {@code /health}: the schedule and each mapping's latest outcome. */
final class ScheduleHealth {
    private ScheduleHealth() {
    }

    /** Latest outcome per mapping, for {@code /health}. */
    static Map<String, Object> of(Scheduler scheduler) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", scheduler.stopping() ? "stopping" : "up");
        out.put("schedule", scheduler.expression());
        out.put("next_run", scheduler.nextRun() == null || scheduler.stopping() ? null
                : scheduler.nextRun().toOffsetDateTime().toString());
        Map<String, Object> syncs = new LinkedHashMap<>();
        for (ScheduledMapping m : scheduler.mappings().values()) {
            synchronized (m) {
                syncs.put(m.name, health(m));
            }
        }
        out.put("syncs", syncs);
        return out;
    }

    /** One mapping's part of {@code /health}; call holding the mapping's monitor. */
    private static Map<String, Object> health(ScheduledMapping m) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("running", m.running.get());
        s.put("last_outcome", m.latestOutcome == null ? null : m.latestOutcome.label());
        s.put("last_started", m.startedAt == null ? null : m.startedAt.toString());
        s.put("last_finished", m.finishedAt == null ? null : m.finishedAt.toString());
        s.put("last_converged", m.lastConverged.map(Instant::toString).orElse(null));
        s.put("skipped_runs", m.skipped.get());
        RunResult latest = m.latest;
        if (latest != null && !latest.errors().isEmpty()) {
            s.put("error", latest.errors().get(0));
        }
        if (latest != null) {
            latest.mappings().stream().findFirst().ifPresent((MappingResult r) -> {
                Map<String, Long> counts = new LinkedHashMap<>();
                for (Operation op : Operation.values()) {
                    counts.put(op.label(), r.count(op));
                }
                s.put("differences", counts);
            });
        }
        return s;
    }
}
