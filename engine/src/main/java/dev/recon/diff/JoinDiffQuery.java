package dev.recon.diff;

import dev.recon.config.Operation;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.SoftDelete;
import dev.recon.plan.SyncPlan;
import dev.recon.sql.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the FULL OUTER JOIN diff query. Both sides are projected to the target's column
 * types ({@code s.k0}, {@code s.c0} ... aliases), so numeric scale, timestamp precision and
 * NULLs compare as the target stores them. Result columns: in_source, in_target, gone (soft
 * deleted), then source values, target values (as text), then one IS DISTINCT FROM flag per
 * compared column.
 */
final class JoinDiffQuery {
    private JoinDiffQuery() {
    }

    /** The query, or null when the mapping's skip flags leave nothing to find. */
    static String build(SyncPlan plan) {
        List<ColumnMapping> all = plan.allColumns();
        int nKeys = plan.keys().size();
        List<String> sourceSelect = new ArrayList<>();
        List<String> targetSelect = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ColumnMapping m = all.get(i);
            String alias = alias(i, nKeys);
            sourceSelect.add("(" + m.sourceSql() + ")::" + m.targetType() + " AS " + alias);
            targetSelect.add(Sql.quote(m.targetColumn()) + " AS " + alias);
        }
        SoftDelete soft = plan.softDelete().orElse(null);
        targetSelect.add((soft == null ? "false" : soft.isMarked()) + " AS __gone");

        List<String> on = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            on.add("s." + alias(i, nKeys) + " = t." + alias(i, nKeys));
        }
        List<String> compared = new ArrayList<>();
        for (int i = nKeys; i < all.size(); i++) {
            if (all.get(i).compared()) {
                compared.add(alias(i, nKeys));
            }
        }

        List<String> when = new ArrayList<>();
        if (plan.applies(Operation.INSERT)) {
            when.add("t.__r IS NULL");
        }
        if (JoinDiff.deletesApply(plan)) {
            when.add("(s.__r IS NULL AND NOT t.__gone)");
        }
        if (plan.applies(Operation.UPDATE)) {
            List<String> changed = new ArrayList<>();
            if (!compared.isEmpty()) {
                changed.add(row("s", compared) + " IS DISTINCT FROM " + row("t", compared));
            }
            if (soft != null) {
                changed.add("t.__gone");
            }
            if (!changed.isEmpty()) {
                when.add("(s.__r IS NOT NULL AND t.__r IS NOT NULL AND (" + String.join(" OR ", changed) + "))");
            }
        }
        if (when.isEmpty()) {
            return null;
        }

        List<String> select = new ArrayList<>();
        select.add("s.__r IS NOT NULL");
        select.add("t.__r IS NOT NULL");
        select.add("coalesce(t.__gone, false)");
        for (int i = 0; i < all.size(); i++) {
            select.add("s." + alias(i, nKeys) + "::text");
        }
        for (int i = 0; i < all.size(); i++) {
            select.add("t." + alias(i, nKeys) + "::text");
        }
        for (String c : compared) {
            select.add("(s." + c + " IS DISTINCT FROM t." + c + ")");
        }
        String where = plan.where().map(w -> " WHERE (" + w + ")").orElse("");
        return "SELECT " + String.join(", ", select)
                + " FROM (SELECT 1 AS __r, " + String.join(", ", sourceSelect) + " FROM "
                + plan.sourceTable().sqlName() + where + ") AS s"
                + " FULL OUTER JOIN (SELECT 1 AS __r, " + String.join(", ", targetSelect) + " FROM "
                + plan.targetTable().sqlName() + ") AS t ON " + String.join(" AND ", on)
                + " WHERE " + String.join(" OR ", when);
    }

    private static String alias(int index, int nKeys) {
        return SideQuery.alias(index, nKeys);
    }

    private static String row(String side, List<String> aliases) {
        List<String> cols = new ArrayList<>();
        for (String a : aliases) {
            cols.add(side + "." + a);
        }
        return "ROW(" + String.join(", ", cols) + ")";
    }
}
