package dev.recon.diff;

import dev.recon.plan.ColumnMapping;
import dev.recon.plan.SoftDelete;
import dev.recon.plan.SyncPlan;
import dev.recon.sql.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL that reads one side for the cross-server strategies. Both sides project their rows
 * to the target's column types under the same aliases ({@code k0..}, {@code c0..}), so the
 * two servers print, sort and hash equal values alike.
 */
final class SideQuery {
    enum Side { SOURCE, TARGET }

    private final SyncPlan plan;
    private final Side side;
    private final List<ColumnMapping> all;
    private final int nKeys;

    SideQuery(SyncPlan plan, Side side) {
        this.plan = plan;
        this.side = side;
        this.all = plan.allColumns();
        this.nKeys = plan.keys().size();
    }

    static String alias(int index, int nKeys) {
        return index < nKeys ? "k" + index : "c" + (index - nKeys);
    }

    /** {@code (SELECT ... FROM table [WHERE filter]) AS s}: every column cast to its target type. */
    String projection() {
        return projection("");
    }

    /** The same, reading the table through {@code sample} (e.g. {@code TABLESAMPLE SYSTEM (1)}) when not empty. */
    String projection(String sample) {
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ColumnMapping m = all.get(i);
            String expr = side == Side.SOURCE ? "(" + m.sourceSql() + ")::" + m.targetType() : Sql.quote(m.targetColumn());
            cols.add(expr + " AS " + alias(i, nKeys));
        }
        cols.add(gone() + " AS __gone");
        String table = (side == Side.SOURCE ? plan.sourceTable().sqlName() : plan.targetTable().sqlName())
                + (sample.isEmpty() ? "" : " " + sample);
        String where = side == Side.SOURCE ? plan.where().map(w -> " WHERE (" + w + ")").orElse("") : "";
        return "(SELECT " + String.join(", ", cols) + " FROM " + table + where + ") AS s";
    }

    private String gone() {
        SoftDelete soft = plan.softDelete().orElse(null);
        if (side == Side.SOURCE || soft == null) {
            return "false";
        }
        return soft.isBoolean() ? "(" + Sql.quote(soft.column()) + " IS TRUE)" : "(" + Sql.quote(soft.column())
                + " IS NOT NULL)";
    }

    /** Every column as text, then the gone flag. */
    String selectList() {
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            cols.add("s." + alias(i, nKeys) + "::text");
        }
        cols.add("s.__gone");
        return String.join(", ", cols);
    }

    String orderBy() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            parts.add(KeyOrder.sortExpression(plan.keys().get(i), "s." + alias(i, nKeys)));
        }
        return String.join(", ", parts);
    }

    /** All rows in key order. */
    String ordered() {
        return "SELECT " + selectList() + " FROM " + projection() + " ORDER BY " + orderBy();
    }

    /** The expression that buckets a row by its first key column. */
    String bucketKey() {
        return KeyOrder.isNumeric(plan.keys().get(0)) ? "s.k0" : "(s.k0)::text COLLATE \"C\"";
    }

    /** The type segment boundaries are compared in: the first key's type when numeric, else text. */
    String boundaryType() {
        return KeyOrder.isNumeric(plan.keys().get(0)) ? plan.keys().get(0).targetType() : "text";
    }

    /** Boundaries of {@code segments} equal-sized segments of the first key, from a sample of the rows. */
    String boundaries(String sample) {
        return "SELECT percentile_disc(?::float8[]) WITHIN GROUP (ORDER BY " + bucketKey() + ")::text[] FROM "
                + projection(sample) + " WHERE s.k0 IS NOT NULL";
    }

    /**
     * An unambiguous text of the key and compared columns (length-prefixed, NULL marked),
     * normalised so values equal in the target type give equal text; the gone flag is
     * appended so soft-deleted rows always look changed (the merge then decides).
     */
    String rowText() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (i >= nKeys && !all.get(i).compared()) {
                continue;
            }
            String v = normalized(all.get(i), "s." + alias(i, nKeys));
            parts.add("coalesce(length(" + v + ")::text || ':' || " + v + ", 'N')");
        }
        parts.add("CASE WHEN s.__gone THEN 'g' ELSE '' END");
        return String.join(" || '|' || ", parts);
    }

    private static String normalized(ColumnMapping m, String alias) {
        return switch (ValueEquality.of(m)) {
            case NUMERIC -> "trim_scale(" + alias + ")::text";
            case FLOAT -> "(CASE WHEN " + alias + " = 0 THEN 0 ELSE " + alias + " END)::text";
            case TEXT -> alias + "::text";
        };
    }

    /** Per segment: row count and XOR of 64-bit row hashes. */
    String summary() {
        return "SELECT width_bucket(" + bucketKey() + ", ?::text[]::" + boundaryType() + "[]) AS seg, count(*),"
                + " bit_xor(hashtextextended(" + rowText() + ", 0)) FROM " + projection() + " GROUP BY 1";
    }

    /** Rows of the listed segments, in key order; ranges are [lo, hi) of the first key column, NULL unbounded. */
    String segments() {
        String type = boundaryType();
        String k = bucketKey();
        return "SELECT " + selectList() + " FROM " + projection()
                + " JOIN unnest(?::text[], ?::text[]) AS r(lo, hi)"
                + " ON (r.lo IS NULL OR " + k + " >= r.lo::" + type + ") AND (r.hi IS NULL OR " + k + " < r.hi::"
                + type + ") ORDER BY " + orderBy();
    }
}
