package dev.recon.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delete guard: an absolute number of rows, or a percentage of the target's rows; or,
 * by default ({@link #standard}), 10% of the target or 100 rows, whichever is more, and
 * never every row of a non-empty target: deleting a handful of rows from a small table
 * passes, a truncated source never empties the target unless the user says so.
 */
public record MaxDeletes(long rows, double percent, boolean isPercent, boolean isStandard) {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(%?)");
    /** The standard guard's floor: so many deletes always pass (unless they empty the table). */
    public static final long STANDARD_FLOOR = 100;

    public MaxDeletes(long rows, double percent, boolean isPercent) {
        this(rows, percent, isPercent, false);
    }

    /** The default guard. */
    public static MaxDeletes standard() {
        return new MaxDeletes(STANDARD_FLOOR, 10, true, true);
    }

    /** Parses {@code 500} or {@code 10%}. */
    public static MaxDeletes parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--max-deletes takes a number of rows (500) or a percentage of the"
                    + " target (10%), not '" + text + "'");
        }
        if (m.group(2).isEmpty()) {
            if (m.group(1).contains(".")) {
                throw new IllegalArgumentException("--max-deletes takes a whole number of rows, not '" + text + "'");
            }
            return new MaxDeletes(Long.parseLong(m.group(1)), 0, false);
        }
        double p = Double.parseDouble(m.group(1));
        if (p > 100) {
            throw new IllegalArgumentException("--max-deletes percentage must be at most 100%, not '" + text + "'");
        }
        return new MaxDeletes(0, p, true);
    }

    /** The most rows allowed for a target of {@code targetRows} rows. */
    /**
     * The same for one of {@code ranges} key ranges of a table (split_rows): a number of rows
     * (and the standard guard's floor) shared out among the ranges, a percentage of the range's rows.
     */
    public long allowed(long targetRows, int ranges) {
        if (ranges <= 1) {
            return allowed(targetRows);
        }
        if (isStandard) {
            long floor = (STANDARD_FLOOR + ranges - 1) / ranges;
            long share = Math.max(floor, (long) Math.floor(targetRows * percent / 100.0));
            return targetRows > 0 ? Math.min(share, targetRows - 1) : share;
        }
        return isPercent ? (long) Math.floor(targetRows * percent / 100.0) : rows / ranges;
    }

    public long allowed(long targetRows) {
        if (isStandard) {
            long share = Math.max(STANDARD_FLOOR, (long) Math.floor(targetRows * percent / 100.0));
            return targetRows > 0 ? Math.min(share, targetRows - 1) : share;
        }
        return isPercent ? (long) Math.floor(targetRows * percent / 100.0) : rows;
    }

    @Override
    public String toString() {
        if (isStandard) {
            return "default (10% or 100 rows, never all)";
        }
        return isPercent ? (percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent))
                + "%" : Long.toString(rows);
    }
}
