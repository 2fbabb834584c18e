package dev.recon.diff;

import dev.recon.pg.DatabaseException;
import dev.recon.pg.Databases;
import dev.recon.plan.SyncPlan;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Cross-server diff: both sides stream every row in the same key order (byte-wise for text)
 * from read-only snapshots, and the engine merge-joins the two streams holding one row per
 * side. Memory stays flat however large the tables.
 */
public final class MergeDiff implements DiffStrategy {
    private final Databases databases;
    private final dev.recon.Progress progress;

    public MergeDiff(Databases databases) {
        this(databases, dev.recon.Progress.NONE);
    }

    public MergeDiff(Databases databases, dev.recon.Progress progress) {
        this.databases = databases;
        this.progress = progress;
    }

    @Override
    public DiffStats diff(SyncPlan plan, Consumer<RowChange> sink) {
        String context = "mapping '" + plan.name() + "'";
        try (ReadSnapshot source = ReadSnapshot.open(databases, plan.sourceConnection(), context, "source");
             ReadSnapshot target = ReadSnapshot.open(databases, plan.targetConnection(), context, "target")) {
            progress.start(plan.name() + ": comparing", HashDiff.estimateRows(source, plan.sourceTable().sqlName())
                    + HashDiff.estimateRows(target, plan.targetTable().sqlName()));
            try {
                long rows = mergeRows(plan, source, target, new SideQuery(plan, SideQuery.Side.SOURCE).ordered(),
                        new SideQuery(plan, SideQuery.Side.TARGET).ordered(), null, sink, progress);
                // every row of both sides was read and compared
                return new DiffStats("merge", Map.of("rows_fetched", rows, "rows_compared", rows));
            } finally {
                progress.finish();
            }
        }
    }

    /**
     * Runs one ordered query per side (concurrently, each binds {@code params} when given) and
     * merges the results; returns the rows read from both sides.
     */
    static long mergeRows(SyncPlan plan, ReadSnapshot source, ReadSnapshot target, String sourceSql,
            String targetSql, Binder params, Consumer<RowChange> sink) {
        return mergeRows(plan, source, target, sourceSql, targetSql, params, sink, dev.recon.Progress.NONE);
    }

    static long mergeRows(SyncPlan plan, ReadSnapshot source, ReadSnapshot target, String sourceSql,
            String targetSql, Binder params, Consumer<RowChange> sink, dev.recon.Progress progress) {
        String context = "mapping '" + plan.name() + "'";
        int nColumns = plan.allColumns().size();
        int nKeys = plan.keys().size();
        Concurrently.Pair<ResultSet, ResultSet> results = Concurrently.both(
                () -> execute(source, sourceSql, params, context),
                () -> execute(target, targetSql, params, context));
        RowMerger merger = new RowMerger(plan, target.connection(), progress);
        try (ResultSet s = results.left(); ResultSet t = results.right()) {
            merger.merge(new SideRows(s, nColumns, nKeys, merger.order(), context + ": reading the source failed"),
                    new SideRows(t, nColumns, nKeys, merger.order(), context + ": reading the target failed"), sink);
        } catch (SQLException e) {
            throw new DatabaseException(context + ": reading failed", e);
        }
        return merger.rowsRead();
    }

    private static ResultSet execute(ReadSnapshot side, String sql, Binder params, String context) {
        try {
            PreparedStatement ps = side.connection().prepareStatement(sql);
            ps.setFetchSize(JoinDiff.FETCH_SIZE);
            if (params != null) {
                params.bind(ps, side);
            }
            return ps.executeQuery();
        } catch (SQLException e) {
            throw new DatabaseException(context + ": the " + side.side() + " query failed", e);
        }
    }

    /** Binds the parameters of one side's statement. */
    interface Binder {
        void bind(PreparedStatement ps, ReadSnapshot side) throws SQLException;
    }
}
