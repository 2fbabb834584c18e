package dev.recon.diff.hash;

import dev.recon.catalog.Catalog;
import dev.recon.diff.Concurrently;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.diff.OrderedMerge;
import dev.recon.diff.SideQuery;
import dev.recon.pg.DatabaseException;
import dev.recon.pg.Databases;
import dev.recon.pg.ReadSnapshot;
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

    public HashDiff(Databases databases) {
        this(databases, DEFAULT_ROWS_PER_SEGMENT, 0.5, DEFAULT_MAX_SUSPECTS);
    }

    public HashDiff(Databases databases, int rowsPerSegment, double maxDifferingRatio, int maxSuspects) {
        this(databases, rowsPerSegment, maxDifferingRatio, maxSuspects, IndexUse.AUTO);
    }

    public HashDiff(Databases databases, int rowsPerSegment, double maxDifferingRatio, int maxSuspects,
            IndexUse indexUse) {
        this.databases = databases;
        this.rowsPerSegment = rowsPerSegment;
        this.maxDifferingRatio = maxDifferingRatio;
        this.maxSuspects = maxSuspects;
        this.indexUse = indexUse;
    }

    @Override
    public DiffStats diff(MappingPlan plan, Consumer<RowChange> sink) {
        String context = "mapping '" + plan.name() + "'";
        SideQuery sourceQuery = new SideQuery(plan, SideQuery.Side.SOURCE);
        SideQuery targetQuery = new SideQuery(plan, SideQuery.Side.TARGET);
        try (ReadSnapshot source = ReadSnapshot.open(databases, plan.sourceConnection(), context, "source");
             ReadSnapshot target = ReadSnapshot.open(databases, plan.targetConnection(), context, "target")) {
            StrategyDetails.Builder stats = StrategyDetails.builder();
            if (!supportsHashing(source) || !supportsHashing(target)) {
                LOG.info("{} - a server is older than PostgreSQL 14 (no bit_xor); comparing by merge", plan.name());
                stats.put(Figure.FALLBACK_TO_MERGE, 1L);
                stats.put(Figure.ROWS_FETCHED, fullMerge(plan, source, target, sink));
                stats.put(Figure.ROWS_COMPARED, stats.get(Figure.ROWS_FETCHED));
                return new DiffStats("hash", stats.build());
            }
            long tStart = System.nanoTime();
            long sourceRows = Catalog.estimateRows(source, plan.sourceTable().sqlName());
            long targetRows = Catalog.estimateRows(target, plan.targetTable().sqlName());
            if (sourceRows == 0 || targetRows == 0) {
                // One side is empty (an initial load): every row differs, summaries would be wasted.
                stats.put(Figure.FALLBACK_TO_MERGE, 1L);
                stats.put(Figure.ROWS_FETCHED, fullMerge(plan, source, target, sink));
                stats.put(Figure.ROWS_COMPARED, stats.get(Figure.ROWS_FETCHED));
                return new DiffStats("hash", stats.build());
            }
            boolean sourceLarger = sourceRows >= targetRows;
            long rows = Math.max(sourceRows, targetRows);
            int wanted = (int) Math.max(1, Math.min(MAX_SEGMENTS, rows / rowsPerSegment));
            boolean ranges = sourceQuery.rangeSegments();
            String[] bounds = ranges ? SegmentBounds.place(plan, source, target, sourceLarger, wanted, rows, stats,
                    context) : null;
            long mask = ranges ? 0 : Long.highestOneBit(Math.max(1, wanted) * 2L - 1) - 1;
            source.allowLargeAggregates(context);
            target.allowLargeAggregates(context);
            long t0 = System.nanoTime();
            LOG.debug("{} - {} boundaries placed in {} ms", plan.name(), ranges ? bounds.length : 0,
                    (t0 - tStart) / 1_000_000);
            OrderedMerge.Binder summaryParams = (ps, side) -> {
                if (ranges) {
                    ps.setArray(1, side.connection().createArrayOf("text", bounds));
                } else {
                    ps.setLong(1, mask);
                }
            };
            int size = ranges ? bounds.length + 1 : (int) mask + 1;
            boolean sourceIndexed = ranges && indexUse != IndexUse.NONE && keyIndexed(sourceQuery, source, bounds, context);
            boolean targetIndexed = ranges && indexUse != IndexUse.NONE && keyIndexed(targetQuery, target, bounds, context);
            // range summaries need a boundary: with none, every row is in one segment, which the
            // plain summary (width_bucket 0) counts whatever the statistics said the table held
            boolean bounded = ranges && bounds.length > 0;
            boolean sourceByIndex = bounded && (indexUse == IndexUse.SOURCE_ONLY
                    || (indexUse == IndexUse.AUTO && sourceIndexed && keyOrdered(plan, source, true, context)));
            boolean targetByIndex = bounded && indexUse == IndexUse.AUTO && targetIndexed
                    && keyOrdered(plan, target, false, context);
            stats.put(Figure.SUMMARIES_BY_INDEX, (sourceByIndex ? 1L : 0L) + (targetByIndex ? 1L : 0L));
            if (ranges) {
                stats.put(Figure.SIDES_WITHOUT_KEY_INDEX, (sourceIndexed ? 0L : 1L) + (targetIndexed ? 0L : 1L));
            }
            Concurrently.Pair<Summary, Summary> sums = Concurrently.both(
                    () -> summary(source, sourceByIndex ? sourceQuery.rangeSummary() : sourceQuery.summary(),
                            summaryParams, size, context),
                    () -> summary(target, targetByIndex ? targetQuery.rangeSummary() : targetQuery.summary(),
                            summaryParams, size, context));
            LOG.debug("{} - summaries read in {} ms", plan.name(), (System.nanoTime() - t0) / 1_000_000);
            List<Long> differing = new ArrayList<>();
            long compared = 0;
            Summary a = sums.left();
            Summary b = sums.right();
            for (int seg = 0; seg < size; seg++) {
                if (a.counts[seg] == 0 && b.counts[seg] == 0) {
                    continue;
                }
                compared++;
                if (a.counts[seg] != b.counts[seg] || a.xors[seg] != b.xors[seg]) {
                    differing.add((long) seg);
                }
            }
            boolean nullKeys = a.nullCount != b.nullCount || a.nullXor != b.nullXor;
            long rowsCompared = a.nullCount + b.nullCount;
            for (int seg = 0; seg < size; seg++) {
                rowsCompared += a.counts[seg] + b.counts[seg];
            }
            stats.put(Figure.ROWS_COMPARED, rowsCompared);
            stats.put(Figure.SEGMENTS, (long) size);
            stats.put(Figure.SEGMENTS_COMPARED, compared);
            stats.put(Figure.SEGMENTS_DIFFERING, (long) differing.size() + (nullKeys ? 1 : 0));
            if (differing.isEmpty() && !nullKeys) {
                stats.put(Figure.ROWS_FETCHED, 0L);
                return new DiffStats("hash", stats.build());
            }
            boolean oneSegment = ranges && bounds.length == 0;
            if (oneSegment || nullKeys || differing.size() > maxDifferingRatio * Math.max(1, compared)) {
                LOG.info("{} - {} of {} segments differ; comparing by merge", plan.name(), differing.size(), compared);
                stats.put(Figure.FALLBACK_TO_MERGE, 1L);
                stats.put(Figure.ROWS_FETCHED, fullMerge(plan, source, target, sink));
                return new DiffStats("hash", stats.build());
            }
            long tFetch = System.nanoTime();
            String sourceSql;
            String targetSql;
            OrderedMerge.Binder params;
            if (ranges) {
                Ranges r = Ranges.of(differing, bounds);
                stats.put(Figure.RANGES_FETCHED, (long) r.lo().length + (r.below() == null ? 0 : 1)
                        + (r.from() == null ? 0 : 1));
                // index range scans where the key is indexed; otherwise one scan that keeps the
                // differing segments' rows (one range join per range would be quadratic)
                sourceSql = sourceIndexed ? sourceQuery.rangeRows(sourceQuery.keyHashColumns())
                        : sourceQuery.segmentRows(sourceQuery.keyHashColumns());
                targetSql = targetIndexed ? targetQuery.rangeRows(targetQuery.keyHashColumns())
                        : targetQuery.segmentRows(targetQuery.keyHashColumns());
                Integer[] segments = differing.stream().map(Long::intValue).toArray(Integer[]::new);
                params = (ps, side) -> {
                    if (side == source ? sourceIndexed : targetIndexed) {
                        ps.setArray(1, side.connection().createArrayOf("text", r.lo()));
                        ps.setArray(2, side.connection().createArrayOf("text", r.hi()));
                        ps.setString(3, r.below());
                        ps.setString(4, r.from());
                    } else {
                        ps.setArray(1, side.connection().createArrayOf("text", bounds));
                        ps.setArray(2, side.connection().createArrayOf("integer", segments));
                    }
                };
            } else {
                Long[] buckets = differing.toArray(new Long[0]);
                sourceSql = sourceQuery.bucketRows(sourceQuery.keyHashColumns());
                targetSql = targetQuery.bucketRows(targetQuery.keyHashColumns());
                params = (ps, side) -> {
                    ps.setLong(1, mask);
                    ps.setArray(2, side.connection().createArrayOf("bigint", buckets));
                };
            }
            // Second level: (key, row hash) of every row in the differing segments; only keys
            // whose hashes differ (or that one side lacks) are read whole and merged.
            SuspectKeys suspects = SuspectKeys.find(plan, source, target, sourceSql, targetSql, params, maxSuspects,
                    context);
            if (suspects == null) {
                LOG.info("{} - more than {} rows differ; comparing by merge", plan.name(), maxSuspects);
                stats.put(Figure.FALLBACK_TO_MERGE, 1L);
                stats.put(Figure.ROWS_FETCHED, fullMerge(plan, source, target, sink));
                return new DiffStats("hash", stats.build());
            }
            LOG.debug("{} - {} suspects from {} row hashes in {} ms", plan.name(), suspects.size(), suspects.hashesRead(),
                    (System.nanoTime() - tFetch) / 1_000_000);
            stats.put(Figure.ROW_HASHES_COMPARED, suspects.hashesRead());
            stats.put(Figure.SUSPECT_ROWS, (long) suspects.size());
            long fetched = suspects.mergeRows(plan, source, target, sourceQuery, targetQuery, sink);
            stats.put(Figure.ROWS_FETCHED, fetched);
            LOG.debug("{} - {} rows of differing segments fetched and merged in {} ms", plan.name(), fetched,
                    (System.nanoTime() - tFetch) / 1_000_000);
            return new DiffStats("hash", stats.build());
        }
    }

    private static long fullMerge(MappingPlan plan, ReadSnapshot source, ReadSnapshot target, Consumer<RowChange> sink) {
        return OrderedMerge.mergeRows(plan, source, target, new SideQuery(plan, SideQuery.Side.SOURCE).ordered(),
                new SideQuery(plan, SideQuery.Side.TARGET).ordered(), null, sink);
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
    private static boolean keyIndexed(SideQuery query, ReadSnapshot side, String[] bounds, String context) {
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
            throw new DatabaseException(context + ": asking the " + side.side() + " how it reads a key range failed",
                    e);
        }
    }

    /**
     * Whether this side's rows lie in key order ({@link KeyHistogram#keyOrdered}), so that an
     * indexed side computes its summary by index range scans ({@link SideQuery#rangeSummary}).
     */
    private static boolean keyOrdered(MappingPlan plan, ReadSnapshot side, boolean isSource, String context) {
        var table = isSource ? plan.sourceTable() : plan.targetTable();
        String column = new SideQuery(plan, isSource ? SideQuery.Side.SOURCE : SideQuery.Side.TARGET).firstKeyColumn();
        if (column == null) {
            return false;
        }
        try {
            return KeyHistogram.keyOrdered(side.connection(), table.schema(), table.name(), column);
        } catch (SQLException e) {
            throw new DatabaseException(context + ": reading the key's statistics on the " + side.side() + " failed",
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

    private static Summary summary(ReadSnapshot side, String sql, OrderedMerge.Binder params, int size, String context) {
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
            throw new DatabaseException(context + ": the " + side.side() + " summary query failed", e);
        }
        return out;
    }
}
