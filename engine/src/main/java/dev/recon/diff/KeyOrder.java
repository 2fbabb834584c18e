package dev.recon.diff;

import dev.recon.plan.ColumnMapping;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The order both servers sort keys in, and the same order in Java: number-typed key
 * columns numerically, every other key column by the bytes of its UTF-8 text (what
 * {@code ORDER BY k::text COLLATE "C"} does), so the sort never depends on a server's locale.
 */
final class KeyOrder implements Comparator<String[]> {
    private static final Set<String> NUMERIC_TYPES = Set.of("smallint", "integer", "bigint");

    private final boolean[] numeric;

    KeyOrder(List<ColumnMapping> keys) {
        numeric = new boolean[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            numeric[i] = isNumeric(keys.get(i));
        }
    }

    static boolean isNumeric(ColumnMapping key) {
        String t = key.targetType();
        return NUMERIC_TYPES.contains(t) || t.startsWith("numeric");
    }

    /** The SQL sort expression of one key column alias on either side. */
    static String sortExpression(ColumnMapping key, String alias) {
        return isNumeric(key) ? alias : "(" + alias + ")::text COLLATE \"C\"";
    }

    @Override
    public int compare(String[] a, String[] b) {
        for (int i = 0; i < numeric.length; i++) {
            int c = numeric[i] ? new BigDecimal(a[i]).compareTo(new BigDecimal(b[i])) : compareBytes(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    static int compareBytes(String a, String b) {
        if (isAscii(a) && isAscii(b)) {
            return a.compareTo(b);
        }
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
