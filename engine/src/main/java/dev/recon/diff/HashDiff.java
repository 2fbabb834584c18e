package dev.recon.diff;

import dev.recon.pg.DatabaseException;
import dev.recon.pg.Databases;
import dev.recon.plan.SyncPlan;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-server diff whose traffic grows with the differences, not the tables. The key
 * range is cut into segments at sampled quantiles of the first key column; each server
 * computes, per segment, a row count and the XOR of 64-bit hashes of its normalised rows
 * (both at once); only the segments whose summaries differ are read, as key ranges, and
 * merged. When differences are dense (more than {@code maxDifferingRatio} of the segments)
 * it falls back to a full merge, which is then cheaper.
 */
public final class HashDiff implements DiffStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(HashDiff.class);
    /** Rows per segment by default: small segments keep the rows fetched close to the rows that differ. */
    public static final int DEFAULT_ROWS_PER_SEGMENT = 64;
    static final int MAX_SEGMENTS = 200_000;
    /** Tables smaller than this are read whole to place the boundaries; larger ones are sampled. */
    static final long SAMPLE_ABOVE_ROWS = 200_000;

    private final Databases databases;
    private final int rowsPerSegment;
    private final double maxDifferingRatio;

    public HashDiff(Databases databases) {
        this(databases, DEFAULT_ROWS_PER_SEGMENT, 0.5);
    }

    public HashDiff(Databases databases, int rowsPerSegment, double maxDifferingRatio) {
        this.databases = databases;
        this.rowsPerSegment = rowsPerSegment;
        this.maxDifferingRatio = maxDifferingRatio;
    }

    @Override
    public DiffStats diff(SyncPlan plan, Consumer<RowChange> sink) {
        String context = "mapping '" + plan.name() + "'";
        SideQuery sourceQuery = new SideQuery(plan, SideQuery.Side.SOURCE);
        SideQuery targetQuery = new SideQuery(plan, SideQuery.Side.TARGET);
        try (ReadSnapshot source = ReadSnapshot.open(databases, plan.sourceConnection(), context, "source");
             ReadSnapshot target = ReadSnapshot.open(databases, plan.targetConnection(), context, "target")) {
            Map<String, Long> stats = new LinkedHashMap<>();
            if (!supportsHashing(source) || !supportsHashing(target)) {
                LOG.info("{} - a server is older than PostgreSQL 14 (no bit_xor); comparing by merge", plan.name());
                stats.put("fallback_to_merge", 1L);
                stats.put("rows_fetched", fullMerge(plan, source, target, sink));
                return new DiffStats("hash", stats);
            }
            long sourceRows = estimateRows(source, plan.sourceTable().sqlName());
            long targetRows = estimateRows(target, plan.targetTable().sqlName());
            boolean sampleSource = sourceRows >= targetRows;
            long rows = Math.max(sourceRows, targetRows);
            int wanted = (int) Math.max(1, Math.min(MAX_SEGMENTS, rows / rowsPerSegment));
            List<String> bounds = boundaries(sampleSource ? source : target, sampleSource ? sourceQuery : targetQuery,
                    wanted, rows, context);
            String[] b = bounds.toArray(new String[0]);
            Concurrently.Pair<Map<Integer, long[]>, Map<Integer, long[]>> sums = Concurrently.both(
                    () -> summary(source, sourceQuery.summary(), b, context),
                    () -> summary(target, targetQuery.summary(), b, context));
            Set<Integer> all = new TreeSet<>(nullsFirst());
            all.addAll(sums.left().keySet());
            all.addAll(sums.right().keySet());
            List<Integer> differing = new ArrayList<>();
            for (Integer seg : all) {
                long[] s = sums.left().get(seg);
                long[] t = sums.right().get(seg);
                if (s == null || t == null || s[0] != t[0] || s[1] != t[1]) {
                    differing.add(seg);
                }
            }
            stats.put("segments", (long) b.length + 1);
            stats.put("segments_compared", (long) all.size());
            stats.put("segments_differing", (long) differing.size());
            if (differing.isEmpty()) {
                stats.put("rows_fetched", 0L);
                return new DiffStats("hash", stats);
            }
            if (differing.contains(null) || differing.size() > maxDifferingRatio * Math.max(1, all.size())) {
                LOG.info("{} - {} of {} segments differ; comparing by merge", plan.name(), differing.size(), all.size());
                stats.put("fallback_to_merge", 1L);
                stats.put("rows_fetched", fullMerge(plan, source, target, sink));
                return new DiffStats("hash", stats);
            }
            String[][] ranges = ranges(differing, b);
            stats.put("ranges_fetched", (long) ranges[0].length);
            long fetched = MergeDiff.mergeRows(plan, source, target, sourceQuery.segments(), targetQuery.segments(),
                    (ps, side) -> {
                        ps.setArray(1, side.connection().createArrayOf("text", ranges[0]));
                        ps.setArray(2, side.connection().createArrayOf("text", ranges[1]));
                    }, sink);
            stats.put("rows_fetched", fetched);
            return new DiffStats("hash", stats);
        }
    }

    private static long fullMerge(SyncPlan plan, ReadSnapshot source, ReadSnapshot target, Consumer<RowChange> sink) {
        return MergeDiff.mergeRows(plan, source, target, new SideQuery(plan, SideQuery.Side.SOURCE).ordered(),
                new SideQuery(plan, SideQuery.Side.TARGET).ordered(), null, sink);
    }

    private static java.util.Comparator<Integer> nullsFirst() {
        return java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder());
    }

    private static boolean supportsHashing(ReadSnapshot side) {
        try {
            return side.connection().getMetaData().getDatabaseMajorVersion() >= 14;
        } catch (SQLException e) {
            return false;
        }
    }

    private static long estimateRows(ReadSnapshot side, String table) {
        try (PreparedStatement ps = side.connection().prepareStatement(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = ?::regclass")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long estimate = rs.getLong(1);
                if (estimate >= 0) {
                    return estimate;
                }
            }
            try (PreparedStatement count = side.connection().prepareStatement("SELECT count(*) FROM " + table);
                 ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot estimate the size of " + table, e);
        }
    }

    /** Distinct, ordered segment boundaries: quantiles of the first key column over (a sample of) one side. */
    private static List<String> boundaries(ReadSnapshot side, SideQuery query, int segments, long rows,
            String context) {
        if (segments <= 1) {
            return List.of();
        }
        String sample = "";
        if (rows > SAMPLE_ABOVE_ROWS) {
            double percent = Math.min(100.0, 100.0 * segments * 20.0 / rows);
            sample = String.format(java.util.Locale.ROOT, "TABLESAMPLE SYSTEM (%.6f)", percent);
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

    private static Map<Integer, long[]> summary(ReadSnapshot side, String sql, String[] bounds, String context)
            throws SQLException {
        Map<Integer, long[]> out = new HashMap<>();
        try (PreparedStatement ps = side.connection().prepareStatement(sql)) {
            ps.setArray(1, side.connection().createArrayOf("text", bounds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Integer seg = rs.getObject(1) == null ? null : rs.getInt(1);
                    out.put(seg, new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException(context + ": the " + side.side() + " summary query failed", e);
        }
        return out;
    }

    /** [lo[], hi[]] of the differing segments, adjacent segments joined into one range. */
    static String[][] ranges(List<Integer> differing, String[] b) {
        List<String> lo = new ArrayList<>();
        List<String> hi = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        Integer start = null;
        Integer prev = null;
        for (Integer seg : differing) {
            if (!seen.add(seg)) {
                continue;
            }
            if (start != null && seg == prev + 1) {
                prev = seg;
                continue;
            }
            if (start != null) {
                lo.add(start == 0 ? null : b[start - 1]);
                hi.add(prev == b.length ? null : b[prev]);
            }
            start = seg;
            prev = seg;
        }
        if (start != null) {
            lo.add(start == 0 ? null : b[start - 1]);
            hi.add(prev == b.length ? null : b[prev]);
        }
        return new String[][] {lo.toArray(new String[0]), hi.toArray(new String[0])};
    }
}
