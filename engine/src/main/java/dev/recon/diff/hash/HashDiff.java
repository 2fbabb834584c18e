package dev.recon.diff.hash;

import dev.recon.base.Progress;
import dev.recon.base.Side;
import dev.recon.diff.Concurrently;
import dev.recon.diff.DiffContext;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.diff.OrderedMerge;
import dev.recon.diff.SideQuery;
import dev.recon.db.DatabaseException;
import dev.recon.connect.Databases;
import dev.recon.connect.ReadSnapshot;
import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import dev.recon.result.StrategyDetails.Figure;
import dev.recon.result.StrategyDetails;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-server diff whose traffic grows with the differences, not the tables. The key
 * range is cut into segments ({@link SegmentBounds}: from the planner's histogram of the
 * first key column, or sampled quantiles; key-hash buckets for non-numeric keys); each
 * server computes, per segment, a row count and the XOR of 64-bit hashes of its normalised
 * rows (both at once; by index range scans where its rows lie in key order, else by a hash
 * aggregate); only the segments whose summaries differ are read, as key ranges, and merged.
 * When differences are dense (more than {@code maxDifferingRatio} of the segments) it falls
 * back to a full merge, which is then cheaper.
 */
public final class HashDiff implements DiffStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(HashDiff.class);
    /** Rows per segment by default: small segments keep the rows fetched close to the rows that differ. */
    public static final int DEFAULT_ROWS_PER_SEGMENT = 32;
    static final int MAX_SEGMENTS = 200_000;

    private final Databases databases;
    private final int rowsPerSegment;
    private final double maxDifferingRatio;
    private final int maxSuspects;
    private final IndexUse indexUse;

    /** Which indexes on the first key column a diff may use. */
    public enum IndexUse {
        /**
         * The default: where one leads with the key, the second level's range scans use it,
         * and the summary too when the rows lie in key order.
         */
        AUTO,
        /**
         * Tests: the source's summary by index range scans always (even where a scan per
         * segment is slow), the target's never, so that the two forms must agree.
         */
        SOURCE_ONLY,
        /** None: hash-aggregated summaries, and one scan per side for the second level (tests). */
        NONE
    }

    /** At most this many differing keys are held in memory (about 80 MB); beyond, a full merge streams instead. */
    public static final int DEFAULT_MAX_SUSPECTS = 1_000_000;

    /**
     * Tables the planner estimates at most this many rows on either side are compared whole:
     * one summary of each side, and when they differ the (key, row hash) of every row, where
     * placing segments and summing them would cost more round trips than the rows do.
     */
    public static final long DEFAULT_SMALL_TABLE_ROWS = 10_000;

    private final long smallTableRows;

    public HashDiff(Databases databases) {
        this(databases, DEFAULT_ROWS_PER_SEGMENT, 0.5, DEFAULT_MAX_SUSPECTS, IndexUse.AUTO, DEFAULT_SMALL_TABLE_ROWS);
    }

    /** Tests: segments whatever the table's size. */
    public HashDiff(Databases databases, int rowsPerSegment, double maxDifferingRatio, int maxSuspects) {
        this(databases, rowsPerSegment, maxDifferingRatio, maxSuspects, IndexUse.AUTO);
    }

    /** Tests: segments whatever the table's size. */
    public HashDiff(Databases databases, int rowsPerSegment, double maxDifferingRatio, int maxSuspects,
            IndexUse indexUse) {
        this(databases, rowsPerSegment, maxDifferingRatio, maxSuspects, indexUse, 0);
    }

    /** {@code smallTableRows}: tables estimated at most this large are compared whole (0: never). */
    public HashDiff(Databases databases, int rowsPerSegment, double maxDifferingRatio, int maxSuspects,
            IndexUse indexUse, long smallTableRows) {
        this.databases = databases;
        this.rowsPerSegment = rowsPerSegment;
        this.maxDifferingRatio = maxDifferingRatio;
        this.maxSuspects = maxSuspects;
        this.indexUse = indexUse;
        this.smallTableRows = smallTableRows;
    }

    @Override
    public boolean handsOverOnlyDifferences() {
        return true;
    }

    @Override
    public DiffStats diff(MappingPlan plan, Consumer<RowChange> sink) {
        return DiffContext.run(databases, plan, ctx -> diff(ctx, sink));
    }

    /** The segments of one run: key ranges between {@code bounds}, or key-hash buckets under {@code mask}. */
    private record Segments(String[] bounds, long mask) {
        boolean ranges() {
            return bounds != null;
        }

        int size() {
            return ranges() ? bounds.length + 1 : (int) mask + 1;
        }

        /** Range summaries need a boundary: with none, every row is in one segment. */
        boolean bounded() {
            return ranges() && bounds.length > 0;
        }
    }

    /** Which side reads key ranges through an index, and which computes its summary that way too. */
    private record IndexPlan(boolean sourceIndexed, boolean targetIndexed, boolean sourceByIndex,
            boolean targetByIndex) {
        boolean indexed(Side side) {
            return side == Side.SOURCE ? sourceIndexed : targetIndexed;
        }

        boolean byIndex(Side side) {
            return side == Side.SOURCE ? sourceByIndex : targetByIndex;
        }
    }

    private DiffStats diff(DiffContext ctx, Consumer<RowChange> sink) {
        MappingPlan plan = ctx.plan();
        StrategyDetails.Builder stats = StrategyDetails.builder();
        if (!supportsHashing(ctx.source()) || !supportsHashing(ctx.target())) {
            LOG.info("{} - a server is older than PostgreSQL 14 (no bit_xor); comparing by merge", plan.name());
            return mergeInstead(ctx, stats, sink, true);
        }
        long tStart = System.nanoTime();
        long sourceRows = ctx.estimatedRows(Side.SOURCE);
        long targetRows = ctx.estimatedRows(Side.TARGET);
        if (sourceRows == 0 || targetRows == 0) {
            // One side is empty (an initial load): every row differs, summaries would be wasted.
            return mergeInstead(ctx, stats, sink, true);
        }
        if (Math.max(sourceRows, targetRows) <= smallTableRows) {
            return whole(ctx, stats, sink);
        }
        Segments segments = segments(ctx, sourceRows, targetRows, stats);
        ctx.source().allowLargeAggregates(ctx.label());
        ctx.target().allowLargeAggregates(ctx.label());
        long t0 = System.nanoTime();
        LOG.debug("{} - {} boundaries placed in {} ms", plan.name(), segments.ranges() ? segments.bounds().length : 0,
                (t0 - tStart) / 1_000_000);
        IndexPlan indexes = indexes(ctx, segments, stats);
        OrderedMerge.Binder summaryParams = (ps, side) -> {
            if (segments.ranges()) {
                ps.setArray(1, side.connection().createArrayOf("text", segments.bounds()));
            } else {
                ps.setLong(1, segments.mask());
            }
        };
        Concurrently.Pair<Summary, Summary> sums = Concurrently.both(
                () -> summary(ctx, Side.SOURCE, indexes, summaryParams, segments.size()),
                () -> summary(ctx, Side.TARGET, indexes, summaryParams, segments.size()));
        LOG.debug("{} - summaries read in {} ms", plan.name(), (System.nanoTime() - t0) / 1_000_000);
        Summary a = sums.left();
        Summary b = sums.right();
        List<Long> differing = new ArrayList<>();
        long compared = 0;
        long rowsCompared = a.nullCount + b.nullCount;
        for (int seg = 0; seg < segments.size(); seg++) {
            rowsCompared += a.counts[seg] + b.counts[seg];
            if (a.counts[seg] == 0 && b.counts[seg] == 0) {
                continue;
            }
            compared++;
            if (a.counts[seg] != b.counts[seg] || a.xors[seg] != b.xors[seg]) {
                differing.add((long) seg);
            }
        }
        boolean nullKeys = a.nullCount != b.nullCount || a.nullXor != b.nullXor;
        stats.put(Figure.ROWS_COMPARED, rowsCompared);
        stats.put(Figure.SEGMENTS, (long) segments.size());
        stats.put(Figure.SEGMENTS_COMPARED, compared);
        stats.put(Figure.SEGMENTS_DIFFERING, (long) differing.size() + (nullKeys ? 1 : 0));
        if (differing.isEmpty() && !nullKeys) {
            stats.put(Figure.ROWS_FETCHED, 0L);
            return new DiffStats("hash", stats.build());
        }
        boolean oneSegment = segments.ranges() && !segments.bounded();
        if (oneSegment || nullKeys || differing.size() > maxDifferingRatio * Math.max(1, compared)) {
            LOG.info("{} - {} of {} segments differ; comparing by merge", plan.name(), differing.size(), compared);
            return mergeInstead(ctx, stats, sink, false);
        }
        return secondLevel(ctx, segments, indexes, differing, stats, sink);
    }

    /**
     * Second level: (key, row hash) of every row in the differing segments; only keys whose
     * hashes differ (or that one side lacks) are read whole and merged.
     */
    private DiffStats secondLevel(DiffContext ctx, Segments segments, IndexPlan indexes, List<Long> differing,
            StrategyDetails.Builder stats, Consumer<RowChange> sink) {
        long tFetch = System.nanoTime();
        SideQuery sourceQuery = ctx.query(Side.SOURCE);
        SideQuery targetQuery = ctx.query(Side.TARGET);
        String sourceSql;
        String targetSql;
        OrderedMerge.Binder params;
        if (segments.ranges()) {
            String[] bounds = segments.bounds();
            Ranges r = Ranges.of(differing, bounds);
            stats.put(Figure.RANGES_FETCHED, (long) r.lo().length + (r.below() == null ? 0 : 1)
                    + (r.from() == null ? 0 : 1));
            // index range scans where the key is indexed; otherwise one scan that keeps the
            // differing segments' rows (one range join per range would be quadratic)
            sourceSql = indexes.sourceIndexed() ? sourceQuery.rangeRows(sourceQuery.keyHashColumns())
                    : sourceQuery.segmentRows(sourceQuery.keyHashColumns());
            targetSql = indexes.targetIndexed() ? targetQuery.rangeRows(targetQuery.keyHashColumns())
                    : targetQuery.segmentRows(targetQuery.keyHashColumns());
            Integer[] segmentIds = differing.stream().map(Long::intValue).toArray(Integer[]::new);
            params = (ps, side) -> {
                if (indexes.indexed(side.side())) {
                    ps.setArray(1, side.connection().createArrayOf("text", r.lo()));
                    ps.setArray(2, side.connection().createArrayOf("text", r.hi()));
                    ps.setString(3, r.below());
                    ps.setString(4, r.from());
                } else {
                    ps.setArray(1, side.connection().createArrayOf("text", bounds));
                    ps.setArray(2, side.connection().createArrayOf("integer", segmentIds));
                }
            };
        } else {
            Long[] buckets = differing.toArray(new Long[0]);
            sourceSql = sourceQuery.bucketRows(sourceQuery.keyHashColumns());
            targetSql = targetQuery.bucketRows(targetQuery.keyHashColumns());
            params = (ps, side) -> {
                ps.setLong(1, segments.mask());
                ps.setArray(2, side.connection().createArrayOf("bigint", buckets));
            };
        }
        SuspectKeys suspects = SuspectKeys.find(ctx, sourceSql, targetSql, params, maxSuspects);
        if (suspects == null) {
            LOG.info("{} - more than {} rows differ; comparing by merge", ctx.plan().name(), maxSuspects);
            return mergeInstead(ctx, stats, sink, false);
        }
        LOG.debug("{} - {} suspects from {} row hashes in {} ms", ctx.plan().name(), suspects.size(),
                suspects.hashesRead(), (System.nanoTime() - tFetch) / 1_000_000);
        stats.put(Figure.ROW_HASHES_COMPARED, suspects.hashesRead());
        stats.put(Figure.SUSPECT_ROWS, (long) suspects.size());
        long fetched = suspects.mergeRows(ctx, sink);
        stats.put(Figure.ROWS_FETCHED, fetched);
        LOG.debug("{} - {} rows of differing segments fetched and merged in {} ms", ctx.plan().name(), fetched,
                (System.nanoTime() - tFetch) / 1_000_000);
        return new DiffStats("hash", stats.build());
    }

    /**
     * A small table compared whole: one summary of each side (row count and XOR of the row
     * hashes, soft-deleted target rows left out as in segment summaries); when they differ,
     * the (key, row hash) of every row of both sides, in key order, and the rows of the keys
     * whose hashes differ, read whole and merged.
     */
    private DiffStats whole(DiffContext ctx, StrategyDetails.Builder stats, Consumer<RowChange> sink) {
        MappingPlan plan = ctx.plan();
        long t0 = System.nanoTime();
        Concurrently.Pair<long[], long[]> sums = Concurrently.both(() -> wholeSummary(ctx, Side.SOURCE),
                () -> wholeSummary(ctx, Side.TARGET));
        long[] a = sums.left();
        long[] b = sums.right();
        stats.put(Figure.ROWS_COMPARED, a[0] + b[0]);
        stats.put(Figure.SEGMENTS, 1L);
        stats.put(Figure.SEGMENTS_COMPARED, 1L);
        boolean differs = a[0] != b[0] || a[1] != b[1];
        stats.put(Figure.SEGMENTS_DIFFERING, differs ? 1L : 0L);
        LOG.debug("{} - small table summed whole in {} ms", plan.name(), (System.nanoTime() - t0) / 1_000_000);
        if (!differs) {
            stats.put(Figure.ROWS_FETCHED, 0L);
            return new DiffStats("hash", stats.build());
        }
        SideQuery source = ctx.query(Side.SOURCE);
        SideQuery target = ctx.query(Side.TARGET);
        SuspectKeys suspects = SuspectKeys.find(ctx, source.allKeyHashes(), target.allKeyHashes(), (ps, side) -> { },
                maxSuspects);
        if (suspects == null) {
            LOG.info("{} - more than {} rows differ; comparing by merge", plan.name(), maxSuspects);
            return mergeInstead(ctx, stats, sink, false);
        }
        stats.put(Figure.ROW_HASHES_COMPARED, suspects.hashesRead());
        stats.put(Figure.SUSPECT_ROWS, (long) suspects.size());
        stats.put(Figure.ROWS_FETCHED, suspects.mergeRows(ctx, sink));
        LOG.debug("{} - {} suspects from {} row hashes, merged in {} ms", plan.name(), suspects.size(),
                suspects.hashesRead(), (System.nanoTime() - t0) / 1_000_000);
        return new DiffStats("hash", stats.build());
    }

    /** {row count, XOR of row hashes} of one whole side. */
    private static long[] wholeSummary(DiffContext ctx, Side side) throws SQLException {
        try (PreparedStatement ps = ctx.snapshot(side).connection().prepareStatement(ctx.query(side).wholeSummary());
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** Where segment summaries would not pay: every row of both sides compared by merge. */
    static DiffStats mergeInstead(DiffContext ctx, StrategyDetails.Builder stats, Consumer<RowChange> sink,
            boolean countCompared) {
        long rows = ctx.mergeAll(sink, Progress.NONE);
        stats.put(Figure.FALLBACK_TO_MERGE, 1L);
        stats.put(Figure.ROWS_FETCHED, rows);
        if (countCompared) {
            stats.put(Figure.ROWS_COMPARED, rows);
        }
        return new DiffStats("hash", stats.build());
    }

    /** Key ranges from the statistics or a sample of the larger side, or (keys without an order) hash buckets. */
    private Segments segments(DiffContext ctx, long sourceRows, long targetRows, StrategyDetails.Builder stats) {
        long rows = Math.max(sourceRows, targetRows);
        // a key range (split_rows) takes its share of the whole table's segments, as many rows to a segment as
        // the whole table's run would put: the ranges of a table together cost what the table costs
        int ranges = ctx.plan().range().map(r -> r.count()).orElse(1);
        int wanted = (int) Math.max(1, Math.min(MAX_SEGMENTS, rows * ranges / rowsPerSegment) / ranges);
        if (ctx.query(Side.SOURCE).rangeSegments()) {
            Side larger = sourceRows >= targetRows ? Side.SOURCE : Side.TARGET;
            return new Segments(SegmentBounds.place(ctx, larger, wanted, rows, stats), 0);
        }
        return new Segments(null, Long.highestOneBit(Math.max(1, wanted) * 2L - 1) - 1);
    }

    private IndexPlan indexes(DiffContext ctx, Segments segments, StrategyDetails.Builder stats) {
        boolean ranges = segments.ranges();
        boolean sourceIndexed = ranges && indexUse != IndexUse.NONE && keyIndexed(ctx, Side.SOURCE, segments.bounds());
        boolean targetIndexed = ranges && indexUse != IndexUse.NONE && keyIndexed(ctx, Side.TARGET, segments.bounds());
        // the plain summary (width_bucket 0) counts a single segment whatever the statistics said the table held
        boolean sourceByIndex = segments.bounded() && (indexUse == IndexUse.SOURCE_ONLY
                || (indexUse == IndexUse.AUTO && sourceIndexed && keyOrdered(ctx, Side.SOURCE)));
        boolean targetByIndex = segments.bounded() && indexUse == IndexUse.AUTO && targetIndexed
                && keyOrdered(ctx, Side.TARGET);
        stats.put(Figure.SUMMARIES_BY_INDEX, (sourceByIndex ? 1L : 0L) + (targetByIndex ? 1L : 0L));
        if (ranges) {
            stats.put(Figure.SIDES_WITHOUT_KEY_INDEX, (sourceIndexed ? 0L : 1L) + (targetIndexed ? 0L : 1L));
        }
        return new IndexPlan(sourceIndexed, targetIndexed, sourceByIndex, targetByIndex);
    }

    private static boolean supportsHashing(ReadSnapshot side) {
        try {
            return side.connection().getMetaData().getDatabaseMajorVersion() >= 14;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Whether this side's planner serves a narrow range of the first key through an index,
     * asked with {@code EXPLAIN} of such a range (two middle boundaries): the one test that
     * also sees through views, expressions and casts.
     */
    private static boolean keyIndexed(DiffContext ctx, Side which, String[] bounds) {
        SideQuery query = ctx.query(which);
        ReadSnapshot side = ctx.snapshot(which);
        if (bounds.length < 2) {
            return false;
        }
        int mid = bounds.length / 2;
        try (PreparedStatement ps = side.connection().prepareStatement("EXPLAIN " + query.rangeProbe())) {
            ps.setString(1, bounds[mid - 1]);
            ps.setString(2, bounds[mid]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).contains("Index Scan") || rs.getString(1).contains("Index Only Scan")) {
                        return true;
                    }
                }
                return false;
            }
        } catch (SQLException e) {
            throw new DatabaseException(ctx.label() + ": asking the " + side.side() + " how it reads a key range failed",
                    e);
        }
    }

    /**
     * Whether this side's rows lie in key order ({@link KeyHistogram#keyOrdered}), so that an
     * indexed side computes its summary by index range scans ({@link SideQuery#rangeSummary}).
     */
    private static boolean keyOrdered(DiffContext ctx, Side which) {
        var table = which == Side.SOURCE ? ctx.plan().sourceTable() : ctx.plan().targetTable();
        String column = ctx.query(which).firstKeyColumn();
        if (column == null) {
            return false;
        }
        try {
            return KeyHistogram.keyOrdered(ctx.snapshot(which).connection(), table.schema(), table.name(), column);
        } catch (SQLException e) {
            throw new DatabaseException(ctx.label() + ": reading the key's statistics on the " + which + " failed",
                    e);
        }
    }

    /** Per segment id (dense, 0..size-1): row count and XOR of row hashes; rows with a NULL key apart. */
    static final class Summary {
        final long[] counts;
        final long[] xors;
        long nullCount;
        long nullXor;

        Summary(int size) {
            counts = new long[size];
            xors = new long[size];
        }
    }

    private static Summary summary(DiffContext ctx, Side which, IndexPlan indexes, OrderedMerge.Binder params,
            int size) {
        ReadSnapshot side = ctx.snapshot(which);
        SideQuery query = ctx.query(which);
        String sql = indexes.byIndex(which) ? query.rangeSummary() : query.summary();
        Summary out = new Summary(size);
        try (PreparedStatement ps = side.connection().prepareStatement(sql)) {
            params.bind(ps, side);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seg = rs.getLong(1);
                    if (rs.wasNull()) {
                        out.nullCount = rs.getLong(2);
                        out.nullXor = rs.getLong(3);
                    } else {
                        out.counts[(int) seg] = rs.getLong(2);
                        out.xors[(int) seg] = rs.getLong(3);
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException(ctx.label() + ": the " + side.side() + " summary query failed", e);
        }
        return out;
    }
}
