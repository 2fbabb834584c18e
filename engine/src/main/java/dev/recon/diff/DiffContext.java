package dev.recon.diff;

import dev.recon.base.Progress;
import dev.recon.base.Side;
import dev.recon.db.DatabaseException;
import dev.recon.connect.Databases;
import dev.recon.connect.ReadSnapshot;
import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * What one comparison across two connections works with: the plan, a read snapshot of each
 * side and each side's queries. Opened once per run; closing it ends both snapshots.
 */
public final class DiffContext implements AutoCloseable {
    private final MappingPlan plan;
    private final ReadSnapshot source;
    private final ReadSnapshot target;
    private final SideQuery sourceQuery;
    private final SideQuery targetQuery;
    private boolean succeeded;

    private DiffContext(MappingPlan plan, ReadSnapshot source, ReadSnapshot target) {
        this.plan = plan;
        this.source = source;
        this.target = target;
        this.sourceQuery = new SideQuery(plan, Side.SOURCE);
        this.targetQuery = new SideQuery(plan, Side.TARGET);
    }

    /** Opens a read snapshot on each side (the source first). */
    public static DiffContext open(Databases databases, MappingPlan plan) {
        String label = label(plan);
        ReadSnapshot source = ReadSnapshot.open(databases, plan.sourceConnection(), label, Side.SOURCE);
        try {
            return new DiffContext(plan, source, ReadSnapshot.open(databases, plan.targetConnection(), label,
                    Side.TARGET));
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Opens both snapshots, runs {@code diff} over them and ends them (as idle when it succeeded). */
    public static DiffStats run(Databases databases, MappingPlan plan, java.util.function.Function<DiffContext,
            DiffStats> diff) {
        try (DiffContext ctx = open(databases, plan)) {
            DiffStats stats = diff.apply(ctx);
            ctx.succeeded();
            return stats;
        }
    }

    /** {@code mapping 'orders'}: how messages name the mapping. */
    public static String label(MappingPlan plan) {
        return "mapping '" + plan.name() + "'";
    }

    public MappingPlan plan() {
        return plan;
    }

    public String label() {
        return label(plan);
    }

    public ReadSnapshot snapshot(Side side) {
        return side == Side.SOURCE ? source : target;
    }

    public SideQuery query(Side side) {
        return side == Side.SOURCE ? sourceQuery : targetQuery;
    }

    public ReadSnapshot source() {
        return source;
    }

    public ReadSnapshot target() {
        return target;
    }

    /** About how many rows the two sides hold together (for progress): each engine's own estimate. */
    public long estimatedRows() {
        return estimatedRows(Side.SOURCE) + estimatedRows(Side.TARGET);
    }

    /**
     * About how many rows one side holds: its engine's estimate (0 when it looks empty); for a key
     * range ({@code split_rows}), the range's share of the table's.
     */
    public long estimatedRows(Side which) {
        try {
            long table = Math.max(0, plan.side(which).estimatedRows(snapshot(which).connection()));
            return plan.range().map(r -> table == 0 ? 0 : Math.max(1, table / r.count())).orElse(table);
        } catch (SQLException e) {
            throw new DatabaseException(label() + ": cannot estimate the size of the " + which, e);
        }
    }

    /** Compares every row of both sides in key order (a full merge); returns the rows read. */
    public long mergeAll(Consumer<RowChange> sink, Progress progress) {
        return OrderedMerge.mergeRows(this, plan.sourceSide().ordered(plan), plan.targetSide().ordered(plan), null,
                sink, progress);
    }

    /** The comparison ended normally: both sides' connections are idle and may serve later snapshots. */
    public void succeeded() {
        succeeded = true;
    }

    /**
     * Ends both snapshots. After a failure one side's query may still be running on another
     * thread ({@link Concurrently} returns the first failure at once), so neither connection
     * is kept for later snapshots then.
     */
    @Override
    public void close() {
        try {
            if (succeeded) {
                target.close();
            } else {
                target.discard();
            }
        } finally {
            if (succeeded) {
                source.close();
            } else {
                source.discard();
            }
        }
    }
}
