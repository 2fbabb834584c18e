package dev.recon.diff.hash;

import dev.recon.base.Progress;
import dev.recon.base.Side;
import dev.recon.diff.Concurrently;
import dev.recon.diff.DiffContext;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.diff.OrderedMerge;
import dev.recon.db.DatabaseException;
import dev.recon.connect.Databases;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.ValueType;
import dev.recon.result.RowChange;
import dev.recon.result.StrategyDetails;
import dev.recon.result.StrategyDetails.Figure;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hash strategy when the two sides' engines share no hash function: a canonical form of
 * each row that both engines compute alike ({@code SidePlan.canonicalSummary}). Every value is
 * the text the merge compares (PostgreSQL's text of the type the pair is compared in; a
 * {@code real} as the double it holds), written as a token
 * that tells rows apart (byte length, colon, UTF-8 text; NULL as {@code N}), and the row's
 * tokens are MD5-summed. Each side computes, per bucket of its key (the low bits of a single
 * integer key, else of the MD5 of the key's tokens), a row count and the XOR of 64 bits of
 * the row hashes, in one scan; the rows of the buckets whose summaries
 * differ are then read whole on both sides and merged by the merge's exact rules.
 *
 * <p>Exactness rests on one property: two values with the same text are equal under the
 * pair's rules (numbers by value, text byte for byte). Equal values whose texts differ
 * ({@code 1.5} and {@code 1.50} in an unconstrained {@code numeric}, {@code 1e20} and
 * {@code 1e+20}) only cost their bucket a second read, which the merge then finds equal.
 * A {@code jsonb} column, whose two engines' texts of one value almost always differ, is not
 * hashed: such a mapping is compared by merge and the run's figures say so
 * ({@code fallback_to_merge}). So are tables one side of which looks empty, and comparisons
 * where more than half the buckets differ, which a merge then reads more cheaply.
 */
public final class EngineHashDiff implements DiffStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(EngineHashDiff.class);

    private final Databases databases;
    private final int rowsPerBucket;
    private final double maxDifferingRatio;

    public EngineHashDiff(Databases databases) {
        this(databases, HashDiff.DEFAULT_ROWS_PER_SEGMENT, 0.5);
    }

    /** Tests: smaller buckets, and a fallback ratio of their own. */
    public EngineHashDiff(Databases databases, int rowsPerBucket, double maxDifferingRatio) {
        this.databases = databases;
        this.rowsPerBucket = rowsPerBucket;
        this.maxDifferingRatio = maxDifferingRatio;
    }

    @Override
    public boolean handsOverOnlyDifferences() {
        return true;
    }

    @Override
    public DiffStats diff(MappingPlan plan, Consumer<RowChange> sink) {
        return DiffContext.run(databases, plan, ctx -> diff(ctx, sink));
    }

    private DiffStats diff(DiffContext ctx, Consumer<RowChange> sink) {
        MappingPlan plan = ctx.plan();
        StrategyDetails.Builder stats = StrategyDetails.builder();
        List<String> unhashable = new ArrayList<>(unhashable(plan.allColumns()));
        unhashable.addAll(plan.sourceSide().notHashable());
        unhashable.addAll(plan.targetSide().notHashable());
        if (!unhashable.isEmpty()) {
            LOG.info("{} - {} cannot be hashed alike on both engines; comparing by merge", plan.name(),
                    String.join(", ", unhashable));
            stats.put(Figure.COLUMNS_NOT_HASHABLE, (long) unhashable.size());
            return HashDiff.mergeInstead(ctx, stats, sink, true);
        }
        if (!plan.onlyKeys().isEmpty()) {
            return HashDiff.mergeInstead(ctx, stats, sink, true);
        }
        long sourceRows = ctx.estimatedRows(Side.SOURCE);
        long targetRows = ctx.estimatedRows(Side.TARGET);
        if (sourceRows == 0 || targetRows == 0) {
            // one side looks empty (an initial load, or statistics not gathered yet): every row is read anyway
            return HashDiff.mergeInstead(ctx, stats, sink, true);
        }
        long wanted = Math.max(1, Math.min(HashDiff.MAX_SEGMENTS, Math.max(sourceRows, targetRows) / rowsPerBucket));
        long mask = Long.highestOneBit(wanted * 2 - 1) - 1;
        List<Integer> hashed = new ArrayList<>();
        List<ColumnMapping> all = plan.allColumns();
        for (int i = 0; i < all.size(); i++) {
            if (i < plan.keys().size() || all.get(i).compared()) {
                hashed.add(i);
            }
        }
        // one integer key: its low bits are its bucket (no hash of it to compute, on either side)
        boolean integerKey = plan.keys().size() == 1 && plan.keys().get(0).type().kind() == ValueType.Kind.INTEGER;
        long t0 = System.nanoTime();
        Concurrently.Pair<Map<Long, long[]>, Map<Long, long[]>> sums = Concurrently.both(
                () -> summary(ctx, Side.SOURCE, mask, integerKey, hashed),
                () -> summary(ctx, Side.TARGET, mask, integerKey, hashed));
        LOG.debug("{} - {} bucket summaries read in {} ms", plan.name(), mask + 1, (System.nanoTime() - t0) / 1_000_000);
        Map<Long, long[]> a = sums.left();
        Map<Long, long[]> b = sums.right();
        List<Long> differing = new ArrayList<>();
        long compared = 0;
        long rowsCompared = 0;
        for (long bucket = 0; bucket <= mask; bucket++) {
            long[] x = a.get(bucket);
            long[] y = b.get(bucket);
            if (x == null && y == null) {
                continue;
            }
            compared++;
            rowsCompared += (x == null ? 0 : x[0]) + (y == null ? 0 : y[0]);
            if (x == null || y == null || x[0] != y[0] || x[1] != y[1]) {
                differing.add(bucket);
            }
        }
        stats.put(Figure.ROWS_COMPARED, rowsCompared);
        stats.put(Figure.SEGMENTS, mask + 1);
        stats.put(Figure.SEGMENTS_COMPARED, compared);
        stats.put(Figure.SEGMENTS_DIFFERING, (long) differing.size());
        if (differing.isEmpty()) {
            stats.put(Figure.ROWS_FETCHED, 0L);
            return new DiffStats("hash", stats.build());
        }
        if (mask == 0 || differing.size() > maxDifferingRatio * compared) {
            LOG.info("{} - {} of {} buckets differ; comparing by merge", plan.name(), differing.size(), compared);
            return HashDiff.mergeInstead(ctx, stats, sink, false);
        }
        long t1 = System.nanoTime();
        long fetched = OrderedMerge.mergeRows(ctx, inBuckets(ctx, Side.SOURCE, mask, integerKey, differing),
                inBuckets(ctx, Side.TARGET, mask, integerKey, differing), null, sink, Progress.NONE);
        stats.put(Figure.ROWS_FETCHED, fetched);
        LOG.debug("{} - {} rows of {} differing buckets read and merged in {} ms", plan.name(), fetched,
                differing.size(), (System.nanoTime() - t1) / 1_000_000);
        return new DiffStats("hash", stats.build());
    }

    /**
     * The compared columns that the hash across engines does not hash, as {@code name (type)}:
     * {@code jsonb}, whose text on each engine differs for most values (a mapping with one is
     * compared by merge).
     */
    private static List<String> unhashable(List<ColumnMapping> columns) {
        List<String> out = new ArrayList<>();
        for (ColumnMapping m : columns) {
            String t = m.type().compareType();
            if (m.compared() && (t.equals("jsonb") || t.equals("json"))) {
                out.add(m.targetColumn() + " (" + t + ")");
            }
        }
        return out;
    }

    private static String inBuckets(DiffContext ctx, Side side, long mask, boolean integerKey, List<Long> buckets) {
        return ctx.plan().side(side).orderedInBuckets(ctx.plan(), mask, integerKey, buckets);
    }

    /** bucket to {row count, XOR of the row hashes} of one side. */
    private static Map<Long, long[]> summary(DiffContext ctx, Side side, long mask, boolean integerKey,
            List<Integer> hashed) {
        String sql = ctx.plan().side(side).canonicalSummary(ctx.plan(), mask, integerKey, hashed);
        Map<Long, long[]> out = new HashMap<>();
        long t0 = System.nanoTime();
        try (PreparedStatement ps = ctx.snapshot(side).connection().prepareStatement(sql)) {
            ps.setFetchSize(SuspectKeys.HASH_FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long bucket = rs.getLong(1);
                    if (rs.wasNull() || out.containsKey(bucket)) {
                        throw new IllegalStateException(ctx.label() + ": the " + side + " hash summary gave bucket "
                                + bucket + " twice or a NULL (a bug: please report it)");
                    }
                    // an engine's BIT_XOR may be unsigned (as text here) or signed: the same 64 bits
                    String xor = rs.getString(3);
                    out.put(bucket, new long[] {rs.getLong(2),
                            xor.startsWith("-") ? Long.parseLong(xor) : Long.parseUnsignedLong(xor)});
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException(ctx.label() + ": the " + side + " hash summary failed", e);
        }
        LOG.debug("{} - {} summary in {} ms", ctx.plan().name(), side, (System.nanoTime() - t0) / 1_000_000);
        return out;
    }
}
