package dev.recon.diff.hash;

import dev.recon.base.Side;
import dev.recon.diff.DiffContext;
import dev.recon.diff.KeyOrder;
import dev.recon.diff.SideQuery;
import dev.recon.db.DatabaseException;
import dev.recon.connect.ReadSnapshot;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.result.StrategyDetails.Figure;
import dev.recon.result.StrategyDetails;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the hash strategy cuts a number-typed key range into segments: at boundaries from
 * the planner's histogram of the key ({@link KeyHistogram}) when a side has one, otherwise at
 * quantiles of (a sample of) the larger side. Both sides then use the same boundaries.
 */
public final class SegmentBounds {
    /** Tables smaller than this are read whole to place the boundaries; larger ones are sampled. */
    public static final long SAMPLE_ABOVE_ROWS = 200_000;

    private SegmentBounds() {
    }

    /**
     * The key-range boundaries: from the planner's statistics of the larger side (else the
     * other's) when they hold a histogram of the first key column, else from a sample of the
     * larger side. Records which in {@code stats}.
     */
    static String[] place(DiffContext ctx, Side larger, int segments, long rows, StrategyDetails.Builder stats) {
        Side other = larger == Side.SOURCE ? Side.TARGET : Side.SOURCE;
        List<String> fromStatistics = statisticsBoundaries(ctx, List.of(larger, other), segments);
        stats.put(Figure.BOUNDARIES_FROM_STATISTICS, fromStatistics == null ? 0L : 1L);
        List<String> bounds = fromStatistics != null ? fromStatistics
                : boundaries(ctx.snapshot(larger), ctx.query(larger), segments, rows, ctx.label());
        return bounds.toArray(new String[0]);
    }

    /**
     * Boundaries from the first side (in {@code sides}' order) whose planner statistics have a
     * histogram of the first key column ({@link KeyHistogram}); null when neither has one. The
     * source counts only when its key is a plain column, not an expression.
     */
    private static List<String> statisticsBoundaries(DiffContext ctx, List<Side> sides, int segments) {
        if (segments <= 1) {
            return null;
        }
        MappingPlan plan = ctx.plan();
        ColumnMapping key = plan.keys().get(0);
        for (Side side : sides) {
            String column = ctx.query(side).firstKeyColumn();
            if (column == null) {
                continue;
            }
            var table = side == Side.SOURCE ? plan.sourceTable() : plan.targetTable();
            try {
                var histogram = KeyHistogram.read(ctx.snapshot(side).connection(), table.schema(), table.name(),
                        column);
                if (histogram.isPresent()) {
                    var range = plan.range();
                    if (range.isEmpty()) {
                        return histogram.get().boundaries(segments, KeyOrder.isInteger(key));
                    }
                    // a key range (split_rows): the table's histogram cut as finely as the range needs, and
                    // only the boundaries inside the range kept (the others would cut nothing)
                    java.math.BigDecimal lo = range.get().lo() == null ? null : new java.math.BigDecimal(range.get().lo());
                    java.math.BigDecimal hi = range.get().hi() == null ? null : new java.math.BigDecimal(range.get().hi());
                    int finer = (int) Math.min(HashDiff.MAX_SEGMENTS * 4L, (long) segments * range.get().count());
                    return histogram.get().boundaries(finer, KeyOrder.isInteger(key)).stream().filter(b -> {
                        java.math.BigDecimal v = new java.math.BigDecimal(b);
                        return (lo == null || v.compareTo(lo) > 0) && (hi == null || v.compareTo(hi) < 0);
                    }).toList();
                }
            } catch (SQLException e) {
                throw new DatabaseException(ctx.label() + ": reading the key's statistics on the " + side
                        + " failed", e);
            }
        }
        return null;
    }

    /** Distinct, ordered segment boundaries: quantiles of the first key column over (a sample of) one side. */
    private static List<String> boundaries(ReadSnapshot side, SideQuery query, int segments, long rows,
            String context) {
        if (segments <= 1) {
            return List.of();
        }
        String sample = "";
        if (rows > SAMPLE_ABOVE_ROWS) {
            // Row-level sampling: page-level (SYSTEM) samples come in runs of consecutive keys and
            // make segments of very uneven size. About four sampled rows per segment is enough.
            double percent = Math.min(100.0, 100.0 * segments * 4.0 / rows);
            // a view cannot be TABLESAMPLEd: its rows are drawn as they are read instead
            sample = query.sampleable() ? String.format(Locale.ROOT, "TABLESAMPLE BERNOULLI (%.6f)", percent)
                    : String.format(Locale.ROOT, "WHERE random() < %.8f", percent / 100.0);
        }
        Double[] fractions = new Double[segments - 1];
        for (int i = 1; i < segments; i++) {
            fractions[i - 1] = (double) i / segments;
        }
        try (PreparedStatement ps = side.connection().prepareStatement(query.boundaries(sample))) {
            ps.setArray(1, side.connection().createArrayOf("float8", fractions));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Array arr = rs.getArray(1);
                List<String> out = new ArrayList<>();
                if (arr != null) {
                    for (Object o : (Object[]) arr.getArray()) {
                        String v = Objects.toString(o, null);
                        if (v != null && (out.isEmpty() || !out.get(out.size() - 1).equals(v))) {
                            out.add(v);
                        }
                    }
                }
                return out;
            }
        } catch (SQLException e) {
            throw new DatabaseException(context + ": sampling segment boundaries on the " + side.side() + " failed", e);
        }
    }
}
