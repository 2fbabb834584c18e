package dev.recon.engines.duckdb;

import dev.recon.plan.MappingPlan;
import dev.recon.plan.SidePlan;
import dev.recon.plan.SoftDelete;
import dev.recon.spi.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mapping's DuckDB source: its table or file and, for every mapped column in the plan's
 * order (keys first), how it is read ({@link DuckDbValues}): by merge, or by the hash across
 * engines, its summaries computed in DuckDB as the other engines compute theirs.
 */
record DuckDbSide(Engine engine, DuckDbCatalog.Table table, List<DuckDbValues.Read> reads, List<String> names,
        int nKeys, String where) implements SidePlan {
    DuckDbSide {
        reads = List.copyOf(reads);
        names = List.copyOf(names);
    }

    /** The column of a table without a key that numbers the copies of equal rows. */
    private static final String COPY = "__copy";

    /** A table without a key (a multiset): every mapped column is a key part, then the copy number. */
    private boolean multiset() {
        return nKeys == 0;
    }

    /** Every read of the plan's order: with a multiset's copy number last. */
    private List<DuckDbValues.Read> all() {
        if (!multiset()) {
            return reads;
        }
        List<DuckDbValues.Read> out = new ArrayList<>(reads);
        out.add(new DuckDbValues.Read("CAST(" + COPY + " AS VARCHAR)", COPY + " NULLS LAST"));
        return out;
    }

    private int keyCount() {
        return multiset() ? reads.size() + 1 : nKeys;
    }

    /**
     * What the side reads from: its table or file; for a multiset, its rows (of the filter) each
     * with the number of its copy among the equal rows before it, as the other engines number them.
     */
    private String from() {
        if (!multiset()) {
            return table.relation();
        }
        return "(SELECT *, row_number() OVER (PARTITION BY " + String.join(", ", reads.stream()
                .map(DuckDbValues.Read::select).toList()) + ") AS " + COPY + " FROM " + table.relation()
                + (where == null ? "" : " WHERE (" + where + ")") + ") AS __rows";
    }

    /**
     * The side as the join reads it: every mapped column's canonical text ({@code v0}, … in the
     * plan's order, a multiset's copy number last) and {@code __in}, true on every row.
     */
    String joinRelation() {
        List<String> select = new ArrayList<>(List.of("true AS __in"));
        List<DuckDbValues.Read> all = all();
        for (int i = 0; i < all.size(); i++) {
            select.add(all.get(i).select() + " AS v" + i);
        }
        return "(SELECT " + String.join(", ", select) + " FROM " + from() + (filter() == null ? ""
                : " WHERE (" + filter() + ")") + ")";
    }

    @Override
    public DuckDbSide within(String condition) {
        return new DuckDbSide(engine, table, reads, names, nKeys, where == null ? condition
                : "(" + where + ") AND " + condition);
    }

    /** True for a file read as a table: no constraint proves its key unique. */
    boolean file() {
        return table.file();
    }

    /** The filter of the rows {@link #from} gives, or null. */
    private String filter() {
        return multiset() ? null : where;
    }

    /** How mapped column {@code i} is read (keys first). */
    DuckDbValues.Read read(int i) {
        return reads.get(i);
    }

    @Override
    public String sqlName() {
        return table.relation();
    }

    /**
     * Keys, the other columns and a gone flag (a source has none), in key order; only the rows of
     * {@code plan.onlyKeys()} when some are given, each key compared by the text its rule prints.
     */
    @Override
    public String ordered(MappingPlan plan) {
        String filter = filter() == null ? null : "(" + filter() + ")";
        if (!plan.onlyKeys().isEmpty()) {
            List<String> any = new ArrayList<>();
            for (Map<String, String> key : plan.onlyKeys()) {
                List<String> all = new ArrayList<>();
                for (int i = 0; i < keyCount(); i++) {
                    String v = key.get(plan.keys().get(i).targetColumn());
                    String sel = "(" + all().get(i).select() + ")";
                    all.add(v == null ? sel + " IS NULL" : sel + " = '" + v.replace("'", "''") + "'");
                }
                any.add("(" + String.join(" AND ", all) + ")");
            }
            String keys = String.join(" OR ", any);
            filter = filter == null ? keys : filter + " AND (" + keys + ")";
        }
        return select(filter);
    }

    /** Keys, the other columns and a gone flag (a source has none) of the rows {@code filter} keeps, in key order. */
    private String select(String filter) {
        List<String> select = new ArrayList<>();
        List<String> order = new ArrayList<>();
        List<DuckDbValues.Read> all = all();
        for (int i = 0; i < all.size(); i++) {
            select.add(all.get(i).select() + " AS v" + i);
            if (i < keyCount()) {
                order.add(all.get(i).order());
            }
        }
        select.add("false AS __gone");
        return "SELECT " + String.join(", ", select) + " FROM " + from()
                + (filter == null ? "" : " WHERE " + filter) + " ORDER BY " + String.join(", ", order);
    }

    /**
     * Column {@code i} as the hash across engines reads it: its read's text in UTF-8 as a token
     * that tells every row apart (byte length, a colon and the text; NULL as {@code N}), as the
     * other engines compute it.
     */
    private String token(int i) {
        String t = "(" + all().get(i).select() + ")";
        return "COALESCE(CAST(strlen(" + t + ") AS VARCHAR) || ':' || " + t + ", 'N')";
    }

    private String md5(List<Integer> indexes) {
        List<String> tokens = new ArrayList<>();
        for (int i : indexes) {
            tokens.add(token(i));
        }
        return "md5(" + String.join(" || ", tokens) + ")";
    }

    /** The first {@code digits} hex digits of an MD5 as an unsigned number. */
    private static String number(String md5, int digits) {
        return "CAST(('0x' || substr(" + md5 + ", 1, " + digits + ")) AS UBIGINT)";
    }

    /**
     * The bucket of a row under {@code mask}: with {@code integerKey} (one key column, an
     * integer) the key's own low bits (two's complement, as the other engines take them);
     * otherwise the first 32 bits of the MD5 of the key's tokens.
     */
    private String bucket(long mask, boolean integerKey) {
        if (integerKey) {
            // a NULL key's rows go with bucket 0, as on the other engines
            return "COALESCE(CAST(" + DuckDbCatalog.quote(column(0)) + " AS BIGINT) & " + mask + ", 0)";
        }
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < keyCount(); i++) {
            keys.add(i);
        }
        return "(" + number(md5(keys), 8) + " & " + mask + ")";
    }

    /** The table's name of mapped column {@code i}. */
    private String column(int i) {
        return table.column(names.get(i)).map(DuckDbCatalog.Column::name).orElse(names.get(i));
    }

    /**
     * Per bucket: the row count and the XOR of the rows' hashes (the first 64 bits of the MD5 of
     * the tokens of columns {@code hashed}, keys first), as unsigned decimal text.
     */
    @Override
    public String canonicalSummary(MappingPlan plan, long mask, boolean integerKey, List<Integer> hashed) {
        return "SELECT " + bucket(mask, integerKey) + " AS seg, COUNT(*), CAST(bit_xor(" + number(md5(hashed), 16)
                + ") AS VARCHAR) FROM " + from() + (filter() == null ? "" : " WHERE (" + filter() + ")")
                + " GROUP BY 1";
    }

    /** The rows of these buckets (under {@code mask}), as {@link #ordered} reads them, in key order. */
    @Override
    public String orderedInBuckets(MappingPlan plan, long mask, boolean integerKey, List<Long> buckets) {
        String in = bucket(mask, integerKey) + " IN (" + String.join(",", buckets.stream().map(String::valueOf)
                .toList()) + ")";
        return select(filter() == null ? in : "(" + filter() + ") AND " + in);
    }

    /**
     * A table's row count as DuckDB keeps it; a file, a glob or a view is not counted (that would
     * read it): 1, so that the hash sizes its buckets by the other side's estimate, never "empty".
     */
    @Override
    public long estimatedRows(Connection connection) throws SQLException {
        if (table.file()) {
            return 1;
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT estimated_size FROM duckdb_tables() WHERE"
                + " database_name = current_database() AND schema_name = ? AND table_name = ?")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 1;
            }
        }
    }

    /** Floats print otherwise than PostgreSQL prints them: the merge compares them by value. */
    @Override
    public List<String> notHashable() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
            if (reads.get(i).byValue()) {
                out.add(names.get(i) + " (" + table.column(names.get(i)).map(DuckDbCatalog.Column::type).orElse("")
                        + ", compared by value)");
            }
        }
        return out;
    }

    @Override
    public String isMarked(SoftDelete soft) {
        return "false";
    }
}
