package dev.recon.diff;

import dev.recon.plan.ColumnMapping;
import dev.recon.plan.ValueType;
import java.math.BigDecimal;

/**
 * Whether two text values of one target type are equal as PostgreSQL's {@code IS NOT
 * DISTINCT FROM} would say: numerics by value (1.5 = 1.50; NaN, Infinity and -Infinity each
 * equal only to themselves), floats by value (-0 = 0, NaN = NaN; a {@code real} as a
 * {@code real}: 0.10000000149011612 is 0.1, as PostgreSQL casts it), types whose text is
 * canonical by their text. For the other types ({@link ValueType.Kind#OTHER}) equal text
 * means equal values, and text that differs is {@link Verdict#ASK}: only the target server's
 * equality can tell (interval '1 day' = '24 hours').
 */
enum ValueEquality {
    TEXT, NUMERIC, FLOAT, FLOAT4, ASK_WHEN_DIFFERENT;

    /** The answer for one pair of values. */
    enum Verdict { EQUAL, DIFFERENT, ASK }

    static ValueEquality of(ColumnMapping column) {
        return switch (column.type().kind()) {
            case NUMERIC -> NUMERIC;
            // a real compared as a real: a 4-byte float read as a double, 0.10000000149011612, is 0.1
            case FLOAT -> column.type().compareType().equals("real") ? FLOAT4 : FLOAT;
            case OTHER -> column.type().textMayDiffer() ? ASK_WHEN_DIFFERENT : TEXT;
            default -> TEXT;
        };
    }

    boolean equal(String a, String b) {
        return verdict(a, b) == Verdict.EQUAL;
    }

    Verdict verdict(String a, String b) {
        if (a == null || b == null) {
            return a == b ? Verdict.EQUAL : Verdict.DIFFERENT;
        }
        if (a.equals(b)) {
            return Verdict.EQUAL;
        }
        boolean equal = switch (this) {
            case TEXT -> false;
            case NUMERIC -> finite(a) && finite(b) && new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
            case FLOAT -> representable(a) && representable(b) && Double.compare(parse(a), parse(b)) == 0;
            case FLOAT4 -> representable4(a) && representable4(b) && Float.compare(parse4(a), parse4(b)) == 0;
            case ASK_WHEN_DIFFERENT -> {
                yield false;
            }
        };
        if (this == ASK_WHEN_DIFFERENT) {
            return Verdict.ASK;
        }
        return equal ? Verdict.EQUAL : Verdict.DIFFERENT;
    }

    private static boolean finite(String numeric) {
        return !numeric.equals("NaN") && !numeric.endsWith("Infinity");
    }

    /**
     * False for the text of a number no float holds (a source value too large or too small
     * for the target type, reported as the source has it): it equals no stored value.
     */
    private static boolean representable(String v) {
        double d = Double.parseDouble(v);
        if (Double.isInfinite(d)) {
            return v.endsWith("Infinity");
        }
        return d != 0.0 || !v.matches(".*[1-9].*e.*");
    }

    private static boolean representable4(String v) {
        float f = Float.parseFloat(v);
        if (Float.isInfinite(f)) {
            return v.endsWith("Infinity");
        }
        return f != 0.0f || !v.matches(".*[1-9].*");
    }

    private static float parse4(String v) {
        float f = Float.parseFloat(v);
        return f == 0.0f ? 0.0f : f;
    }

    private static double parse(String v) {
        double d = Double.parseDouble(v);
        return d == 0.0 ? 0.0 : d;
    }
}
