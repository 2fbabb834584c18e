package dev.recon.engines.postgres;

import dev.recon.config.Operation;
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

    WriteStatements(MappingPlan plan) {
        this.plan = plan;
        this.all = plan.allColumns();
        this.soft = plan.softDelete().orElse(null);
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

    String stagingTable() {
        return "recon_stage_" + all.size();
    }

    String createStaging() {
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            cols.add("v" + i + " text");
        }
        return "CREATE TEMP TABLE IF NOT EXISTS " + stagingTable() + " (" + String.join(", ", cols)
                + ") ON COMMIT DELETE ROWS";
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

    String copyIntoStaging() {
        return "COPY " + stagingTable() + " FROM STDIN (FORMAT text)";
    }

    /**
     * Inserts and updates in one statement; returns (inserted, updated) as counted by the
     * database. When updates are skipped, existing rows are left alone.
     */
    String upsert(String from) {
        List<String> cols = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            cols.add(Sql.quote(all.get(i).targetColumn()));
            values.add("u.v" + i + "::" + all.get(i).type().writeType());
        }
        List<String> sets = new ArrayList<>();
        for (ColumnMapping m : plan.columns()) {
            sets.add(Sql.quote(m.targetColumn()) + " = EXCLUDED." + Sql.quote(m.targetColumn()));
        }
        if (soft != null) {
            cols.add(Sql.quote(soft.column()));
            values.add(soft.liveValue());
            sets.add(Sql.quote(soft.column()) + " = EXCLUDED." + Sql.quote(soft.column()));
        }
        String keys = String.join(", ", plan.keys().stream().map(k -> Sql.quote(k.targetColumn())).toList());
        String conflict = !plan.applies(Operation.UPDATE) || sets.isEmpty() ? "DO NOTHING"
                : "DO UPDATE SET " + String.join(", ", sets);
        return "WITH w AS (INSERT INTO " + plan.targetTable().sqlName() + " (" + String.join(", ", cols) + ") SELECT "
                + String.join(", ", values) + " FROM " + from + " ON CONFLICT (" + keys + ") " + conflict
                + " RETURNING (xmax = 0) AS inserted) "
                + "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM w";
    }

    /** A multiset's missing copies: plain inserts of the mapped columns; returns nothing (count the rows affected). */
    String insertCopies(String from) {
        List<String> cols = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < writtenValues(); i++) {
            cols.add(Sql.quote(all.get(i).targetColumn()));
            values.add("u.v" + i + "::" + all.get(i).type().writeType());
        }
        return "INSERT INTO " + plan.targetTable().sqlName() + " (" + String.join(", ", cols) + ") SELECT "
                + String.join(", ", values) + " FROM " + from;
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

    /** Updates of existing rows only (inserts are skipped); returns the number updated. */
    String updateOnly(String from) {
        return updateOnly(from, false);
    }

    /** The same; with {@code nullSafe}, key NULLs match NULLs (for the rows whose key holds one). */
    String updateOnly(String from, boolean nullSafe) {
        List<String> sets = new ArrayList<>();
        int nKeys = plan.keys().size();
        for (int i = nKeys; i < all.size(); i++) {
            sets.add(Sql.quote(all.get(i).targetColumn()) + " = u.v" + i + "::" + all.get(i).type().writeType());
        }
        if (soft != null) {
            sets.add(Sql.quote(soft.column()) + " = " + soft.liveValue());
        }
        return "UPDATE " + plan.targetTable().sqlName() + " AS t SET " + String.join(", ", sets) + " FROM " + from
                + " WHERE " + keyMatch(nullSafe);
    }

    /** Deletes (or soft-deletes) by key; returns the number of rows affected. */
    String delete() {
        return delete(false);
    }

    /** The same; with {@code nullSafe}, key NULLs match NULLs. */
    String delete(boolean nullSafe) {
        String from = unnest(plan.keys().size());
        if (soft != null) {
            return "UPDATE " + plan.targetTable().sqlName() + " AS t SET " + Sql.quote(soft.column()) + " = "
                    + soft.markValue() + " FROM " + from + " WHERE " + keyMatch(nullSafe);
        }
        return "DELETE FROM " + plan.targetTable().sqlName() + " AS t USING " + from + " WHERE " + keyMatch(nullSafe);
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
