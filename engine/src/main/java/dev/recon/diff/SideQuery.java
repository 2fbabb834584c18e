package dev.recon.diff;

import dev.recon.base.Side;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.SoftDelete;
import dev.recon.plan.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The SQL that reads one side for the cross-server strategies. Both sides project their rows
 * to the target's column types under the same aliases ({@code k0..}, {@code c0..}), so the
 * two servers print, sort and hash equal values alike.
 */
public final class SideQuery {
    private final MappingPlan plan;
    private final Side side;
    private final List<ColumnMapping> all;
    private final int nKeys;

    public SideQuery(MappingPlan plan, Side side) {
        this.plan = plan;
        this.side = side;
        this.all = plan.allColumns();
        this.nKeys = plan.keys().size();
    }

    public static String alias(int index, int nKeys) {
        return index < nKeys ? "k" + index : "c" + (index - nKeys);
    }

    /** {@code (SELECT ... FROM table [WHERE filter]) AS s}: every column cast to its target type. */
    public String projection() {
        return projection("");
    }

    /** True when this side's relation can be read through {@code TABLESAMPLE} (not a view). */
    public boolean sampleable() {
        return (side == Side.SOURCE ? plan.sourceTable() : plan.targetTable()).sampleable();
    }

    /**
     * The same, reading the table through {@code sample} when not empty: a {@code TABLESAMPLE}
     * clause, or a {@code WHERE} condition of its own (for a view).
     */
    public String projection(String sample) {
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ColumnMapping m = all.get(i);
            String a = alias(i, nKeys);
            cols.add((side == Side.SOURCE ? m.sourceValue() : m.targetValue()) + " AS " + a);
            if (m.unfit().isPresent()) {
                // a source value that does not fit the target type: NULL above, flagged and kept as text here
                cols.add((side == Side.SOURCE ? m.unfit().get() : "false") + " AS __u" + a);
                cols.add((side == Side.SOURCE ? m.sourceText() : "NULL::text") + " AS __x" + a);
            }
        }
        cols.add(gone() + " AS __gone");
        for (int i = 0; i < nKeys; i++) {
            if (rawKey(i)) {
                cols.add(all.get(i).sourceSql() + " AS __rk" + i);
            }
        }
        String table = (side == Side.SOURCE ? plan.sourceTable().sqlName() : plan.targetTable().sqlName())
                + (sample.isEmpty() ? "" : " " + sample);
        String where = (side == Side.SOURCE ? plan.sourceFilter() : plan.targetFilter()).map(w -> " WHERE (" + w + ")")
                .orElse("");
        String keys = plan.keyFilter(side == Side.SOURCE);
        if (keys != null) {
            where = where.isEmpty() ? " WHERE " + keys : where + " AND " + keys;
        }
        if (sample.startsWith("WHERE ")) {
            table = (side == Side.SOURCE ? plan.sourceTable().sqlName() : plan.targetTable().sqlName());
            where = where.isEmpty() ? " " + sample : where + " AND " + sample.substring("WHERE ".length());
        }
        return "(SELECT " + String.join(", ", cols) + " FROM " + table + where + ") AS s";
    }

    private String gone() {
        SoftDelete soft = plan.softDelete().orElse(null);
        if (side == Side.SOURCE || soft == null) {
            return "false";
        }
        return soft.isMarked();
    }

    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

    /**
     * True when key column {@code i} is a source column of one integer type mapped to another
     * ({@code integer} to {@code bigint}, say): its cast would hide it from its index, while
     * PostgreSQL compares integer types with one another directly and exactly, so predicates
     * on the key use the column as it is ({@code __rk<i>}). (A narrower target type's values
     * that do not fit keep their place in this order too.)
     */
    private boolean rawKey(int i) {
        ColumnMapping k = plan.keys().get(i);
        return side == Side.SOURCE && !k.sourceIsExpression() && !k.sourceType().equals(k.type().compareType())
                && INTEGER_TYPES.contains(k.sourceType()) && INTEGER_TYPES.contains(k.type().compareType());
    }

    /** What predicates on key column {@code i} compare: the column itself where an index can serve them. */
    private String keyRef(int i) {
        return rawKey(i) ? "s.__rk" + i : "s." + alias(i, nKeys);
    }

    /** A narrow key range (parameters: lower and upper boundary), for asking the planner how it reads one. */
    public String rangeProbe() {
        String t = boundaryType();
        return "SELECT 1 FROM " + projection() + " WHERE " + keyRef(0) + " >= ?::" + t + " AND " + keyRef(0) + " < ?::"
                + t;
    }

    /** The first key's column name in its table (for the planner's statistics); null for an expression. */
    public String firstKeyColumn() {
        ColumnMapping k = plan.keys().get(0);
        if (side == Side.TARGET) {
            return k.targetColumn();
        }
        return k.sourceIsExpression() ? null
                : plan.sourceTable().column(k.sourceLabel()).map(c -> c.name()).orElse(null);
    }

    /** Every column as text, then the gone flag. */
    String selectList() {
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            cols.add(text(i));
        }
        cols.add("s.__gone");
        return String.join(", ", cols);
    }

    /** Column {@code i} as text: as the target type prints it, or, when it does not fit, as the source has it. */
    public String text(int i) {
        String a = alias(i, nKeys);
        return all.get(i).unfit().isPresent() ? "CASE WHEN s.__u" + a + " THEN s.__x" + a + " ELSE s." + a + "::text END"
                : "s." + a + "::text";
    }

    String orderBy() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            parts.add(KeyOrder.sortExpression(plan.keys().get(i), keyRef(i)));
        }
        return String.join(", ", parts);
    }

    /** All rows in key order. */
    public String ordered() {
        return "SELECT " + selectList() + " FROM " + projection() + " ORDER BY " + orderBy();
    }

    /**
     * Column {@code i} as the hash across engines reads it ({@code dev.recon.diff.hash.EngineHashDiff}):
     * the text the merge compares, but a {@code real} as the double it holds
     * ({@code 0.10000000149011612}), as the canonical text of a 4-byte float is on every engine.
     */
    public String canonicalText(int i) {
        ColumnMapping m = all.get(i);
        String a = "s." + alias(i, nKeys);
        return m.type().kind() == ValueType.Kind.FLOAT && m.type().compareType().equals("real")
                ? a + "::float8::text" : text(i);
    }

    /**
     * The bucket of a row across engines, under {@code mask}: with {@code integerKey} (one key
     * column, an integer) the key's own low bits; otherwise the first 32 bits of the MD5 of its
     * key's canonical tokens ({@link #canonicalTokens}), as every engine's side computes it.
     */
    public String canonicalBucket(long mask, boolean integerKey) {
        if (integerKey) {
            // a NULL key's rows go with bucket 0, on both sides
            return "coalesce(s." + alias(0, nKeys) + "::bigint & " + mask + ", 0)";
        }
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            keys.add(i);
        }
        return "(('x' || substr(md5(convert_to(" + canonicalTokens(keys) + ", 'UTF8')), 1, 8))::bit(32)::int::bigint & "
                + mask + ")";
    }

    /** The first 64 bits of the MD5 of the canonical tokens of columns {@code hashed} (keys first). */
    public String canonicalRowHash(List<Integer> hashed) {
        return "('x' || substr(md5(convert_to(" + canonicalTokens(hashed) + ", 'UTF8')), 1, 16))::bit(64)::bigint";
    }

    /**
     * Columns {@code indexes} as one text that tells every row apart: each value as its byte
     * length, a colon and its text, NULL as {@code N}.
     */
    private String canonicalTokens(List<Integer> indexes) {
        List<String> tokens = new ArrayList<>();
        for (int i : indexes) {
            String t = canonicalText(i);
            tokens.add("coalesce(octet_length(" + t + ")::text || ':' || " + t + ", 'N')");
        }
        return "(" + String.join(" || ", tokens) + ")";
    }

    /** Per key-hash bucket across engines: the row count and the XOR of the row hashes, soft-deleted rows left out. */
    public String canonicalSummary(long mask, boolean integerKey, List<Integer> hashed) {
        return "SELECT " + canonicalBucket(mask, integerKey) + " AS seg, count(*), bit_xor(" + canonicalRowHash(hashed) + ") FROM "
                + projection() + live("WHERE") + " GROUP BY 1";
    }

    /** Every column of the rows in these buckets (under {@code mask}), as {@link #ordered} reads them, in key order. */
    public String orderedInBuckets(long mask, boolean integerKey, List<Long> buckets) {
        String list = String.join(",", buckets.stream().map(String::valueOf).toList());
        return "SELECT " + selectList() + " FROM " + projection() + " WHERE " + canonicalBucket(mask, integerKey)
                + " = ANY('{"
                + list + "}'::bigint[]) ORDER BY " + orderBy();
    }

    /** True when segments are key ranges (numeric first key); otherwise they are key-hash buckets. */
    public boolean rangeSegments() {
        return KeyOrder.isRangeable(plan.keys().get(0));
    }

    /** The first key's type, which range boundaries are compared in. */
    String boundaryType() {
        return plan.keys().get(0).type().compareType();
    }

    /** Boundaries of equal-sized key ranges, from a sample of the rows. */
    public String boundaries(String sample) {
        return "SELECT percentile_disc(?::float8[]) WITHIN GROUP (ORDER BY s.k0)::text[] FROM "
                + projection(sample) + " WHERE s.k0 IS NOT NULL";
    }

    /** The segment of a row: its key range (binary search in the bound array), or a bucket of its key's hash. */
    private String segment() {
        // keyRef, as the range predicates: every form puts a row in the same segment (a source key
        // that does not fit the target's type too, where the cast would make it NULL)
        return rangeSegments() ? "width_bucket(" + keyRef(0) + ", ?::text[]::" + boundaryType() + "[])"
                : "(hashtextextended(s.k0::text, 0) & ?::bigint)";
    }

    /**
     * A 64-bit hash of the key and compared columns: each column hashed by its type's own hash
     * function ({@code hash_record_extended}), which hashes equal values alike (numeric 1.5 and
     * 1.50, float -0 and 0, one instant in any time zone) and never converts to text; a type
     * without one, or whose hash differs between servers (enums hash their oids), by its text.
     * Numbers add what their hash functions do not tell apart (NULL from zero, NaN and the
     * infinities from one another). A source value that does not fit adds its flag. The
     * gone flag is included, so
     * soft-deleted rows always look changed (the merge then decides).
     */
    String rowHash() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ColumnMapping m = all.get(i);
            if (i >= nKeys && !m.compared()) {
                continue;
            }
            String alias = "s." + alias(i, nKeys);
            boolean byText = m.type().hashByText() || m.type().equality() == ValueType.Equality.TEXT;
            parts.add(m.byText() ? ColumnMapping.asText(alias) : byText ? alias + "::text" : alias);
            // numeric NaN and the infinities hash to 0, as do float zeros, and so does NULL; and
            // PostgreSQL's numeric hash leaves out the sign (-5 hashes as 5, and so would sign()'s
            // -1 as 1): a NULL flag, a negative flag and a NaN flag keep them apart
            switch (m.type().kind()) {
                // numeric(p,s) holds no infinities: the NULL flag keeps NaN apart from NULL
                case NUMERIC -> parts.add(m.type().compareType().equals("numeric")
                        ? "(" + alias + " IS NULL), (" + alias + " < 0), (" + alias + " = 'NaN'::numeric)"
                        : "(" + alias + " IS NULL), (" + alias + " < 0)");
                case FLOAT -> parts.add("(" + alias + " IS NULL)");
                default -> {
                }
            }
            if (m.unfit().isPresent()) {
                parts.add("s.__u" + alias(i, nKeys));
            }
        }
        parts.add("s.__gone");
        return "hash_record_extended(ROW(" + String.join(", ", parts) + "), 0)";
    }

    /**
     * A condition leaving out soft-deleted target rows (after {@code keyword}), or nothing: in
     * the summaries a soft-deleted row counts as absent, as its missing source row is, so a
     * converged soft-delete mapping compares equal segment by segment. (The second level
     * still reads them: a source row that brings one back is a revival.)
     */
    private String live(String keyword) {
        return side == Side.TARGET && plan.softDelete().isPresent() ? " " + keyword + " NOT s.__gone" : "";
    }

    /** The whole side: row count and XOR of 64-bit row hashes (0 for no row), soft-deleted rows left out. */
    public String wholeSummary() {
        return "SELECT count(*), coalesce(bit_xor(" + rowHash() + "), 0) FROM " + projection() + live("WHERE");
    }

    /** The key columns and row hash of every row, soft-deleted ones too, in key order (no parameter). */
    public String allKeyHashes() {
        return "SELECT " + keyHashColumns() + " FROM " + projection() + " ORDER BY " + orderBy();
    }

    /** Per segment: row count and XOR of 64-bit row hashes; one parameter (boundaries or hash mask). */
    public String summary() {
        return "SELECT " + segment() + " AS seg, count(*), bit_xor(" + rowHash() + ") FROM "
                + projection() + live("WHERE") + " GROUP BY 1";
    }

    /**
     * The same summary for range segments (the same parameter, the same segment numbers), as
     * one index range scan and plain aggregate per segment instead of a hash aggregate over a
     * full scan: cheaper when the table's rows lie in key order (PostgreSQL's hash aggregate
     * costs about half the floor's work again), ruinous when they do not.
     */
    public String rangeSummary() {
        // needs at least one boundary (segment 0 is below the first): HashDiff uses it only then
        String t = boundaryType();
        String agg = "count(*) AS c, bit_xor(" + rowHash() + ") AS x";
        String k = keyRef(0);
        String live = live("AND");
        return "WITH b AS MATERIALIZED (SELECT ?::text[]::" + t + "[] AS b) "
                + "SELECT 0 AS seg, " + agg + " FROM " + projection() + ", b WHERE " + k + " < b.b[1]" + live
                + " HAVING count(*) > 0"
                + " UNION ALL SELECT g.i, a.c, a.x FROM b, generate_series(1, cardinality(b.b) - 1) AS g(i)"
                + " CROSS JOIN LATERAL (SELECT " + agg + " FROM " + projection()
                + " WHERE " + k + " >= b.b[g.i] AND " + k + " < b.b[g.i + 1]" + live + ") AS a WHERE a.c > 0"
                + " UNION ALL SELECT max(cardinality(b.b)), " + agg + " FROM " + projection()
                + ", b WHERE " + k + " >= b.b[cardinality(b.b)]" + live + " HAVING count(*) > 0"
                + " UNION ALL SELECT NULL, " + agg + " FROM " + projection() + " WHERE " + k + " IS NULL" + live
                + " HAVING count(*) > 0";
    }

    /**
     * {@code cols} of the rows in the differing key ranges, in key order. Parameters: lo[] and
     * hi[] of bounded ranges [lo, hi), the upper bound of the first open range (k &lt; ?) and
     * the lower bound of the last (k &gt;= ?), NULL when that end does not differ. Each arm is an
     * index range scan.
     */
    public String rangeRows(String cols) {
        String t = boundaryType();
        String k = keyRef(0);
        String all = cols + ", " + orderColumns();
        return "SELECT * FROM (SELECT " + all + " FROM " + projection()
                + " JOIN unnest(?::text[], ?::text[]) AS r(lo, hi) ON " + k + " >= r.lo::" + t + " AND " + k + " < r.hi::"
                + t + " UNION ALL SELECT " + all + " FROM " + projection() + " WHERE " + k + " < ?::" + t
                + " UNION ALL SELECT " + all + " FROM " + projection() + " WHERE " + k + " >= ?::" + t + ") AS u"
                + " ORDER BY " + orderAliases();
    }

    /**
     * {@code cols} of the rows in the given range segments (parameters: the boundaries, as for
     * the summary, and the segment numbers), in key order: one sequential scan, for a side
     * whose key no index serves.
     */
    public String segmentRows(String cols) {
        return "SELECT " + cols + " FROM " + projection() + " WHERE width_bucket(" + keyRef(0) + ", ?::text[]::"
                + boundaryType()
                + "[]) = ANY(?::integer[]) ORDER BY " + orderBy();
    }

    /** {@code cols} of the rows whose key hashes into a differing bucket (parameters: mask, bucket[]), in key order. */
    public String bucketRows(String cols) {
        return "SELECT " + cols + " FROM " + projection() + " WHERE (hashtextextended(s.k0::text, 0) & ?::bigint)"
                + " = ANY(?::bigint[]) ORDER BY " + orderBy();
    }

    /** The key columns as text, then the row hash: what the second level of the hash strategy reads. */
    public String keyHashColumns() {
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            cols.add(text(i));
        }
        cols.add(rowHash());
        return String.join(", ", cols);
    }

    /** Every column of the rows with the given keys (one text[] parameter per key column), in key order. */
    public String rowsForKeys() {
        return rowsForKeys(false);
    }

    /**
     * The same; with {@code nullSafe}, keys with NULLs match NULLs ({@code IS NOT DISTINCT
     * FROM}, which no index serves: for the few keys that hold a NULL).
     */
    public String rowsForKeys(boolean nullSafe) {
        List<String> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> on = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            ColumnMapping k = plan.keys().get(i);
            params.add("?::text[]");
            names.add("v" + i);
            // the source's raw key in its own type: a value that does not fit the target's is looked up as it is;
            // a key compared by its text (a keyless table's jsonb, interval...) by that text
            String value = k.byText() ? "u.v" + i
                    : "u.v" + i + "::" + (rawKey(i) ? k.sourceType() : k.type().compareType());
            on.add(k.comparable(keyRef(i)) + (nullSafe ? " IS NOT DISTINCT FROM " : " = ") + value);
        }
        return "SELECT " + selectList() + " FROM " + projection() + " JOIN unnest(" + String.join(", ", params)
                + ") AS u(" + String.join(", ", names) + ") ON " + String.join(" AND ", on) + " ORDER BY " + orderBy();
    }

    private String orderColumns() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            parts.add(KeyOrder.sortExpression(plan.keys().get(i), keyRef(i)) + " AS __o" + i);
        }
        return String.join(", ", parts);
    }

    private String orderAliases() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            parts.add("__o" + i);
        }
        return String.join(", ", parts);
    }

    /**
     * A source value as the join compares it: under the target column's collation, as the
     * target's unique index compares keys (and so that two columns of different collations
     * can be compared at all).
     */
    public static String joinValue(ColumnMapping m) {
        return m.targetCollation() == null ? m.sourceValue() : "(" + m.sourceValue() + ") COLLATE " + m.targetCollation();
    }

    /** What the column's equality compares: the value, or its text for a type without equality. */
    public static String comparable(ColumnMapping m, String ref) {
        return m.comparable(ref);
    }

    /**
     * {@code a} and {@code b} (two values of the column in its comparable form) are equal or
     * both NULL, written so that a hash or merge join can use it, unlike {@code IS NOT DISTINCT
     * FROM}: a NULL flag and a stand-in value.
     */
    public static String nullSafeMatch(ColumnMapping m, String a, String b) {
        boolean number = switch (m.type().kind()) {
            case INTEGER, NUMERIC, FLOAT -> true;
            default -> false;
        };
        String av = number ? "coalesce(" + a + ", 0)" : "coalesce(" + a + "::text, '')";
        String bv = number ? "coalesce(" + b + ", 0)" : "coalesce(" + b + "::text, '')";
        return "(" + a + " IS NULL) = (" + b + " IS NULL) AND " + av + " = " + bv;
    }
}
