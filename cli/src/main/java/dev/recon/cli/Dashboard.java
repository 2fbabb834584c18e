package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.base.ReconException;
import dev.recon.config.Operation;
import dev.recon.report.DashboardPage;
import dev.recon.report.DashboardPage.Column;
import dev.recon.report.DashboardPage.History;
import dev.recon.report.HtmlPage;
import dev.recon.report.HtmlReport;
import dev.recon.result.ApplyResult;
import dev.recon.result.MappingResult;
import dev.recon.result.Outcome;
import dev.recon.result.RunResult;
import dev.recon.result.RunRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code recon serve}'s dashboard: each mapping's last run as the scheduler holds it, its
 * stuck rows, and its last {@link #HISTORY_RUNS} runs from the state schema, each linking to
 * its kept report. Built on every request; nothing here writes.
 */
final class Dashboard {
    /** Runs of each mapping charted and listed. */
    static final int HISTORY_RUNS = 30;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private Dashboard() {
    }

    static DashboardPage page(Scheduler scheduler, Recon recon, boolean stopping, int kept) {
        ZoneId zone = scheduler.zone();
        String next = scheduler.nextRun() == null || stopping ? "none (stopping)"
                : TIME.format(scheduler.nextRun()) + " " + zone;
        List<DashboardPage.Mapping> rows = new ArrayList<>();
        int n = 0;
        long errors = 0;
        long failing = 0;
        // every mapping's last runs: one query per target connection
        Map<String, List<RunRecord>> histories;
        String historyError = null;
        try {
            histories = recon.histories(scheduler.mappings().keySet(), HISTORY_RUNS);
        } catch (ReconException | IllegalStateException e) {
            histories = Map.of();
            historyError = "the history could not be read: " + e.getMessage();
        }
        for (ScheduledMapping m : scheduler.mappings().values()) {
            RunResult latest;
            Outcome outcome;
            Instant finished;
            Instant started;
            Optional<Instant> converged;
            synchronized (m) {
                latest = m.latest;
                outcome = m.latestOutcome;
                finished = m.finishedAt;
                started = m.startedAt;
                converged = m.lastConverged;
            }
            MappingResult r = latest == null || latest.mappings().isEmpty() ? null : latest.mappings().get(0);
            ApplyResult a = r == null ? null : r.applied().orElse(null);
            String note = historyError;
            List<RunRecord> history = histories.getOrDefault(m.name, List.of());
            if (history.isEmpty() && note == null) {
                note = "no run in the state schema yet";
            }
            List<DashboardPage.Run> runs = new ArrayList<>();
            for (RunRecord h : history) {
                runs.add(new DashboardPage.Run(h.id(), time(h.startedAt(), zone), h.status().label().replace('_', ' '),
                        HtmlReport.css(h.status()), found(h), applied(h), or0(h.failed()),
                        h.finishedAt() == null ? "" : took(Duration.between(h.startedAt(), h.finishedAt())),
                        scheduler.report(m.name, h.id()).isPresent()
                                ? "/runs/" + h.id() + "?sync=" + URLEncoder.encode(m.name, StandardCharsets.UTF_8)
                                : null));
            }
            List<HtmlPage.Failed> stuck = a == null ? List.of() : HtmlReport.stuck(a);
            if (outcome == Outcome.ERROR) {
                errors++;
            } else if (outcome == Outcome.FAILED_ROWS) {
                failing++;
            }
            String error = latest != null && !latest.errors().isEmpty() ? latest.errors().get(0) : null;
            rows.add(new DashboardPage.Mapping(m.name, "m-" + n++, m.running.get(),
                    outcome == null ? "not run since serve started" : outcome.label().replace('_', ' '),
                    outcome == null ? "" : HtmlReport.css(outcome), r == null ? 0 : r.count(Operation.INSERT),
                    r == null ? 0 : r.count(Operation.UPDATE), r == null ? 0 : r.count(Operation.DELETE),
                    a == null ? 0 : a.written().inserts(), a == null ? 0 : a.written().updates(),
                    a == null ? 0 : a.written().deletes(), a == null ? 0 : a.failed().size(),
                    a == null ? 0 : a.stuck().size(),
                    started == null || finished == null || finished.isBefore(started) ? ""
                            : took(Duration.between(started, finished)),
                    finished == null ? "" : time(finished.atZone(zone).toOffsetDateTime(), zone), next,
                    converged.map(t -> time(t.atZone(zone).toOffsetDateTime(), zone)).orElse("never"), error, note,
                    chart(runs), runs, stuck,
                    r == null ? List.of() : r.keyColumns()));
        }
        long stuckRows = rows.stream().mapToLong(DashboardPage.Mapping::stuck).sum();
        StringBuilder status = new StringBuilder(stopping ? "stopping" : "up");
        if (errors > 0) {
            status.append(" · ").append(errors).append(errors == 1 ? " mapping" : " mappings").append(" in error");
        }
        if (failing > 0) {
            status.append(" · ").append(failing).append(failing == 1 ? " mapping" : " mappings")
                    .append(" with failed rows");
        }
        if (stuckRows > 0) {
            status.append(" · ").append(stuckRows).append(stuckRows == 1 ? " row" : " rows").append(" stuck");
        }
        String statusClass = errors > 0 ? "fail" : stopping || failing > 0 ? "diff" : "ok";
        return new DashboardPage(status.toString(), statusClass, scheduler.expression(), next,
                TIME.format(Instant.now().atZone(zone)) + " " + zone, kept, rows);
    }

    /**
     * Bars of the runs, oldest on the left, on a log scale up to the largest count: a bar of n
     * rows is as high as log(1 + n) is of log(1 + max), so a first load of 20,000 rows leaves
     * a later run of 5 a bar a fifth as high, not one pixel. The failed rows sit on top of the
     * applied ones: the two together are as high as their sum.
     */
    static History chart(List<DashboardPage.Run> newestFirst) {
        List<DashboardPage.Run> runs = new ArrayList<>(newestFirst);
        Collections.reverse(runs);
        long max = 1;
        for (DashboardPage.Run r : runs) {
            max = Math.max(max, Math.max(r.differences(), r.applied() + r.failed()));
        }
        List<Column> columns = new ArrayList<>();
        int base = History.BARS + 4;
        int x = 40;
        for (DashboardPage.Run r : runs) {
            int found = height(r.differences(), max);
            int both = height(r.applied() + r.failed(), max);
            int applied = r.failed() == 0 ? both : Math.min(height(r.applied(), max), both - 1);
            int failed = both - applied;
            columns.add(new Column(x, base - found, found, base - applied, applied, base - applied - failed, failed,
                    "run " + r.id() + ", " + r.started() + ": " + r.outcome() + "; " + r.differences()
                            + " differences, " + r.applied() + " applied, " + r.failed() + " failed",
                    r.report()));
            x += History.STEP;
        }
        // a line at each power of ten below the top, where its label does not crowd the top's
        List<DashboardPage.Tick> ticks = new ArrayList<>();
        ticks.add(new DashboardPage.Tick(base - History.BARS, Long.toString(max)));
        for (long p = 1; p < max; p *= 10) {
            int y = base - height(p, max);
            if (y - (base - History.BARS) >= 12) {
                ticks.add(new DashboardPage.Tick(y, Long.toString(p)));
            }
        }
        return new History(Math.max(x + 10, 120), base + 6, max, columns, ticks);
    }

    /** The pixels of a bar of {@code n} rows on the log scale up to {@code max}: at least 1 for one row. */
    static int height(long n, long max) {
        return n == 0 ? 0 : (int) Math.max(1, Math.round(History.BARS * Math.log1p(n) / Math.log1p(max)));
    }

    private static long found(RunRecord h) {
        return or0(h.plannedInsert()) + or0(h.plannedUpdate()) + or0(h.plannedDelete());
    }

    private static long applied(RunRecord h) {
        return or0(h.inserted()) + or0(h.updated()) + or0(h.deleted());
    }

    private static long or0(Long n) {
        return n == null ? 0 : n;
    }

    private static String time(OffsetDateTime t, ZoneId zone) {
        return t == null ? "" : TIME.format(t.atZoneSameInstant(zone));
    }

    private static String took(Duration d) {
        return HtmlReport.millis(d.toMillis());
    }
}
