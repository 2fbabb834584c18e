package dev.recon.plan;

/**
 * One key range of a mapping cut by {@code split_rows} (or {@code threads}): range
 * {@code index} (from 0) of {@code count}, the rows whose first key column lies in
 * [{@code lo}, {@code hi}). The first range has no lower bound and holds the rows whose first
 * key part is NULL too; the last has no upper bound. So every key falls in exactly one range,
 * whatever the bounds (they come from statistics and only steer how many rows each range holds).
 * {@code mapping} is the name of the mapping that was cut.
 */
public record KeyRange(String mapping, int index, int count, String lo, String hi) {

    /** The name of the range's runs, locks and history: {@code orders[2/8]} (numbered from 1). */
    public String name() {
        return name(mapping, index, count);
    }

    public static String name(String mapping, int index, int count) {
        return mapping + "[" + (index + 1) + "/" + count + "]";
    }

    /** The mapping a range's name belongs to ({@code orders} of {@code orders[2/8]}); the name itself otherwise. */
    public static String mappingOf(String name) {
        int open = name.lastIndexOf('[');
        return open > 0 && name.endsWith("]") && name.substring(open + 1, name.length() - 1).matches("\\d+/\\d+")
                ? name.substring(0, open) : name;
    }

    /** The range's condition on {@code column} (SQL of the side's engine; bounds are whole numbers). */
    public String condition(String column) {
        return condition(column, true);
    }

    /**
     * The same, for a column that may hold NULL or not ({@code nullable}): a NOT NULL column's
     * first range needs no {@code IS NULL}, which would keep its index from serving the range.
     */
    public String condition(String column, boolean nullable) {
        String below = hi == null ? null : column + " < " + hi;
        if (lo == null) {
            return below == null ? "TRUE" : nullable ? "(" + column + " IS NULL OR " + below + ")" : "(" + below + ")";
        }
        String above = column + " >= " + lo;
        return below == null ? "(" + above + ")" : "(" + above + " AND " + below + ")";
    }

    /** The range as the reports show it: {@code < 1000 or NULL}, {@code [1000, 2000)}, {@code >= 2000}. */
    public String bounds() {
        if (lo == null) {
            return hi == null ? "all" : "< " + hi + " or NULL";
        }
        return hi == null ? ">= " + lo : "[" + lo + ", " + hi + ")";
    }
}
