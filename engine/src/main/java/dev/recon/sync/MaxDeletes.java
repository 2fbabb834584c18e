package dev.recon.sync;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The delete guard: an absolute number of rows, or a percentage of the target's rows. */
public record MaxDeletes(long rows, double percent, boolean isPercent) {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(%?)");

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
    public long allowed(long targetRows) {
        return isPercent ? (long) Math.floor(targetRows * percent / 100.0) : rows;
    }

    @Override
    public String toString() {
        return isPercent ? (percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent))
                + "%" : Long.toString(rows);
    }
}
