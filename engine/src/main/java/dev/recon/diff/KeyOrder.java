package dev.recon.diff;

import dev.recon.plan.ColumnMapping;
import dev.recon.plan.ValueType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The order both servers sort keys in, and the same order in Java: integer and numeric key
 * columns by value (PostgreSQL's order: -Infinity, the numbers, Infinity, NaN), floats by
 * value too, every other key column by the bytes of its UTF-8 text (what {@code ORDER BY
 * k::text COLLATE "C"} does), so the sort never depends on a server's locale. NULL sorts
 * after every value, as {@code ORDER BY} does, and equals NULL: where the target's key lets
 * a column be NULL, NULLs pair with NULLs.
 */
public final class KeyOrder {
    private enum Form { INTEGER, NUMERIC, FLOAT, FLOAT4, BYTES }

    private final Form[] forms;
    private final boolean[] nullable;

    public KeyOrder(List<ColumnMapping> keys) {
        forms = new Form[keys.size()];
        nullable = new boolean[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            nullable[i] = keys.get(i).targetNullable();
            forms[i] = switch (keys.get(i).type().kind()) {
                case INTEGER -> Form.INTEGER;
                case NUMERIC -> Form.NUMERIC;
                // a real parsed as a real: a 4-byte float read as a double, 0.10000000149011612, is 0.1
                case FLOAT -> keys.get(i).type().compareType().equals("real") ? Form.FLOAT4 : Form.FLOAT;
                default -> Form.BYTES;
            };
        }
    }

    /** A row's key in comparable form: a number or UTF-8 bytes per column, null for a NULL column. */
    public Object[] parse(String[] values) {
        Object[] k = new Object[forms.length];
        for (int i = 0; i < forms.length; i++) {
            String v = values[i];
            k[i] = v == null ? null : switch (forms[i]) {
                case INTEGER, NUMERIC -> Num.of(v);
                case FLOAT -> floatValue(Double.parseDouble(v));
                case FLOAT4 -> floatValue(Float.parseFloat(v));
                case BYTES -> v.getBytes(StandardCharsets.UTF_8);
            };
        }
        return k;
    }

    /**
     * False for a key with NULL where the target's key allows none: it pairs with no target
     * row (an insert the target refuses), and several such rows are not one key twice.
     */
    public boolean matchable(Object[] key) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] == null && !nullable[i]) {
                return false;
            }
        }
        return true;
    }

    /** Compares two parsed keys. */
    public int compareParsed(Object[] a, Object[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = compare(forms[i], a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int compare(Form form, Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return switch (form) {
            case INTEGER, NUMERIC -> ((Num) a).compareTo((Num) b);
            // PostgreSQL: -0 = 0, NaN equals NaN and sorts above every other value (Double.compare agrees)
            case FLOAT, FLOAT4 -> Double.compare((Double) a, (Double) b);
            case BYTES -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
        };
    }

    private static Double floatValue(double d) {
        return d == 0.0 ? 0.0 : d;
    }

    public static boolean isInteger(ColumnMapping key) {
        return key.type().kind() == ValueType.Kind.INTEGER;
    }

    /** True for keys ordered by value in SQL: integer, numeric and float types. */
    static boolean isNumeric(ColumnMapping key) {
        return switch (key.type().kind()) {
            case INTEGER, NUMERIC, FLOAT -> true;
            default -> false;
        };
    }

    /** True for keys whose segments can be key ranges (width_bucket over the numbers): integer and numeric. */
    static boolean isRangeable(ColumnMapping key) {
        return key.type().kind() == ValueType.Kind.INTEGER || key.type().kind() == ValueType.Kind.NUMERIC;
    }

    /** The SQL sort expression of one key column reference on either side. */
    static String sortExpression(ColumnMapping key, String ref) {
        return isNumeric(key) ? ref : "(" + ref + ")::text COLLATE \"C\"";
    }

    /** A number in PostgreSQL's numeric order: -Infinity below all, Infinity and then NaN above all. */
    record Num(int rank, long small, BigDecimal big) implements Comparable<Num> {
        static Num of(String text) {
            switch (text) {
                case "-Infinity":
                    return new Num(0, 0, null);
                case "Infinity":
                    return new Num(2, 0, null);
                case "NaN":
                    return new Num(3, 0, null);
                default:
                    if (text.length() < 19 && text.indexOf('.') < 0 && text.indexOf('e') < 0
                            && text.indexOf('E') < 0) {
                        return new Num(1, Long.parseLong(text), null);
                    }
                    return new Num(1, 0, new BigDecimal(text));
            }
        }

        @Override
        public int compareTo(Num o) {
            if (rank != o.rank) {
                return Integer.compare(rank, o.rank);
            }
            if (rank != 1) {
                return 0;
            }
            if (big == null && o.big == null) {
                return Long.compare(small, o.small);
            }
            return value().compareTo(o.value());
        }

        private BigDecimal value() {
            return big != null ? big : BigDecimal.valueOf(small);
        }
    }
}
