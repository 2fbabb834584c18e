package dev.recon.run;

import dev.recon.config.SyncOptions;
import dev.recon.apply.CopyTextLoads;
import dev.recon.apply.RowWriter;
import dev.recon.base.Progress;
import dev.recon.base.StopSignal;
import dev.recon.config.Operation;
import dev.recon.diff.load.EmptyTargetDiff;
import dev.recon.db.DatabaseException;
import dev.recon.connect.Databases;
import dev.recon.db.Session;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ApplyResult;
import dev.recon.result.Counts;
import dev.recon.result.MappingResult;
import dev.recon.result.RowChange;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An initial load: the target is empty (checked under the mapping's lock), so every source
 * row is an insert and there is nothing to delete. The source streams out through COPY
 * and the writer applies batches on its own thread meanwhile; no spool, no comparison.
 * Unthrottled syncs only ({@code --max-rows-per-second} keeps the usual path).
 */
final class InitialLoad {
    private static final Logger LOG = LoggerFactory.getLogger(InitialLoad.class);

    private final Databases databases;
    private final SyncOptions options;
    private final Progress progress;
    private final StopSignal stop;

    InitialLoad(Databases databases, SyncOptions options, Progress progress, StopSignal stop) {
        this.databases = databases;
        this.options = options;
        this.progress = progress;
        this.stop = stop;
    }

    /**
     * True when the sync may insert, is not throttled, has a key and a PostgreSQL source, and the target is empty;
     * call under the mapping's lock, on a session to the target.
     */
    boolean applies(MappingPlan plan, Session target) {
        // a multiset's rows carry their copy number, which is no column: they go the usual way; a target
        // without COPY: its rows go the usual way too (merged against the empty target, batched inserts)
        if (!plan.applies(Operation.INSERT) || options.maxRowsPerSecond() > 0 || plan.multiset()
                || plan.targetSide().engine().feature(CopyTextLoads.class).isEmpty()) {
            return false;
        }
        try {
            return target.test("SELECT NOT EXISTS (SELECT 1 FROM " + plan.targetTable().sqlName() + ")");
        } catch (RuntimeException e) {
            throw DatabaseException.wrap("mapping '" + plan.name() + "': cannot read the target", e);
        }
    }

    /**
     * Loads the empty target; every row read also goes to {@code report}, and each batch's
     * transaction runs {@code counts} before it commits.
     */
    Applied run(MappingPlan plan, Consumer<RowChange> report, RowWriter.CommitHook counts) {
        LOG.info("{} - {} is empty: initial load, streaming the source straight into it", plan.name(),
                plan.targetTable().displayName());
        long start = System.nanoTime();
        long[] read = {0};
        try (Connection connection = databases.writer(plan.targetConnection(), "mapping '" + plan.name() + "'",
                options.statementTimeout())) {
            CopyTextLoads.CopyTextLoad batches = plan.targetSide().engine().feature(CopyTextLoads.class).orElseThrow()
                    .loader(plan, connection, options.batchSize(), options.copyThreshold(), progress::advance, counts);
            progress.start(plan.name() + ": initial load", sourceEstimate(plan));
            try (PipelinedApply pipeline = new PipelinedApply(batches, options.batchSize(), stop, plan.name())) {
                MappingResult diffed;
                byte[][] line = new byte[1][];
                try {
                    diffed = new DiffRunner(databases, options.samplesPerKind(), progress).diffOne(plan,
                            new EmptyTargetDiff(databases, l -> line[0] = l), change -> {
                        if (stop.requested() || !pipeline.add(line[0], change)) {
                            throw new EndOfLoad();
                        }
                        read[0]++;
                        report.accept(change);
                    });
                } catch (EndOfLoad end) {
                    // stopped, or the writer failed: finish() returns what committed, or rethrows the writer's error
                    ApplyResult committed = pipeline.finish();
                    throw new StoppedException("mapping '" + plan.name() + "': stopped (" + stop.reason()
                            + ") during the initial load after committing " + committed.written().inserts()
                            + " inserts of the "
                            + read[0] + " rows read so far; the next run applies the rest",
                            Counts.of(Operation.INSERT, read[0]), committed);
                } catch (RuntimeException e) {
                    pipeline.abandon();
                    throw e;
                }
                ApplyResult result = pipeline.finish();
                return new Applied(diffed, result, Duration.ofNanos(System.nanoTime() - start));
            } finally {
                progress.finish();
            }
        } catch (SQLException e) {
            throw new DatabaseException("mapping '" + plan.name() + "': the target connection failed", e);
        }
    }

    /** The planner's estimate of the source rows, for a progress bar; -1 when unknown or filtered. */
    private long sourceEstimate(MappingPlan plan) {
        if (plan.sourceFilter().isPresent()) {
            return -1;
        }
        try {
            try (Session s = databases.open(plan.sourceConnection(), "mapping '" + plan.name() + "': source")) {
                return plan.sourceSide().estimatedRows(s.connection());
            }
        } catch (RuntimeException | SQLException e) {
            return -1; // only a progress bar depends on it
        }
    }

    /** Ends an initial load's reading early (a stop request, or the writer has ended). */
    private static final class EndOfLoad extends RuntimeException {
        EndOfLoad() {
            super(null, null, false, false);
        }
    }
}
