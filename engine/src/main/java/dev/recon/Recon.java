package dev.recon;

import dev.recon.apply.ChangeSpool;
import dev.recon.config.ConfigLoader;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.MappingConfig;
import dev.recon.config.ReconConfig;
import dev.recon.connect.Databases;
import dev.recon.plan.KeyArguments;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.plan.SchemaExpansion;
import dev.recon.result.ApplyResult;
import dev.recon.result.ChangeListener;
import dev.recon.result.Outcome;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import dev.recon.run.DiffRunner;
import dev.recon.run.KeyRanges;
import dev.recon.run.SyncRunner;
import dev.recon.result.RunRecord;
import dev.recon.state.RunStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The engine's entry point: a validated configuration in, plans and reports out. Holds no
 * connection between calls; each call opens and closes what it needs.
 */
public final class Recon {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Recon.class);
    private ReconConfig config;
    private final Databases databases = new Databases();

    public Recon(ReconConfig config) {
        this.config = config;
    }

    /**
     * Reads a mapping file and expands its schema entries into one mapping per table (reading
     * the catalogs of their connections); every problem of the file is named at once
     * ({@code ConfigException}).
     */
    public static ReconConfig load(Path file) {
        return SchemaExpansion.expand(ConfigLoader.load(file), new Databases());
    }

    /**
     * Deletes this process's spooled changes at once (a second SIGTERM halts the JVM, which runs no
     * shutdown hook).
     */
    /**
     * {@code recon init}: reads two schemas' catalogs and pairs their tables and columns
     * (reads catalogs only); {@link dev.recon.init.MappingFile} writes the result as a file.
     */
    public static dev.recon.init.Survey init(dev.recon.init.InitRequest request) {
        return dev.recon.init.Init.survey(request);
    }

    public static void deleteSpools() {
        ChangeSpool.deleteAll();
    }

    /** How many runs in a row a row must be refused to be called stuck ({@link #refusedRows}). */
    public static final int STUCK_AFTER_RUNS = RunStore.STUCK_AFTER_RUNS;

    /**
     * The SQL the join strategy runs for each of these mappings (all when empty) that compares
     * by join, in the file's order: what a benchmark's floor runs alone.
     */
    public List<String> joinQueries(Collection<String> only) {
        return plan(only, Purpose.DIFF).stream().filter(p -> p.strategy() == dev.recon.config.Strategy.JOIN)
                .map(dev.recon.diff.join.JoinDiff::query).toList();
    }

    /** Checks the mappings as {@code recon validate} does: for a diff only, or for a sync (a writable target too). */
    public List<MappingPlan> validate(Collection<String> only, boolean diffOnly) {
        List<MappingPlan> plans = plan(only, diffOnly ? Purpose.DIFF : Purpose.SYNC);
        List<String> uncut = KeyRanges.problems(plans);
        if (!uncut.isEmpty()) {
            throw new dev.recon.base.PlanException("key ranges cannot be cut as written; nothing was read or written:",
                    uncut);
        }
        // each warning once (what a source role may do beyond reading), in the log on stderr
        plans.stream().flatMap(p -> p.warnings().stream()).distinct().forEach(w -> LOG.warn("{}", w));
        return plans;
    }

    /** The configuration with its schema entries expanded into their tables (read from the catalogs once). */
    private synchronized ReconConfig expanded() {
        config = SchemaExpansion.expand(config, databases);
        return config;
    }

    /** Checks the named mappings (all when empty) against the live tables; reads no rows. */
    public List<MappingPlan> plan(Collection<String> only, Purpose purpose) {
        return new Planner(expanded(), databases).plan(only, purpose);
    }

    /** Compares the mappings of the request; writes nothing to any table. See {@link DiffRunner}. */
    public RunResult diff(DiffRequest request) {
        return closingIdle(() -> {
            long start = System.nanoTime();
            Planner.Planned planned = new Planner(expanded(), databases).planRun(request.mappings(), Purpose.DIFF);
            List<MappingPlan> plans = planned.plans();
            if (!request.keys().isEmpty()) {
                // every mapping's misfit at once
                List<MappingPlan> keyed = new ArrayList<>();
                List<String> problems = new ArrayList<>();
                for (MappingPlan p : plans) {
                    try {
                        keyed.add(p.onlyKeys(KeyArguments.canonical(p, KeyArguments.parse(p, request.keys()),
                                databases)));
                    } catch (dev.recon.base.PlanException e) {
                        problems.addAll(e.problems());
                    }
                }
                if (!problems.isEmpty()) {
                    throw new dev.recon.base.PlanException("--key does not fit the mappings:", problems);
                }
                plans = keyed;
            }
            return cutAndRun(planned, plans, request.ranges(), false, request.jobs(), request.listener(),
                    (cutPlans, listener, jobs) -> new DiffRunner(databases, request.samplesPerKind(),
                            request.progress()).run(cutPlans, Duration.ofNanos(System.nanoTime() - start), listener,
                            jobs));
        });
    }

    /**
     * Applies the differences of the request's mappings to their targets; failed rows are
     * recorded and retried by the next run. See {@link SyncRunner}.
     */
    public RunResult sync(SyncRequest request) {
        // a stop the run outlives by its grace period aborts the run's connections (and only the run's)
        try (dev.recon.connect.RunConnections connections = dev.recon.connect.RunConnections.open()) {
            Runnable deregister = request.stop().onHardStop(connections::abortAll);
            try {
                return syncInScope(request);
            } finally {
                deregister.run();
            }
        }
    }

    private RunResult syncInScope(SyncRequest request) {
        return closingIdle(() -> {
            long start = System.nanoTime();
            ReconConfig expanded = expanded();
            Planner.Planned planned = new Planner(expanded, databases).planRun(request.mappings(), Purpose.SYNC);
            // a table that cannot run is in the history too (one without a target table has no state schema to say it)
            planned.refused().forEach((name, why) -> expanded.mapping(name).ifPresent(m -> runner(request)
                    .recordNotRun(name, expanded.connection(m.target().connection()), m.strategy().label(), why)));
            return cutAndRun(planned, planned.plans(), request.ranges(), true, request.jobs(), request.listener(),
                    (plans, listener, jobs) -> runner(request).run(plans, Duration.ofNanos(System.nanoTime() - start),
                            listener, jobs));
        });
    }

    /**
     * What a sync of the request's mappings would do, writing nothing: the differences, the
     * write plan, and the error of each mapping a real sync would refuse (the delete guard).
     * See {@link SyncRunner#dryRun}.
     */
    public RunResult dryRun(SyncRequest request) {
        return closingIdle(() -> {
            long start = System.nanoTime();
            Planner.Planned planned = new Planner(expanded(), databases).planRun(request.mappings(), Purpose.SYNC);
            return cutAndRun(planned, planned.plans(), request.ranges(), false, request.jobs(), request.listener(),
                    (plans, listener, jobs) -> runner(request).dryRun(plans, Duration.ofNanos(System.nanoTime() - start),
                            listener, jobs));
        });
    }

    /** A runner of cut plans: diff, sync or dry run. */
    private interface CutRun {
        RunResult run(List<MappingPlan> plans, ChangeListener listener, int jobs);
    }

    /**
     * Cuts the mappings with key ranges ({@link KeyRanges}) and runs the plans, up to
     * {@code jobs} at once (or a mapping's threads), with the refused mappings and the cuts that
     * failed among the errors, in the run's order.
     */
    private RunResult cutAndRun(Planner.Planned planned, List<MappingPlan> plans, dev.recon.config.RangeOptions ranges,
            boolean mayStore, int requestedJobs, ChangeListener to, CutRun run) {
        KeyRanges.Cut cut = KeyRanges.cut(plans, planned.order(), databases, config.stateSchema(), ranges, mayStore);
        int jobs = Math.max(requestedJobs, cut.threads());
        InOrder listener = listener(to, jobs);
        return inOrder(listener, () -> run.run(cut.plans(), listener, jobs).withErrors(planned.refused())
                .withErrors(cut.errors()).inOrder(cut.order()), cut.order());
    }

    /** A run, after which the reader connections it kept are closed. */
    private RunResult closingIdle(Supplier<RunResult> run) {
        try {
            return run.get();
        } finally {
            databases.closeIdle();
        }
    }

    private SyncRunner runner(SyncRequest request) {
        return new SyncRunner(databases, config.stateSchema(), request.options(),
                request.progress(), request.stop()).withRecheck(request.recheck());
    }

    /** Mappings run at once hand their changes to one listener in turn. */
    /**
     * With several jobs, each mapping's changes are spooled apart (on disk, {@link ChangeSpool})
     * and handed on in the run's order once it ends ({@link InOrder#replay}), so that a report
     * that lists every row (csv, sql) keeps the mappings' order whatever finishes first.
     */
    private static InOrder listener(ChangeListener listener, int jobs) {
        return new InOrder(listener, jobs > 1);
    }

    /** Runs {@code run} with {@code listener}, replaying what it spooled in {@code order} before the result is returned. */
    private static RunResult inOrder(InOrder listener, Supplier<RunResult> run, List<String> order) {
        try (listener) {
            RunResult result = run.get();
            listener.replay(order);
            return result;
        }
    }

    /** A listener that, when {@code spooled}, holds each mapping's changes until {@link #replay}. */
    private static final class InOrder implements ChangeListener, AutoCloseable {
        private final ChangeListener listener;
        private final boolean spooled;
        private final Map<String, ChangeSpool> spools = new LinkedHashMap<>();
        private final Map<String, MappingPlan> plans = new HashMap<>();

        InOrder(ChangeListener listener, boolean spooled) {
            this.listener = listener;
            this.spooled = spooled;
        }

        @Override
        public void change(MappingPlan plan, RowChange change) {
            if (!spooled) {
                listener.change(plan, change);
                return;
            }
            synchronized (this) {
                plans.putIfAbsent(plan.name(), plan);
                spools.computeIfAbsent(plan.name(), n -> ChangeSpool.whole()).add(change);
            }
        }

        /** Hands the spooled changes on, mapping by mapping in {@code order} (any others after). */
        synchronized void replay(List<String> order) {
            List<String> names = new ArrayList<>(order);
            spools.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
            for (String name : names) {
                ChangeSpool spool = spools.get(name);
                if (spool == null) {
                    continue;
                }
                for (var it = spool.read(); it.hasNext(); ) {
                    listener.change(plans.get(name), it.next());
                }
            }
        }

        @Override
        public synchronized void close() {
            spools.values().forEach(ChangeSpool::close);
        }
    }

    /**
     * The latest {@code perSync} runs of each mapping from the state schema on its target,
     * newest first, by mapping; a mapping without runs (never synced, or no state schema yet)
     * is absent. One query per target connection. A connection whose history cannot be read
     * fails the whole call, as any read does.
     */
    public Map<String, List<RunRecord>> histories(Collection<String> syncs, int perSync) {
        ReconConfig expanded = expanded();
        Map<String, List<String>> byConnection = new LinkedHashMap<>();
        for (String sync : syncs) {
            expanded.mapping(sync).ifPresent(m -> byConnection.computeIfAbsent(m.target().connection(),
                    c -> new ArrayList<>()).add(sync));
        }
        Map<String, List<RunRecord>> out = new LinkedHashMap<>();
        byConnection.forEach((connection, names) -> {
            RunStore store = RunStore.openExisting(databases, config.connection(connection), config.stateSchema());
            if (store != null) {
                store.historyOfEach(names, perSync).forEach(r -> out.computeIfAbsent(r.sync(), n -> new ArrayList<>())
                        .add(r));
            }
        });
        return out;
    }

    /** When a mapping last converged, from the state schema on its target; empty if never or unknown. */
    public Optional<Instant> lastConverged(String sync) {
        try {
            Optional<MappingConfig> mapping = expanded().mapping(sync);
            if (mapping.isEmpty()) {
                return Optional.empty();
            }
            RunStore store = RunStore.openExisting(databases, config.connection(mapping.get().target().connection()),
                    config.stateSchema());
            return store == null ? Optional.empty() : store.lastConverged(sync);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The latest {@code limit} runs of these mappings (by name), newest first, from the state
     * schemas on their targets; each target server is read once, and one without a state
     * schema has no runs.
     */
    public List<RunRecord> history(Collection<String> names, int limit) {
        List<RunRecord> runs = new ArrayList<>();
        for (ConnectionConfig c : targets(names)) {
            RunStore store = RunStore.openExisting(databases, c, config.stateSchema());
            if (store != null) {
                runs.addAll(store.history(names, limit));
            }
        }
        runs.sort(java.util.Comparator.comparing(RunRecord::startedAt).reversed());
        return List.copyOf(runs.subList(0, Math.min(limit, runs.size())));
    }

    /** A row a run's target refused, with how many runs in a row refused it. */
    public record RefusedRow(RunRecord run, ApplyResult.Stuck row) {
    }

    /**
     * The rows the target refused in run {@code run}, or, when it is null, in the latest run of
     * each of these mappings that reached its writes (converged, failed rows or stopped); empty
     * when no run of theirs has that id.
     */
    public Optional<List<RefusedRow>> refusedRows(Collection<String> names, Long run) {
        List<RefusedRow> rows = new ArrayList<>();
        boolean found = run == null;
        for (ConnectionConfig c : targets(names)) {
            RunStore store = RunStore.openExisting(databases, c, config.stateSchema());
            if (store == null) {
                continue;
            }
            Map<String, RunRecord> latest = new LinkedHashMap<>();
            for (RunRecord r : store.history(names, run == null ? 1_000 : Integer.MAX_VALUE)) {
                // the latest run that reached its writes: one that ended in an error first (a lock timeout, a
                // connection lost while comparing) records no refused rows, and would hide those still refused
                if (run != null ? r.id() == run : r.status() == Outcome.CONVERGED || r.status() == Outcome.FAILED_ROWS
                        || r.status() == Outcome.STOPPED) {
                    latest.putIfAbsent(r.sync(), r);
                }
            }
            for (RunRecord r : latest.values()) {
                found = true;
                for (ApplyResult.Stuck st : store.failedInARow(r.sync(), r.id())) {
                    rows.add(new RefusedRow(r, st));
                }
            }
        }
        return found ? Optional.of(List.copyOf(rows)) : Optional.empty();
    }

    /** The target connections of these mappings, one per server and user. */
    private List<ConnectionConfig> targets(Collection<String> names) {
        Map<String, ConnectionConfig> targets = new LinkedHashMap<>();
        for (MappingConfig s : config.mappings()) {
            if (names.contains(s.name())) {
                ConnectionConfig c = config.connection(s.target().connection());
                targets.putIfAbsent(c.url() + "|" + c.user(), c);
            }
        }
        return List.copyOf(targets.values());
    }
}
