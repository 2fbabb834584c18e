package dev.recon.config;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A comparison rule of one target column ({@code rules:} in the mapping file): when a source
 * value and a target value that differ byte for byte are still equal. Values are the canonical
 * text recon compares (PostgreSQL's text of the type the pair is compared in; {@code null} is
 * SQL NULL), and {@link #equal} decides in Java, whatever the strategy: the strategies find the
 * rows that differ as they do without rules, and a row whose every difference a rule forgives
 * is equal under the rules (counted, never written).
 *
 * <ul>
 * <li>{@code tolerance}: numbers whose difference is at most this (inclusive) are equal;
 * {@code relative}: numbers whose difference is at most this times the larger magnitude;
 * both given: either suffices. Computed exactly (decimal), NaN equal only to NaN, each
 * infinity only to itself, -0 equal to 0.
 * <li>{@code precision}: times and timestamps truncated (not rounded) to microseconds,
 * milliseconds, seconds or minutes on both sides before comparing.
 * <li>{@code trim}: spaces (U+0020) at both ends ignored; {@code caseInsensitive}: letters
 * compared after simple case folding, code point by code point; {@code emptyIsNull}: the empty
 * text (after trimming, with {@code trim}) equals NULL.
 * <li>{@code timeZone}: not a comparison rule but the zone the column's values without one
 * are in, where the pair compares them with values that have one (a {@code DATETIME} of an
 * engine without zones and a PostgreSQL {@code timestamptz}); it wins over the connection's
 * {@code time_zone}.
 * </ul>
 */
public record ColumnRule(BigDecimal tolerance, BigDecimal relative, Precision precision, boolean trim,
        boolean caseInsensitive, boolean emptyIsNull, ZoneId timeZone) {

    public ColumnRule(BigDecimal tolerance, BigDecimal relative, Precision precision, boolean trim,
            boolean caseInsensitive, boolean emptyIsNull) {
        this(tolerance, relative, precision, trim, caseInsensitive, emptyIsNull, null);
    }

    /** How far {@code precision} truncates. */
    public enum Precision {
        US("us", 6), MS("ms", 3), S("s", 0), MIN("min", -1);

        private final String label;
        private final int digits;

        Precision(String label, int digits) {
            this.label = label;
            this.digits = digits;
        }

        public String label() {
            return label;
        }

        public static Precision of(String text) {
            for (Precision p : values()) {
                if (p.label.equals(text)) {
                    return p;
                }
            }
            return null;
        }
    }

    /** True when the rule compares numbers (tolerance or relative). */
    public boolean numeric() {
        return tolerance != null || relative != null;
    }

    /** True when the rule folds text (trim, case, empty as NULL). */
    public boolean textual() {
        return trim || caseInsensitive || emptyIsNull;
    }

    /** The rule as the mapping file spells it, for {@code validate} and the reports. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (tolerance != null) {
            parts.add("tolerance: " + tolerance.toPlainString());
        }
        if (relative != null) {
            parts.add("relative: " + relative.stripTrailingZeros().toPlainString());
        }
        if (precision != null) {
            parts.add("precision: " + precision.label());
        }
        if (trim) {
            parts.add("trim: true");
        }
        if (caseInsensitive) {
            parts.add("case: insensitive");
        }
        if (emptyIsNull) {
            parts.add("empty_is_null: true");
        }
        if (timeZone != null) {
            parts.add("time_zone: " + timeZone.getId());
        }
        return "{ " + String.join(", ", parts) + " }";
    }

    /** Whether source value {@code s} and target value {@code t} are equal under this rule. */
    public boolean equal(String s, String t) {
        if (textual()) {
            s = fold(s);
            t = fold(t);
        }
        if (precision != null) {
            s = truncate(s);
            t = truncate(t);
        }
        if (s == null || t == null) {
            return s == t;
        }
        if (s.equals(t)) {
            return true;
        }
        return numeric() && closeEnough(s, t);
    }

    private String fold(String v) {
        if (v == null) {
            return null;
        }
        if (trim) {
            int from = 0;
            int to = v.length();
            while (from < to && v.charAt(from) == ' ') {
                from++;
            }
            while (to > from && v.charAt(to - 1) == ' ') {
                to--;
            }
            v = v.substring(from, to);
        }
        if (emptyIsNull && v.isEmpty()) {
            return null;
        }
        if (caseInsensitive) {
            StringBuilder sb = new StringBuilder(v.length());
            v.codePoints().forEach(cp -> sb.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
            v = sb.toString();
        }
        return v;
    }

    /** HH:MM:SS with an optional fraction, inside a time's or a timestamp's text. */
    private static final Pattern CLOCK = Pattern.compile("(\\d{2}:\\d{2}):(\\d{2})(\\.\\d+)?");

    private String truncate(String v) {
        if (v == null) {
            return null;
        }
        Matcher m = CLOCK.matcher(v);
        if (!m.find()) {
            return v; // infinity, -infinity
        }
        String fraction = m.group(3) == null ? "" : m.group(3).substring(1);
        String kept;
        if (precision.digits < 0) {
            kept = m.group(1) + ":00";
        } else {
            String digits = fraction.substring(0, Math.min(fraction.length(), precision.digits))
                    .replaceFirst("0+$", "");
            kept = m.group(1) + ":" + m.group(2) + (digits.isEmpty() ? "" : "." + digits);
        }
        return v.substring(0, m.start()) + kept + v.substring(m.end());
    }

    private boolean closeEnough(String s, String t) {
        BigDecimal a = number(s);
        BigDecimal b = number(t);
        if (a == null || b == null) {
            return false; // NaN or an infinity, unequal text: unequal values
        }
        BigDecimal difference = a.subtract(b).abs();
        if (tolerance != null && difference.compareTo(tolerance) <= 0) {
            return true;
        }
        return relative != null && difference.compareTo(relative.multiply(a.abs().max(b.abs()))) <= 0;
    }

    /** A number's text as a decimal; null for NaN and the infinities. */
    private static BigDecimal number(String v) {
        String n = v.trim();
        if (n.equals("NaN") || n.endsWith("Infinity") || n.endsWith("inf")) {
            return null;
        }
        try {
            return new BigDecimal(n);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
