package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.SyncRequest;
import dev.recon.base.ReconException;
import dev.recon.base.StopSignal;
import dev.recon.report.HtmlReport;
import dev.recon.result.Outcome;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs each mapping's sync whenever the schedule fires. A mapping whose previous run is
 * still going is skipped for that tick (and counted), never started twice; different
 * mappings run side by side. Keeps each mapping's latest report for {@code /metrics} and
 * {@code /health}. {@link #stop} asks the runs in flight to stop after their batch and
 * waits for them. What it keeps of each mapping is a {@link ScheduledMapping}; {@link ScheduleMetrics}
 * and {@link ScheduleHealth} render it for {@code /metrics} and {@code /health}.
 */
final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** Sample rows per kind in a kept report. */
    static final int REPORT_SAMPLES = 10;

    private final Recon recon;
    private final SyncOptions options;
    private final Schedule schedule;
    private final StopSignal stop;
    private final Map<String, ScheduledMapping> mappings = new LinkedHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "recon-schedule"));
    private final ExecutorService workers;
    private volatile ZonedDateTime nextRun;

    private final int keep;

    Scheduler(Recon recon, List<String> names, SyncOptions options, Schedule schedule, StopSignal stop, int jobs) {
        this(recon, names, options, schedule, stop, jobs, 0);
    }

    /** {@code keep}: html reports kept per mapping for the dashboard (0: none). */
    Scheduler(Recon recon, List<String> names, SyncOptions options, Schedule schedule, StopSignal stop, int jobs,
            int keep) {
        this.recon = recon;
        this.keep = keep;
        this.options = keep > 0 && options.samplesPerKind() == 0 ? options.withSamples(REPORT_SAMPLES) : options;
        this.schedule = schedule;
        this.stop = stop;
        names.forEach(n -> mappings.put(n, new ScheduledMapping(n)));
        workers = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, names.size())),
                r -> daemon(r, "recon-sync"));
        names.forEach(n -> mappings.get(n).lastConverged = recon.lastConverged(n));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts the clock; with {@code now} true, also runs every mapping at once. */
    void start(boolean now) {
        if (now) {
            ticker.execute(this::tick);
        }
        scheduleNext();
    }

    /** True once a stop was asked for (the shutdown). */
    boolean stopping() {
        return stop.requested();
    }

    ZonedDateTime nextRun() {
        return nextRun;
    }

    ZoneId zone() {
        return schedule.zone();
    }

    String expression() {
        return schedule.expression();
    }

    /** Each mapping's state, by name, in the file's order. */
    Map<String, ScheduledMapping> mappings() {
        return mappings;
    }

    /** The kept html report of one mapping's run (run ids are per target database), if it is still kept. */
    Optional<String> report(String sync, long runId) {
        ScheduledMapping m = mappings.get(sync);
        if (m == null) {
            return Optional.empty();
        }
        synchronized (m) {
            return m.reports.stream().filter(k -> k.runId() == runId).map(ScheduledMapping.Kept::html).findFirst();
        }
    }

    /**
     * The time to fire after {@code fired} (null before the first): a tick that runs a moment
     * early (the timer's clock is not the wall clock) must not find its own time again and fire
     * twice, so the next time is after both now and the time just fired.
     */
    static ZonedDateTime following(Schedule schedule, ZonedDateTime now, ZonedDateTime fired) {
        return schedule.next(fired != null && !now.isAfter(fired) ? fired : now);
    }

    private void scheduleNext() {
        if (stop.requested()) {
            return;
        }
        ZonedDateTime now = ZonedDateTime.now(schedule.zone());
        ZonedDateTime next = following(schedule, now, nextRun);
        nextRun = next;
        long delay = Math.max(0, Duration.between(now, next).toMillis());
        ticker.schedule(() -> {
            tick();
            scheduleNext();
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        for (ScheduledMapping m : mappings.values()) {
            if (stop.requested()) {
                return;
            }
            if (!m.running.compareAndSet(false, true)) {
                m.skipped.incrementAndGet();
                try (MDC.MDCCloseable mdc = MDC.putCloseable("sync", m.name)) {
                    LOG.warn("{} - skipped this run: the previous one, started at {}, is still going", m.name,
                            m.startedAt);
                }
                continue;
            }
            workers.execute(() -> run(m));
        }
    }

    /** Raises the runs' time limits. */
    private static final java.util.concurrent.ScheduledExecutorService TIMER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "recon-run-timeout"));

    /** How long one run may take before it is stopped ({@code --run-timeout}); zero: no limit. */
    private java.time.Duration runTimeout = java.time.Duration.ZERO;

    /** Sets {@code --run-timeout}. */
    Scheduler withRunTimeout(java.time.Duration limit) {
        this.runTimeout = limit;
        return this;
    }

    private void run(ScheduledMapping m) {
        try (MDC.MDCCloseable mdc = MDC.putCloseable("sync", m.name)) {
            m.startedAt = Instant.now();
            LOG.info("{} - run started", m.name);
            Instant started = m.startedAt;
            // the run's own stop: the server's, or its time limit, which then frees the mapping's schedule
            StopSignal runStop = stop.child();
            java.util.concurrent.ScheduledFuture<?> limit = runTimeout.isZero() ? null : TIMER.schedule(() -> {
                LOG.error("{} - still running after --run-timeout {}: stopping it", m.name, runTimeout);
                runStop.request("--run-timeout " + runTimeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
            }, runTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            RunResult report;
            try {
                report = recon.sync(SyncRequest.of(List.of(m.name), options).withStop(runStop));
            } finally {
                if (limit != null) {
                    limit.cancel(false);
                }
            }
            ScheduledMapping.Kept kept = keep(report, started);
            // one update as a scrape sees it: never this run's count with the previous run's figures
            synchronized (m) {
                m.latest = report;
                m.latestOutcome = outcome(report, stop);
                m.outcomes.computeIfAbsent(m.latestOutcome, o -> new AtomicLong()).incrementAndGet();
                if (m.latestOutcome == Outcome.CONVERGED) {
                    m.lastConverged = Optional.of(Instant.now());
                }
                if (kept != null) {
                    m.reports.addLast(kept);
                    while (m.reports.size() > keep) {
                        m.reports.removeFirst();
                    }
                }
            }
            report.errors().forEach(e -> LOG.error("{}", e)); // within this mapping's MDC (its "sync" field)
            report.mappings().stream().flatMap(s -> s.applied().stream()).forEach(a -> LOG.info(
                    "{} - run finished: {}; {} inserted, {} updated, {} deleted, {} failed", m.name, m.latestOutcome.label(),
                    a.written().inserts(), a.written().updates(), a.written().deletes(), a.failed().size()));
        } catch (RuntimeException e) {
            // A run that cannot even be planned (a server down, a table gone): logged, counted, retried next tick.
            synchronized (m) {
                // the whole message (a plan's problems are listed below its first line), as the log has it
                m.latest = RunResult.failed(RunResult.Kind.SYNC, m.name,
                        e instanceof ReconException re ? re.describe() : String.valueOf(e.getMessage()));
                m.latestOutcome = Outcome.ERROR;
                m.outcomes.computeIfAbsent(Outcome.ERROR, o -> new AtomicLong()).incrementAndGet();
            }
            LOG.error("{} - {}", m.name, e instanceof ReconException re ? re.describe() : e.toString());
        } finally {
            m.finishedAt = Instant.now();
            m.running.set(false);
        }
    }

    /** The run's html report, when reports are kept and the run has an id in the state schema. */
    private ScheduledMapping.Kept keep(RunResult report, Instant started) {
        Optional<Long> id = report.mappings().stream().flatMap(r -> r.runId().stream()).findFirst();
        if (keep <= 0 || id.isEmpty()) {
            return null;
        }
        try {
            StringWriter html = new StringWriter();
            new HtmlReport(html, started).render(valuesShown ? report : withoutValues(report));
            String page = html.toString();
            if (!valuesShown) {
                page = page.replaceFirst("<body>", "<body><p style=\"padding:8px;border:1px solid #c90\">Row values are"
                        + " hidden: this server is reachable beyond loopback without authentication. Keys and counts"
                        + " are shown; to see values, serve with --web-config naming basic_auth_users (and TLS), or"
                        + " bind to 127.0.0.1 (docs/operating.md, recon serve).</p>");
            }
            return new ScheduledMapping.Kept(id.get(), page);
        } catch (RuntimeException e) {
            // the run itself is done and recorded: a report that cannot be made costs only its link
            LOG.warn("the html report of run {} could not be made: {}", id.get(), e.toString());
            return null;
        }
    }

    /** Whether the kept reports show row values (false: keys and counts only). */
    private boolean valuesShown = true;

    /** Sets whether the kept reports show row values: not to anyone who can reach the port. */
    Scheduler withValuesShown(boolean shown) {
        this.valuesShown = shown;
        return this;
    }

    /** What a value is shown as when values are hidden. */
    static final String HIDDEN = "(hidden)";

    /** The run with every sample's values hidden but its key's. */
    static RunResult withoutValues(RunResult r) {
        List<dev.recon.result.MappingResult> mappings = new java.util.ArrayList<>();
        for (dev.recon.result.MappingResult m : r.mappings()) {
            int keys = m.keyColumns().size();
            java.util.function.Function<dev.recon.result.RowChange, dev.recon.result.RowChange> hide = c ->
                    new dev.recon.result.RowChange(c.operation(), c.key(), hidden(c.source(), keys),
                            hidden(c.target(), keys), c.changed(), c.revive());
            mappings.add(new dev.recon.result.MappingResult(m.plan(), m.strategy(), m.counts(),
                    m.samples().stream().map(hide).toList(), m.details(), m.duration(), m.diffTime(), m.applyTime(),
                    m.applied(), m.runId(), m.writePlan(), new dev.recon.result.UnderRules(m.underRules().rows(),
                    m.underRules().samples().stream().map(hide).toList())));
        }
        return new RunResult(r.kind(), mappings, r.planTime(), r.errors(), r.erroredMappings(), r.order());
    }

    private static List<String> hidden(List<String> values, int keys) {
        List<String> out = new java.util.ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            out.add(i < keys ? values.get(i) : HIDDEN);
        }
        return out;
    }

    private static Outcome outcome(RunResult report, StopSignal stop) {
        // the only stop request in serve is the shutdown, and a run it ends reports it as an error
        return report.outcome() == Outcome.ERROR && stop.requested() ? Outcome.STOPPED : report.outcome();
    }

    /**
     * Stops scheduling, asks the runs in flight to stop after their batch and waits up to
     * {@code grace} for them.
     */
    boolean stop(String why, Duration grace) throws InterruptedException {
        stop.request(why);
        ticker.shutdownNow();
        workers.shutdown();
        return workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
}
