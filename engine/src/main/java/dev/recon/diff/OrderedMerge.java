package dev.recon.diff;

import dev.recon.base.Progress;
import dev.recon.db.DatabaseException;
import dev.recon.connect.ReadSnapshot;
import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * What the merge and hash strategies share: one ordered query per side, run at once, and
 * the two result streams merged row by row ({@link RowMerger}).
 */
public final class OrderedMerge {
    private OrderedMerge() {
    }

    /**
     * Runs one ordered query per side (concurrently, each binds {@code params} when given) and
     * merges the results; returns the rows read from both sides.
     */
    public static long mergeRows(DiffContext ctx, String sourceSql, String targetSql, Binder params,
            Consumer<RowChange> sink, Progress progress) {
        MappingPlan plan = ctx.plan();
        ReadSnapshot source = ctx.source();
        ReadSnapshot target = ctx.target();
        String context = ctx.label();
        int nColumns = plan.allColumns().size();
        int nKeys = plan.keys().size();
        Concurrently.Pair<ResultSet, ResultSet> results = Concurrently.both(
                () -> execute(source, sourceSql, params, context),
                () -> execute(target, targetSql, params, context));
        // values only a server can compare (jsonb) are asked of a side whose engine can: the target, or else
        // the source (two sides that cannot have no such values: the planner refuses them)
        RowMerger merger = new RowMerger(plan, !plan.targetSide().engine().comparesJsonValues()
                && plan.sourceSide().engine().comparesJsonValues() ? source.connection() : target.connection(), progress);
        try (ResultSet s = results.left(); ResultSet t = results.right()) {
            // a source value the target's engine has no counterpart for (a zero date) fails the comparison
            Consumer<String[]> sourceCheck = plan.sourceSide().rowCheck(context);
            SideRows sourceRows = new SideRows(s, nColumns, nKeys, merger.order(),
                    context + ": reading the source failed", sourceCheck,
                    plan.sourceSide().readsTextAsUtf8(source.connection()));
            SideRows targetRows = new SideRows(t, nColumns, nKeys, merger.order(),
                    context + ": reading the target failed", null,
                    plan.targetSide().readsTextAsUtf8(target.connection()));
            if (merger.asksServer()) {
                // the merge queries a side's connection between its fetches: one thread keeps them apart
                merger.merge(sourceRows, targetRows, sink);
            } else {
                // each side's rows are fetched and decoded on a thread of their own, a few batches ahead
                try (Prefetched sourceAhead = new Prefetched(sourceRows, "recon-read-source", cancel(s));
                        Prefetched targetAhead = new Prefetched(targetRows, "recon-read-target", cancel(t))) {
                    merger.merge(sourceAhead, targetAhead, sink);
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException(context + ": reading failed", e);
        }
        return merger.rowsRead();
    }

    /** Cancels the statement of {@code rs} (a fetch in flight), for a merge that stops early. */
    private static Runnable cancel(ResultSet rs) {
        return () -> {
            try {
                rs.getStatement().cancel();
            } catch (SQLException e) {
                // the fetch then ends by itself
            }
        };
    }

    private static ResultSet execute(ReadSnapshot side, String sql, Binder params, String context) {
        try {
            PreparedStatement ps = side.connection().prepareStatement(sql);
            ps.setFetchSize(ReadSnapshot.FETCH_SIZE);
            if (params != null) {
                params.bind(ps, side);
            }
            return ps.executeQuery();
        } catch (SQLException e) {
            throw new DatabaseException(context + ": the " + side.side() + " query failed", e);
        }
    }

    /** Binds the parameters of one side's statement. */
    public interface Binder {
        void bind(PreparedStatement ps, ReadSnapshot side) throws SQLException;
    }
}
