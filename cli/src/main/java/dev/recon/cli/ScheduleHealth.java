package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.config.Operation;
import dev.recon.result.ApplyResult;
import dev.recon.result.MappingResult;
import dev.recon.result.Outcome;
import dev.recon.result.RunResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code serve}'s {@code /health} and {@code /ready}: the schedule, each mapping's latest
 * outcome and its failed and stuck rows. {@code status} is liveness ({@code up} while it
 * schedules); {@code ready} is false while a mapping's latest run ended in an error or left
 * stuck rows (docs/operating.md).
 */
final class ScheduleHealth {
    private ScheduleHealth() {
    }

    /** Latest outcome per mapping, with liveness and readiness, for {@code /health} and {@code /ready}. */
    static Map<String, Object> of(Scheduler scheduler) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", scheduler.stopping() ? "stopping" : "up");
        out.put("schedule", scheduler.expression());
        out.put("next_run", scheduler.nextRun() == null || scheduler.stopping() ? null
                : scheduler.nextRun().toOffsetDateTime().toString());
        Map<String, Object> syncs = new LinkedHashMap<>();
        List<String> notReady = new ArrayList<>();
        if (scheduler.stopping()) {
            notReady.add("stopping");
        }
        long failed = 0;
        long stuck = 0;
        for (ScheduledMapping m : scheduler.mappings().values()) {
            synchronized (m) {
                Map<String, Object> h = health(m);
                syncs.put(m.name, h);
                failed += (Long) h.get("failed_rows");
                stuck += (Long) h.get("stuck_rows");
                if (m.latestOutcome == Outcome.ERROR) {
                    notReady.add(m.name + ": its latest run ended in an error");
                }
                if ((Long) h.get("stuck_rows") > 0) {
                    notReady.add(m.name + ": " + h.get("stuck_rows") + " stuck rows (refused "
                            + Recon.STUCK_AFTER_RUNS + " or more runs in a row; recon history --sync " + m.name
                            + " --failed)");
                }
            }
        }
        out.put("ready", notReady.isEmpty());
        out.put("not_ready", notReady);
        out.put("failed_rows", failed);
        out.put("stuck_rows", stuck);
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
        Optional<ApplyResult> applied = latest == null ? Optional.empty()
                : latest.mappings().stream().findFirst().flatMap(MappingResult::applied);
        s.put("failed_rows", applied.map(a -> (long) a.failed().size()).orElse(0L));
        s.put("stuck_rows", applied.map(a -> (long) a.stuck().size()).orElse(0L));
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
