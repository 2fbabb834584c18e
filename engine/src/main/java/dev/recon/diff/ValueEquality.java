package dev.recon.diff;

import dev.recon.plan.ColumnMapping;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * Whether two text values of one target type are equal as PostgreSQL's {@code IS NOT
 * DISTINCT FROM} would say: numerics by value (1.5 = 1.50), floats by value (-0 = 0),
 * everything else by its canonical text (both sides print in the same type and settings).
 */
enum ValueEquality {
    TEXT, NUMERIC, FLOAT;

    static ValueEquality of(ColumnMapping column) {
        String t = column.targetType();
        if (t.startsWith("numeric")) {
            return NUMERIC;
        }
        if (t.equals("real") || t.equals("double precision")) {
            return FLOAT;
        }
        return TEXT;
    }

    boolean equal(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.equals(b)) {
            return true;
        }
        return switch (this) {
            case TEXT -> false;
            case NUMERIC -> !a.equals("NaN") && !b.equals("NaN") && new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
            case FLOAT -> Objects.equals(parse(a), parse(b));
        };
    }

    private static Double parse(String v) {
        double d = Double.parseDouble(v.replace("Infinity", "Infinity"));
        return d == 0.0 ? 0.0 : d;
    }
}
