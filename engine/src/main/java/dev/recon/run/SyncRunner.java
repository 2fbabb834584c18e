package dev.recon.run;

import dev.recon.config.SyncOptions;
import com.google.common.util.concurrent.RateLimiter;
import dev.recon.apply.Writers;
import dev.recon.spi.Engine;
import dev.recon.apply.RowWriter;
import dev.recon.apply.ChangeSpool;
import dev.recon.base.Progress;
import dev.recon.base.ReconException;
import dev.recon.base.StopSignal;
import dev.recon.config.Operation;
import dev.recon.diff.load.EmptyTargetDiff;
import dev.recon.db.DatabaseException;
import dev.recon.connect.Databases;
import dev.recon.db.LockTimeoutException;
import dev.recon.connect.MappingLock;
import dev.recon.db.Session;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ApplyResult;
import dev.recon.result.ChangeListener;
import dev.recon.result.Counts;
import dev.recon.result.MappingResult;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import dev.recon.result.WritePlan;
import dev.recon.state.RunStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code recon sync} for each plan: takes the mapping's advisory lock, diffs into a
 * spool, checks the delete guard, applies the spool in batches and records the run. Every
 * count in the result comes from what the database committed.
 */
public final class SyncRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRunner.class);
    /** Stuck rows logged one by one; the rest in one line. */
    static final int STUCK_LOGGED = 10;

    private final Databases databases;
    private final String stateSchema;
    private final SyncOptions options;
    private final Progress progress;
    private final StopSignal stop;

    /**
     * @param stop when raised, the sync commits no batch after the one in flight, records the
     *     run as stopped and starts no further mapping
     */
    public SyncRunner(Databases databases, String stateSchema, SyncOptions options, Progress progress,
            StopSignal stop) {
        this.databases = databases;
        this.stateSchema = stateSchema;
        this.options = options;
        this.progress = progress;
        this.stop = stop;
    }

    /** Syncs each plan, telling {@code listener} of every change found; returns the run's result. */
    public RunResult run(List<MappingPlan> plans, Duration planTime, ChangeListener listener, int jobs) {
        return EachMapping.run(RunResult.Kind.SYNC, plans, planTime, jobs, progress, (plan, report) -> {
            if (stop.requested()) {
                throw new StoppedException("mapping '" + plan.name() + "': not started, because a stop was"
                        + " requested (" + stop.reason() + ")");
            }
            report.accept(forMapping(plan).syncOne(plan, listener));
        });
    }

    /** A runner with this mapping's own write settings (where the command line set none). */
    private SyncRunner forMapping(MappingPlan plan) {
        SyncRunner runner = new SyncRunner(databases, stateSchema, options.forMapping(plan.writes()), progress, stop)
                .withRecheck(recheck);
        runner.limiters = limiters;
        return runner;
    }

    /** The write rate limits of the run, one per mapping: the key ranges of a mapping share theirs. */
    private java.util.Map<String, RateLimiter> limiters = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether rows changed meanwhile are compared again at once ({@link dev.recon.SyncRequest#withRecheck}). */
    private boolean recheck;

    public SyncRunner withRecheck(boolean again) {
        this.recheck = again;
        return this;
    }

    /**
     * What a sync would do, writing nothing: each mapping is compared and its changes go to
     * the report, then held to the same guards as a real sync (the delete guard); a mapping a
     * sync would refuse ends in that error. No lock is taken and no run is recorded.
     */
    public RunResult dryRun(List<MappingPlan> plans, Duration planTime, ChangeListener listener, int jobs) {
        return EachMapping.run(RunResult.Kind.DRY_RUN, plans, planTime, jobs, progress, (plan, report) -> {
            MappingResult diffed = new DiffRunner(databases, options.samplesPerKind(), progress).diffOne(plan,
                    change -> listener.change(plan, change));
            // the differences are reported either way; a refusal is the mapping's error besides
            SyncRunner runner = forMapping(plan);
            report.accept(diffed.withWritePlan(runner.writePlan(plan, diffed)));
            runner.checkDeleteGuard(plan, diffed);
        });
    }

    /** What this runner's sync would write of {@code diffed}: rows per operation, batches. */
    private WritePlan writePlan(MappingPlan plan, MappingResult diffed) {
        boolean initialLoad = diffed.count(Operation.INSERT) > 0 && emptyTarget(plan);
        return new WritePlan(initialLoad, diffed.count(Operation.INSERT), diffed.count(Operation.UPDATE),
                diffed.count(Operation.DELETE), initialLoad ? options.batchSize() : writeBatchSize(),
                options.maxRowsPerSecond());
    }

    private boolean emptyTarget(MappingPlan plan) {
        try (Session target = databases.open(plan.targetConnection(), "mapping '" + plan.name() + "': target")) {
            return new InitialLoad(databases, options, progress, stop).applies(plan, target);
        }
    }

    /** A throttled sync writes smaller batches, so the pace is even rather than bursty. */
    private int writeBatchSize() {
        return options.maxRowsPerSecond() > 0
                ? (int) Math.max(1, Math.min(options.batchSize(), options.maxRowsPerSecond())) : options.batchSize();
    }

    /** How many keys of the rows changed meanwhile a run logs. */
    private static final int MEANWHILE_LOGGED = 5;

    private MappingResult syncOne(MappingPlan plan, ChangeListener listener) {
        MappingLock taken;
        long waitStart = System.nanoTime();
        try {
            taken = MappingLock.acquire(databases, plan.targetConnection(), plan.name(), options.lockTimeout());
        } catch (LockTimeoutException e) {
            recordLockTimeout(plan, e, Duration.ofNanos(System.nanoTime() - waitStart));
            throw e;
        }
        return syncOne(plan, listener, taken);
    }

    /**
     * A run that could not take the lock is in the history too, as an error with the reason
     * (a night's run that waited in vain shows in {@code recon history} and the metrics),
     * begun when it began to wait; if even that cannot be written, the error says so beside
     * its own.
     */
    private void recordLockTimeout(MappingPlan plan, LockTimeoutException e, Duration waited) {
        RuntimeException failed = recordError(plan.name(), plan.targetConnection(), plan.strategy().label(),
                e.getMessage(), waited);
        if (failed != null) {
            e.addSuppressed(failed);
        }
    }

    /**
     * A mapping that could not be planned (a schema entry's table that fails its checks) is
     * in the history too, as an error with the reason, on its target's state schema; if even
     * that cannot be written, the run's result already says why the mapping did not run.
     */
    public void recordNotRun(String mapping, dev.recon.config.ConnectionConfig target, String strategy,
            String message) {
        RuntimeException failed = recordError(mapping, target, strategy, message, null);
        if (failed != null) {
            LOG.debug("{} - cannot record the error in the history: {}", mapping, failed.getMessage());
        }
    }

    /** A run that ended in {@code message} before it began, in the history; what failed, or null. */
    private RuntimeException recordError(String mapping, dev.recon.config.ConnectionConfig target, String strategy,
            String message, Duration ago) {
        try (Session session = databases.open(target, "mapping '" + mapping + "': history")) {
            RunStore store = RunStore.open(databases, target, stateSchema, session);
            store.error(store.start(mapping, strategy, ago), message);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private MappingResult syncOne(MappingPlan plan, ChangeListener listener, MappingLock taken) {
        long start = System.nanoTime();
        try (MappingLock lock = taken;
             ChangeSpool spool = new ChangeSpool()) {
            RunStore store = RunStore.open(databases, plan.targetConnection(), stateSchema, lock.session());
            int aborted = store.abortStale(plan.name());
            if (aborted > 0) {
                LOG.warn("{} - {} earlier run(s) ended without finishing (killed?); this run completes their work",
                        plan.name(), aborted);
            }
            InitialLoad initialLoad = new InitialLoad(databases, options, progress, stop);
            boolean load = initialLoad.applies(plan, lock.session());
            // the history records the strategy the run uses: an empty target's initial load whatever the plan says
            long runId = store.start(plan.name(), load ? EmptyTargetDiff.NAME : plan.strategy().label());
            try {
                // each batch adds its rows to the run's history in its own transaction
                RowWriter.CommitHook counts = (c, batch) -> store.addCommitted(c, runId, batch);
                Applied applied = load
                        ? initialLoad.run(plan, change -> listener.change(plan, change), counts)
                        : diffThenApply(plan, listener, spool, store, runId, counts);
                MappingResult diffed = applied.diffed();
                ApplyResult result = applied.result();
                Counts planned = diffed.counts();
                long settled = 0;
                if (recheck && result.changedMeanwhile() > 0 && !plan.multiset() && !stop.requested()) {
                    Rechecked again = recheck(plan, result, counts);
                    result = again.result();
                    settled = again.settled();
                }
                Counts written = result.written();
                long done = written.total() + result.failed().size() + result.changedMeanwhile() + settled;
                long differences = planned.total();
                if (stop.requested() && done < differences) {
                    String message = "stopped (" + stop.reason() + ") after committing " + written.inserts()
                            + " inserts, " + written.updates() + " updates and " + written.deletes() + " deletes of "
                            + differences + " differences; the next run applies the rest";
                    throw new StoppedException("mapping '" + plan.name() + "': " + message, planned, result);
                }
                if (result.changedMeanwhile() > 0) {
                    List<List<String>> keys = result.meanwhileKeys();
                    LOG.warn("{} - {} changes left alone: their rows in {} changed after recon read them (keys {}{});"
                            + " the next run compares them again", plan.name(), result.changedMeanwhile(),
                            plan.targetTable().displayName(), keys.subList(0, Math.min(keys.size(), MEANWHILE_LOGGED))
                                    .stream().map(k -> keyText(plan, k)).toList(),
                            result.changedMeanwhile() > MEANWHILE_LOGGED ? ", ..." : "");
                }
                if (done < differences) {
                    // no error, yet rows not written: a trigger returning NULL, a rule
                    result = result.withNotApplied(differences - done);
                    LOG.warn("{} - {} of {} changes were accepted by {} but not written (a trigger or rule that"
                            + " skips rows?); the next run tries them again", plan.name(), differences - done,
                            differences, plan.targetTable().displayName());
                }
                store.finish(runId, plan.name(), planned, result);
                if (!result.failed().isEmpty()) {
                    // only a row this run refused can be stuck
                    result = result.withStuck(store.stuck(plan.name(), runId));
                }
                List<ApplyResult.Stuck> stuck = result.stuck();
                for (ApplyResult.Stuck st : stuck.subList(0, Math.min(stuck.size(), STUCK_LOGGED))) {
                    // someone has to look at these: the target refuses them night after night
                    LOG.warn("{} - STUCK: {} of key {} refused {} runs in a row: {} [SQLSTATE {}]", plan.name(),
                            st.row().operation().label(), keyText(plan, st.row().key()), st.runs(), st.row().message(),
                            st.row().sqlState());
                }
                if (stuck.size() > STUCK_LOGGED) {
                    LOG.warn("{} - STUCK: {} more rows refused run after run; recon history --sync {} --failed"
                            + " lists them all", plan.name(), stuck.size() - STUCK_LOGGED, plan.name());
                }
                LOG.info("{} - applied {} inserts, {} updates, {} deletes; {} failed", plan.name(), written.inserts(),
                        written.updates(), written.deletes(), result.failed().size());
                return diffed.withApplied(result, runId, Duration.ofNanos(System.nanoTime() - start),
                        applied.applyTime());
            } catch (StoppedException e) {
                recordStopped(store, runId, plan.name(), e);
                throw e;
            } catch (RuntimeException e) {
                if (stop.requested()) {
                    // the stop outlived its grace: the statement in flight was cancelled with its connection
                    StoppedException stopped = new StoppedException("mapping '" + plan.name() + "': stopped ("
                            + stop.reason() + "): the statement in flight did not end within the stop timeout ("
                            + stop.grace().toSeconds() + " s) and was cancelled, its batch rolled back; batches"
                            + " committed before stay, the next run applies the rest", Counts.ZERO,
                            ApplyResult.NOTHING);
                    stopped.addSuppressed(e);
                    record(store, stopped, s -> s.stoppedAsIs(runId, stopped.getMessage()));
                    throw stopped;
                }
                recordError(store, runId, e);
                throw e;
            }
        }
    }

    /** What a recheck left: the run's apply result with the recheck's, and the flagged rows found equal now. */
    private record Rechecked(ApplyResult result, long settled) {
    }

    /**
     * Compares the rows left alone as changed meanwhile again, by their keys on both sides
     * (each strategy reads just those rows), and applies what still differs, guarded as
     * before: a row changed on the source since the first read is written with its newest
     * value. Keys past the first {@link ApplyResult#MEANWHILE_KEPT} wait for the next run.
     */
    private Rechecked recheck(MappingPlan plan, ApplyResult first, RowWriter.CommitHook counts) {
        List<List<String>> keys = first.meanwhileKeys();
        List<Map<String, String>> wanted = new ArrayList<>();
        List<String> names = plan.keys().stream().map(k -> k.targetColumn()).toList();
        for (List<String> key : keys) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), key.get(i));
            }
            wanted.add(m);
        }
        MappingPlan again = plan.onlyKeys(wanted);
        try (ChangeSpool spool = new ChangeSpool()) {
            MappingResult diffed = new DiffRunner(databases, 0, Progress.NONE).diffOne(again, spool::add);
            ApplyResult second = apply(again, spool, counts);
            long settled = keys.size() - diffed.counts().total();
            LOG.info("{} - recheck of {} rows changed meanwhile: {} equal now, {} written, {} changed again", plan.name(),
                    keys.size(), settled, second.written().total(), second.changedMeanwhile());
            long left = first.changedMeanwhile() - keys.size() + second.changedMeanwhile();
            List<List<String>> leftKeys = new ArrayList<>(second.meanwhileKeys());
            ApplyResult merged = new ApplyResult(first.written().plus(second.written()),
                    concat(first.failed(), second.failed()), List.of(), 0, left, leftKeys);
            // rows planned at first but not flagged again: what the recheck planned stands in for the flagged ones
            return new Rechecked(merged, settled);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The usual way: diff everything into the spool, check the delete guard, then apply. */
    private Applied diffThenApply(MappingPlan plan, ChangeListener listener, ChangeSpool spool, RunStore store,
            long runId,
            RowWriter.CommitHook counts) {
        MappingResult diffed = new DiffRunner(databases, options.samplesPerKind(), progress).diffOne(plan, change -> {
            if (stop.requested()) {
                throw new StoppedException("mapping '" + plan.name() + "': stopped (" + stop.reason()
                        + ") while comparing; nothing was written");
            }
            spool.add(change);
            listener.change(plan, change);
        });
        // what is planned goes into the history first (also when the guard refuses); each batch adds what it committed
        store.planned(runId, diffed.counts());
        checkDeleteGuard(plan, diffed);
        long applyStart = System.nanoTime();
        ApplyResult result = apply(plan, spool, counts);
        return new Applied(diffed, result, Duration.ofNanos(System.nanoTime() - applyStart));
    }

    private void checkDeleteGuard(MappingPlan plan, MappingResult diffed) {
        long deletes = diffed.count(Operation.DELETE);
        if (deletes == 0 || options.force()) {
            return;
        }
        long targetRows = countTarget(plan);
        // a key range's guard: a number of rows shared out among the ranges, a percentage of the range's rows
        long allowed = options.maxDeletes().allowed(targetRows, plan.range().map(r -> r.count()).orElse(1));
        if (deletes <= allowed) {
            return;
        }
        String verb = plan.softDelete().isPresent() ? "soft-delete" : "delete";
        if (options.maxDeletes().isStandard() && deletes >= targetRows) {
            String why = diffed.count(Operation.INSERT) > 0 ? (plan.multiset() ? " (no source row equals one of"
                    + " them in every mapped column: are the columns mapped right?)" : " (the source's rows all have"
                    + " other keys: are the key columns mapped right?)") : " (is " + plan.sourceTable().displayName() + " empty, or its filter"
                    + " wrong?)";
            throw new ReconException("mapping '" + plan.name() + "': the sync would " + verb + " every one of the "
                    + targetRows + (plan.softDelete().isPresent() ? " live" : "") + " rows of "
                    + plan.targetTable().displayName() + why + "; nothing was written. If the source really lost"
                    + " them all, run again with --force");
        }
        boolean fromFile = !options.fromCommandLine().contains(SyncOptions.Setting.MAX_DELETES)
                && plan.writes().maxDeletes().isPresent();
        String guard = fromFile ? "the mapping's max_deletes " + options.maxDeletes()
                : options.maxDeletes().isStandard() ? "the default delete guard (10% of the rows or 100 rows"
                + plan.range().map(r -> ", shared out among the " + r.count() + " key ranges").orElse("") + ")"
                : "--max-deletes " + options.maxDeletes() + plan.range().map(r -> " (a number of rows shared out"
                        + " among the " + r.count() + " key ranges)").orElse("");
        throw new ReconException("mapping '" + plan.name() + "': the sync would " + verb + " " + deletes + " of "
                + targetRows + (plan.softDelete().isPresent() ? " live" : "") + " rows of " + plan.targetTable().displayName() + ", more than " + guard
                + " allows (" + allowed + "); nothing was written. If the source really lost these rows, run again"
                + " with --max-deletes " + deletes + " or --force" + (fromFile ? " (or raise max_deletes)" : "")
                + "; if not, check the job that fills " + plan.sourceTable().displayName());
    }

    /** The target's rows a delete could still remove: with soft deletes, those not marked yet. */
    private long countTarget(MappingPlan plan) {
        List<String> conditions = new java.util.ArrayList<>();
        plan.targetFilter().ifPresent(w -> conditions.add("(" + w + ")"));
        plan.softDelete().ifPresent(s -> conditions.add("NOT " + plan.targetSide().isMarked(s)));
        String live = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        try {
            try (Session s = databases.open(plan.targetConnection(), "mapping '" + plan.name() + "': target")) {
                return s.one("SELECT count(*) FROM " + plan.targetSide().sqlName() + live, rs -> rs.getLong(1));
            }
        } catch (RuntimeException e) {
            throw DatabaseException.wrap("mapping '" + plan.name() + "': cannot count the target rows", e);
        }
    }

    private ApplyResult apply(MappingPlan plan, ChangeSpool spool, RowWriter.CommitHook counts) {
        if (spool.size() == 0) {
            return ApplyResult.NOTHING;
        }
        try (Connection connection = databases.writer(plan.targetConnection(), "mapping '" + plan.name() + "'",
                options.statementTimeout())) {
            int batch = writeBatchSize();
            // max_rows_per_second bounds the mapping's writes: its key ranges, written at once, share one limit
            RateLimiter throttle = options.maxRowsPerSecond() <= 0 ? null : plan.range().isEmpty()
                    ? RateLimiter.create(options.maxRowsPerSecond())
                    : limiters.computeIfAbsent(plan.mapping(), m -> RateLimiter.create(options.maxRowsPerSecond()));
            Engine engine = plan.targetSide().engine();
            RowWriter writer = engine.feature(Writers.class).orElseThrow(() -> new ReconException("mapping '"
                    + plan.name() + "': recon writes no " + engine.label() + " table yet; use recon diff"))
                    .writer(plan, connection, batch, options.copyThreshold(), progress::advance, throttle, counts);
            progress.start(plan.name() + ": applying", spool.size());
            try {
                for (Iterator<RowChange> it = spool.read(); it.hasNext(); ) {
                    if (stop.requested()) {
                        // Every batch sent so far has committed; the rows still buffered wait for the next run.
                        return writer.committed();
                    }
                    writer.accept(it.next());
                }
                return writer.finish();
            } finally {
                progress.finish();
            }
        } catch (SQLException e) {
            throw new DatabaseException("mapping '" + plan.name() + "': the target connection failed", e);
        } catch (RuntimeException e) {
            throw DatabaseException.wrap("mapping '" + plan.name() + "': writing to "
                    + plan.targetTable().displayName() + " failed", e);
        }
    }

    private static void recordStopped(RunStore store, long runId, String sync, StoppedException e) {
        record(store, e, s -> s.stopped(runId, sync, e.planned(), e.committed(), e.getMessage()));
    }

    /** Tries to record a run's end this many times on a new connection when the run's own session is gone. */
    private static final int RECORD_TRIES = 3;
    private static final long RECORD_PAUSE_MS = 2_000;

    /** True when {@code e} came of a socket timeout: a server that stopped answering ({@code stall_timeout}). */
    private static boolean stalled(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static void recordError(RunStore store, long runId, RuntimeException e) {
        // its counts are already there: each batch added its own as it committed
        record(store, e, s -> s.error(runId, e.getMessage()));
    }

    /**
     * Records how a run ended, on the run's session, or, when that session went with the error
     * (a target restart, a cut connection), on a new one, a few times over a few seconds: the
     * history keeps the cause, and {@code aborted} stays for processes that died.
     */
    private static void record(RunStore store, RuntimeException e, java.util.function.Consumer<RunStore> write) {
        try {
            write.accept(store);
            return;
        } catch (RuntimeException first) {
            LOG.debug("cannot record the run's end on its session ({}); trying a new connection", first.getMessage());
        }
        if (stalled(e)) {
            // a server that stopped answering would hold a new connection's login too: the exit stays bounded
            LOG.warn("cannot record the run's error in the history: its server stopped answering; the next run will"
                    + " mark the run aborted");
            return;
        }
        RunStore detached = store.detached();
        for (int i = 1; i <= RECORD_TRIES; i++) {
            try {
                write.accept(detached);
                return;
            } catch (RuntimeException again) {
                if (i == RECORD_TRIES) {
                    e.addSuppressed(again);
                    LOG.warn("cannot record the run's error in the history ({}); the next run will mark it aborted",
                            again.getMessage());
                    return;
                }
                try {
                    Thread.sleep(RECORD_PAUSE_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** A key as every report prints it: {@code a=1 b=x}. */
    private static String keyText(MappingPlan plan, List<String> key) {
        return dev.recon.base.Shown.key(plan.keys().stream().map(k -> k.targetColumn()).toList(), key);
    }
}
