package dev.recon.engines.postgres;

import dev.recon.diff.SideQuery;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.SoftDelete;
import dev.recon.sql.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * The set-based statements a sync writes with. Rows arrive as text in the target's types,
 * either as one {@code text[]} parameter per column ({@code unnest}) or in a staging table
 * filled by COPY; each statement casts them once, to the column's type without modifiers
 * ({@link dev.recon.plan.ValueType#writeType}), and the column's own assignment rules do the
 * rest: a value too long for {@code varchar(5)} or out of range for {@code smallint} fails
 * its row, where an explicit cast to the full type would cut it to fit.
 */
final class WriteStatements {
    private final MappingPlan plan;
    private final List<ColumnMapping> all;
    private final SoftDelete soft;
    /** {@link #guarded()}, computed once: every row of a batch asks for it. */
    private final List<Integer> guarded = new ArrayList<>();

    WriteStatements(MappingPlan plan) {
        this.plan = plan;
        this.all = plan.allColumns();
        this.soft = plan.softDelete().orElse(null);
        for (int i = plan.keys().size(); i < all.size(); i++) {
            if (!all.get(i).isCopyNumber()) {
                guarded.add(i);
            }
        }
    }

    /** {@code unnest(?::text[], ...) AS u(v0, ...)} over {@code n} columns. */
    static String unnest(int n) {
        List<String> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            params.add("?::text[]");
            names.add("v" + i);
        }
        return "unnest(" + String.join(", ", params) + ") AS u(" + String.join(", ", names) + ")";
    }

    /** The staging table of a relation of {@code width} text values and the row's number ({@code n}). */
    static String stagingTable(int width) {
        return "recon_stage_" + width;
    }

    static String createStaging(int width) {
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            cols.add("v" + i + " text");
        }
        cols.add("n bigint");
        return "CREATE TEMP TABLE IF NOT EXISTS " + stagingTable(width) + " (" + String.join(", ", cols)
                + ") ON COMMIT DELETE ROWS";
    }

    static String copyIntoStaging(int width) {
        return "COPY " + stagingTable(width) + " FROM STDIN (FORMAT text)";
    }

    /**
     * The body of the CTE {@code u} a guarded statement reads its rows from: {@code width}
     * text values {@code v0...} and the row's number in the batch {@code n} (from 1), from the
     * staging table or from one {@code text[]} parameter per value.
     */
    static String rows(int width, boolean staged) {
        if (staged) {
            return "SELECT * FROM " + stagingTable(width);
        }
        List<String> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            params.add("?::text[]");
            names.add("v" + i);
        }
        names.add("n");
        return "SELECT * FROM unnest(" + String.join(", ", params) + ") WITH ORDINALITY AS x(" + String.join(", ", names)
                + ")";
    }

    /**
     * The columns an update or a delete finds as recon read them before it writes: every mapped
     * column but the keys, compared or only written (indexes in {@code allColumns}). Their values as recon
     * read them follow the row's own in {@code u}, then, with a soft delete, whether the row was
     * marked.
     */
    List<Integer> guarded() {
        return guarded;
    }

    /** How many values the guard adds to a row of {@code u}. */
    int guardWidth() {
        return guarded().size() + (soft != null ? 1 : 0);
    }

    /**
     * True when the target row {@code t} still holds what recon compared, given as text from
     * {@code u.v<offset>} on: each guarded column's value byte for byte as recon read it (a
     * NULL as NULL), and with a soft delete whether it is marked.
     */
    private String guard(int offset) {
        List<String> parts = new ArrayList<>();
        int j = offset;
        for (int i : guarded()) {
            ColumnMapping m = all.get(i);
            parts.add(ColumnMapping.asText(m.targetValue("t")) + " IS NOT DISTINCT FROM u.v" + j++);
        }
        if (soft != null) {
            parts.add("(t." + Sql.quote(soft.column()) + (soft.isBoolean() ? " IS TRUE" : " IS NOT NULL")
                    + ")::text = u.v" + j);
        }
        return parts.isEmpty() ? "true" : String.join(" AND ", parts);
    }

    /**
     * Inserts of rows absent when recon read the target; a row of the same key inserted since
     * is left as it is ({@code ON CONFLICT DO NOTHING}). Returns one row: how many were inserted,
     * and, when some were not, the numbers of those whose key the target held when the
     * statement began (inserted meanwhile; the others a trigger or a rule skipped).
     */
    String guardedInsert(String rows) {
        List<String> cols = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            cols.add(Sql.quote(all.get(i).targetColumn()));
            values.add("u.v" + i + "::" + all.get(i).type().writeType());
        }
        if (soft != null) {
            cols.add(Sql.quote(soft.column()));
            values.add(soft.liveValue());
        }
        String table = plan.targetTable().sqlName();
        String keys = String.join(", ", plan.keys().stream().map(k -> Sql.quote(k.targetColumn())).toList());
        // the source's values are written as they are, an identity column's too (GENERATED ALWAYS refuses them otherwise)
        return "WITH u AS MATERIALIZED (" + rows + "), w AS (INSERT INTO " + table + " (" + String.join(", ", cols)
                + ") OVERRIDING SYSTEM VALUE SELECT " + String.join(", ", values) + " FROM u ON CONFLICT (" + keys + ") DO NOTHING RETURNING 1)"
                + " SELECT (SELECT count(*) FROM w), CASE WHEN (SELECT count(*) FROM w) < (SELECT count(*) FROM u)"
                + " THEN (SELECT array_agg(u.n) FROM u WHERE EXISTS (SELECT 1 FROM " + table + " AS t WHERE "
                + keyMatch(false) + ")) END";
    }

    /**
     * Updates of the rows that still hold what recon compared ({@link #guard}), by key (with
     * {@code nullSafe}, NULL key parts match NULLs); {@code u} holds the source values, then
     * the guard's. Returns a row for each one not updated: its number, and whether the target
     * row held what recon compared when the statement began (true: a trigger or a rule skipped
     * it; false: it changed meanwhile).
     */
    String guardedUpdate(String rows, boolean nullSafe) {
        List<String> sets = new ArrayList<>();
        int nKeys = plan.keys().size();
        for (int i = nKeys; i < all.size(); i++) {
            sets.add(Sql.quote(all.get(i).targetColumn()) + " = u.v" + i + "::" + all.get(i).type().writeType());
        }
        if (soft != null) {
            sets.add(Sql.quote(soft.column()) + " = " + soft.liveValue());
        }
        String where = keyMatch(nullSafe) + " AND " + guard(all.size()) + inSlice();
        return "WITH u AS MATERIALIZED (" + rows + "), w AS (UPDATE " + plan.targetTable().sqlName() + " AS t SET "
                + String.join(", ", sets) + " FROM u WHERE " + where + " RETURNING u.n)" + leftAlone(where);
    }

    /**
     * Deletes (or soft-deletes) of the rows that still hold what recon compared, by key;
     * {@code u} holds the keys, then the guard's values. Returns what {@link #guardedUpdate} does.
     */
    String guardedDelete(boolean nullSafe) {
        String table = plan.targetTable().sqlName();
        String where = keyMatch(nullSafe) + " AND " + guard(plan.keys().size()) + inSlice();
        String write = soft != null
                ? "UPDATE " + table + " AS t SET " + Sql.quote(soft.column()) + " = " + soft.markValue() + " FROM u"
                : "DELETE FROM " + table + " AS t USING u";
        return "WITH u AS MATERIALIZED (" + rows(plan.keys().size() + guardWidth(), false) + "), w AS (" + write
                + " WHERE " + where + " RETURNING u.n)" + leftAlone(where);
    }

    /**
     * The numbers of the rows of {@code u} ({@code width} values: the keys first, the guard's
     * from {@code guardOffset}) whose target row holds what recon read, in a snapshot of its
     * own: asked, after a guarded statement, of the rows it left alone although they held when
     * it began (a transaction that changed them was still open then).
     */
    String stillHold(int width, int guardOffset, boolean nullSafe) {
        return "WITH u AS MATERIALIZED (" + rows(width, false) + ") SELECT u.n FROM u WHERE EXISTS (SELECT 1 FROM "
                + plan.targetTable().sqlName() + " AS t WHERE " + keyMatch(nullSafe) + " AND " + guard(guardOffset)
                + ")";
    }

    /**
     * The mapping's target slice ({@code target.where}) holds for target row {@code t}: a row
     * that left it since recon read it is not written. The condition sees the row's columns alone
     * (a subquery of {@code t}), never the statement's own.
     */
    private String inSlice() {
        // named as the table, so that a condition written with the table's name reads the row
        return plan.targetWhere().map(w -> " AND EXISTS (SELECT 1 FROM (SELECT t.*) AS " + Sql.quote(plan.targetTable()
                .name()) + " WHERE (" + w + "))").orElse("");
    }

    /** The rows of {@code u} the statement {@code w} did not write, each with whether {@code where} held before it. */
    private String leftAlone(String where) {
        return " SELECT u.n, EXISTS (SELECT 1 FROM " + plan.targetTable().sqlName() + " AS t WHERE " + where
                + ") FROM u WHERE u.n NOT IN (SELECT w.n FROM w)";
    }

    /** How many leading values of a row are written: all, but a multiset's copy number, which is no column. */
    int writtenValues() {
        return plan.multiset() ? all.size() - 1 : all.size();
    }

    /** COPY straight into the target's mapped columns (the soft-delete marker keeps its default). */
    String copyIntoTarget() {
        List<String> cols = new ArrayList<>();
        for (ColumnMapping m : all.subList(0, writtenValues())) {
            cols.add(Sql.quote(m.targetColumn()));
        }
        return "COPY " + plan.targetTable().sqlName() + " (" + String.join(", ", cols) + ") FROM STDIN (FORMAT text)";
    }

    /** A multiset's missing copies: plain inserts of the mapped columns; returns nothing (count the rows affected). */
    String insertCopies(String from) {
        List<String> cols = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < writtenValues(); i++) {
            cols.add(Sql.quote(all.get(i).targetColumn()));
            values.add("u.v" + i + "::" + all.get(i).type().writeType());
        }
        return "INSERT INTO " + plan.targetTable().sqlName() + " (" + String.join(", ", cols)
                + ") OVERRIDING SYSTEM VALUE SELECT " + String.join(", ", values) + " FROM " + from;
    }

    /**
     * A multiset's surplus copies (one {@code text[]} parameter per mapped column): for each
     * distinct row of the batch, as many of its copies as the batch holds deletes of it,
     * whichever they are (equal rows are interchangeable), by {@code tableoid} and {@code ctid}. Rows are told
     * equal as the diff numbered their copies, so batches and their halves may be applied in
     * any order. Returns the number deleted.
     */
    String deleteCopies() {
        List<ColumnMapping> parts = plan.keyColumns();
        List<String> x = new ArrayList<>();
        List<String> d = new ArrayList<>();
        List<String> group = new ArrayList<>();
        List<String> on = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            ColumnMapping m = parts.get(i);
            x.add(m.comparable(m.targetValue()) + " AS w" + i);
            d.add((m.byText() ? "u.v" + i : "u.v" + i + "::" + m.type().compareType()) + " AS g" + i);
            group.add(String.valueOf(i + 1));
            on.add(SideQuery.nullSafeMatch(m, "x.w" + i, "d.g" + i));
        }
        String table = plan.targetTable().sqlName();
        // a row is its table's (a partition's) and its ctid there: ctids repeat across partitions
        return "DELETE FROM " + table + " AS t USING (SELECT x.__tab, x.__id FROM (SELECT tableoid AS __tab,"
                + " ctid AS __id, " + plan.keys().get(parts.size()).targetValue() + " AS __rn, " + String.join(", ", x)
                + " FROM " + table + ") AS x JOIN (SELECT " + String.join(", ", d) + ", count(*) AS __m FROM "
                + unnest(parts.size()) + " GROUP BY " + String.join(", ", group) + ") AS d ON "
                + String.join(" AND ", on) + " WHERE x.__rn <= d.__m) AS g WHERE t.tableoid = g.__tab"
                + " AND t.ctid = g.__id";
    }

    private String keyMatch(boolean nullSafe) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < plan.keys().size(); i++) {
            ColumnMapping k = plan.keys().get(i);
            parts.add("t." + Sql.quote(k.targetColumn()) + (nullSafe ? " IS NOT DISTINCT FROM " : " = ") + "u.v" + i
                    + "::" + k.type().writeType());
        }
        return String.join(" AND ", parts);
    }
}
