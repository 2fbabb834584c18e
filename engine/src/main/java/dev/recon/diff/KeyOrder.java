package dev.recon.diff;

import dev.recon.plan.ColumnMapping;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The order both servers sort keys in, and the same order in Java: number-typed key
 * columns numerically, every other key column by the bytes of its UTF-8 text (what
 * {@code ORDER BY k::text COLLATE "C"} does), so the sort never depends on a server's locale.
 */
final class KeyOrder {
    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");
    private static final Set<String> NUMERIC_TYPES = Set.of("smallint", "integer", "bigint");

    private final boolean[] numeric;
    private final boolean[] integer;

    KeyOrder(List<ColumnMapping> keys) {
        numeric = new boolean[keys.size()];
        integer = new boolean[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            numeric[i] = isNumeric(keys.get(i));
            integer[i] = INTEGER_TYPES.contains(keys.get(i).targetType());
        }
    }

    /** A row's key in comparable form: Long, BigDecimal or UTF-8 bytes per column; null when a key is NULL. */
    Object[] parse(String[] values) {
        Object[] k = new Object[numeric.length];
        for (int i = 0; i < numeric.length; i++) {
            String v = values[i];
            if (v == null) {
                return null;
            }
            k[i] = integer[i] ? (Object) Long.parseLong(v) : numeric[i] ? new BigDecimal(v)
                    : v.getBytes(StandardCharsets.UTF_8);
        }
        return k;
    }

    /** Compares two parsed keys. */
    @SuppressWarnings("unchecked")
    int compareParsed(Object[] a, Object[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = numeric[i] ? ((Comparable<Object>) a[i]).compareTo(b[i])
                    : Arrays.compareUnsigned((byte[]) a[i], (byte[]) b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    static boolean isInteger(ColumnMapping key) {
        return INTEGER_TYPES.contains(key.targetType());
    }

    static boolean isNumeric(ColumnMapping key) {
        String t = key.targetType();
        return NUMERIC_TYPES.contains(t) || t.startsWith("numeric");
    }

    /** The SQL sort expression of one key column alias on either side. */
    static String sortExpression(ColumnMapping key, String alias) {
        return isNumeric(key) ? alias : "(" + alias + ")::text COLLATE \"C\"";
    }
}
