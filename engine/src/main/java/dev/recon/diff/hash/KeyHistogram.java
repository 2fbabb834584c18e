package dev.recon.diff.hash;

import dev.recon.catalog.Catalog;
import dev.recon.sql.Sql;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Segment boundaries for a number-typed first key column, taken from what the server already
 * knows instead of from a sampling scan: the planner's histogram of the column
 * ({@code pg_stats.histogram_bounds}, equal-count buckets from ANALYZE), each bucket cut into
 * equal key widths, and, when a btree index leads with the column, its current minimum and
 * maximum, so rows added since the last ANALYZE still fall into segments of the usual size.
 * Boundaries only steer how rows are grouped; both sides use the same ones, so stale
 * statistics can cost time but never change a result.
 */
public final class KeyHistogram {
    private final List<BigDecimal> bounds;
    private final BigDecimal min;
    private final BigDecimal max;

    private KeyHistogram(List<BigDecimal> bounds, BigDecimal min, BigDecimal max) {
        this.bounds = bounds;
        this.min = min;
        this.max = max;
    }

    /** A histogram from its bounds (ascending) and the column's live minimum and maximum. */
    static KeyHistogram of(List<BigDecimal> bounds, BigDecimal min, BigDecimal max) {
        return new KeyHistogram(List.copyOf(bounds), min, max);
    }

    /**
     * The histogram of {@code schema.table.column} on this connection, with the column's live
     * minimum and maximum when an index makes them cheap; empty when the column has no
     * histogram (never analysed, too few distinct values) or a bound is not a finite number.
     */
    public static Optional<KeyHistogram> read(Connection c, String schema, String table, String column) throws SQLException {
        String text = Catalog.statistic(c, schema, table, column, "histogram_bounds::text");
        List<BigDecimal> bounds = parse(text);
        if (bounds.size() < 2) {
            return Optional.empty();
        }
        BigDecimal min = bounds.get(0);
        BigDecimal max = bounds.get(bounds.size() - 1);
        String qualified = Sql.quote(schema, table);
        if (Catalog.leadsABtreeIndex(c, qualified, column)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT min(" + Sql.quote(column) + ")::text, max("
                    + Sql.quote(column) + ")::text FROM " + qualified);
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    BigDecimal lo = number(rs.getString(1));
                    BigDecimal hi = number(rs.getString(2));
                    if (lo == null || hi == null) {
                        return Optional.empty();
                    }
                    min = lo.min(min);
                    max = hi.max(max);
                }
            }
        }
        return Optional.of(new KeyHistogram(bounds, min, max));
    }

    /**
     * The live minimum (where an index makes it cheap, else the histogram's first bound), the
     * histogram's inner bounds and the maximum, ascending: neighbours hold about equal numbers of rows.
     */
    public List<BigDecimal> points() {
        List<BigDecimal> out = new ArrayList<>();
        out.add(min);
        for (BigDecimal b : bounds.subList(1, bounds.size() - 1)) {
            if (b.compareTo(out.get(out.size() - 1)) > 0 && b.compareTo(max) < 0) {
                out.add(b);
            }
        }
        if (max.compareTo(out.get(out.size() - 1)) > 0) {
            out.add(max);
        }
        return out;
    }

    /** Below this |correlation| of heap order and key order, index range scans would jump about the table. */
    static final double ORDERED = 0.9;

    /**
     * True when the planner's statistics say the table's rows lie (almost) in the order of
     * {@code column} ({@code pg_stats.correlation}): then reading a key range through an index
     * reads consecutive pages.
     */
    static boolean keyOrdered(Connection c, String schema, String table, String column) throws SQLException {
        String correlation = Catalog.statistic(c, schema, table, column, "correlation::text");
        return correlation != null && Math.abs(Double.parseDouble(correlation)) >= ORDERED;
    }

    /** The elements of an array's text form of numbers ({@code {1,5.5,-3}}); empty when absent or not all finite. */
    static List<BigDecimal> parse(String arrayText) {
        List<BigDecimal> out = new ArrayList<>();
        if (arrayText == null || arrayText.length() < 2) {
            return out;
        }
        for (String part : arrayText.substring(1, arrayText.length() - 1).split(",")) {
            BigDecimal n = number(part.trim());
            if (n == null) {
                return List.of();
            }
            out.add(n);
        }
        return out;
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null; // NaN, Infinity
        }
    }

    /**
     * About {@code segments} - 1 ascending, distinct boundaries: each histogram bucket (which
     * holds an equal share of the rows) cut into the same number of equal key widths; below
     * the first bound and above the last, up to the live minimum and maximum, segments as
     * wide as those of the nearest bucket (rows appended since ANALYZE, as with a growing
     * id). {@code integer} rounds them down to whole numbers.
     */
    List<String> boundaries(int segments, boolean integer) {
        int buckets = bounds.size() - 1;
        int perBucket = Math.max(1, Math.round((float) segments / buckets));
        int scale = integer ? 0 : bounds.stream().mapToInt(b -> Math.max(0, b.scale())).max().orElse(0);
        List<BigDecimal> below = new ArrayList<>();
        extend(below, bounds.get(0), min, width(0, perBucket).negate(), segments);
        Collections.reverse(below);
        List<BigDecimal> out = new ArrayList<>();
        below.forEach(b -> add(out, b, scale));
        for (int j = 0; j < buckets; j++) {
            BigDecimal lo = bounds.get(j);
            BigDecimal step = width(j, perBucket);
            for (int t = 0; t < perBucket; t++) {
                add(out, lo.add(step.multiply(BigDecimal.valueOf(t))), scale);
            }
        }
        add(out, bounds.get(buckets), scale);
        List<BigDecimal> above = new ArrayList<>();
        extend(above, bounds.get(buckets), max, width(buckets - 1, perBucket), segments);
        above.forEach(b -> add(out, b, scale));
        List<String> text = new ArrayList<>(out.size());
        // only boundaries within the values that exist: rounding below the minimum (or past the maximum)
        // could leave the key type's range (bigint's minimum less one), and would cut nothing anyway
        out.stream().filter(b -> b.compareTo(min) >= 0 && b.compareTo(max) <= 0).forEach(b -> text.add(b.toPlainString()));
        return text;
    }

    private BigDecimal width(int bucket, int parts) {
        return bounds.get(bucket + 1).subtract(bounds.get(bucket))
                .divide(BigDecimal.valueOf(parts), 12, RoundingMode.FLOOR);
    }

    /** Bounds from {@code from} (exclusive) towards {@code to} in steps of {@code step}, at most {@code limit} of them. */
    private static void extend(List<BigDecimal> out, BigDecimal from, BigDecimal to, BigDecimal step, int limit) {
        BigDecimal gap = to.subtract(from);
        if (gap.signum() == 0 || step.signum() == 0 || gap.signum() != step.signum()) {
            return;
        }
        long n = gap.divide(step, 0, RoundingMode.CEILING).min(BigDecimal.valueOf(limit)).longValueExact();
        BigDecimal s = gap.divide(BigDecimal.valueOf(n), 12, step.signum() > 0 ? RoundingMode.CEILING : RoundingMode.FLOOR);
        for (long i = 1; i <= n; i++) {
            out.add(from.add(s.multiply(BigDecimal.valueOf(i))));
        }
    }

    /** Appends {@code b} (rounded down to {@code scale}) when it is above the last bound. */
    private static void add(List<BigDecimal> out, BigDecimal b, int scale) {
        BigDecimal r = b.setScale(scale, RoundingMode.FLOOR);
        if (out.isEmpty() || r.compareTo(out.get(out.size() - 1)) > 0) {
            out.add(r);
        }
    }
}
