package dev.recon.diff.join;

import dev.recon.config.Operation;
import dev.recon.diff.SideQuery;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.SoftDelete;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the FULL OUTER JOIN diff query. Both sides are projected to the columns' comparison
 * types ({@code s.k0}, {@code s.c0} ... aliases; {@link ColumnMapping#sourceValue}), so
 * numeric scale, timestamp precision and NULLs compare as the target stores them. A source
 * value that does not fit its target column is NULL there, flagged ({@code s.__u<alias>})
 * and carried as text ({@code s.__x<alias>}): always a difference, reported as it is.
 * Result columns: in_source, in_target, gone (soft deleted), then source values, target
 * values (as text), then one flag per compared column that says it differs.
 */
final class JoinDiffQuery {
    private JoinDiffQuery() {
    }

    /** The query, or null when the mapping's skip flags leave nothing to find. */
    static String build(MappingPlan plan) {
        List<ColumnMapping> all = plan.allColumns();
        int nKeys = plan.keys().size();
        List<String> sourceSelect = new ArrayList<>();
        List<String> targetSelect = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ColumnMapping m = all.get(i);
            String alias = alias(i, nKeys);
            sourceSelect.add(SideQuery.joinValue(m) + " AS " + alias);
            if (m.unfit().isPresent()) {
                sourceSelect.add(m.unfit().get() + " AS __u" + alias);
                sourceSelect.add(m.sourceText() + " AS __x" + alias);
            }
            targetSelect.add(m.targetValue() + " AS " + alias);
        }
        SoftDelete soft = plan.softDelete().orElse(null);
        targetSelect.add((soft == null ? "false" : soft.isMarked()) + " AS __gone");

        List<String> on = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            on.add(keyMatch(plan.keys().get(i), alias(i, nKeys)));
        }
        List<Integer> compared = new ArrayList<>();
        for (int i = nKeys; i < all.size(); i++) {
            if (all.get(i).compared()) {
                compared.add(i);
            }
        }

        List<String> when = new ArrayList<>();
        if (plan.applies(Operation.INSERT)) {
            when.add("t.__r IS NULL");
        }
        if (plan.deletesApply()) {
            when.add("(s.__r IS NULL AND NOT t.__gone)");
        }
        if (plan.applies(Operation.UPDATE)) {
            List<String> changed = new ArrayList<>();
            if (!compared.isEmpty()) {
                List<String> s = new ArrayList<>();
                List<String> t = new ArrayList<>();
                for (int i : compared) {
                    s.add(SideQuery.comparable(all.get(i), "s." + alias(i, nKeys)));
                    t.add(SideQuery.comparable(all.get(i), "t." + alias(i, nKeys)));
                    all.get(i).unfit().ifPresent(u -> changed.add("s.__u" + alias(i, nKeys)));
                }
                changed.add(0, "ROW(" + String.join(", ", s) + ") IS DISTINCT FROM ROW(" + String.join(", ", t) + ")");
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
            select.add(sourceText(all.get(i), alias(i, nKeys)));
        }
        for (int i = 0; i < all.size(); i++) {
            select.add("t." + alias(i, nKeys) + "::text");
        }
        for (int i : compared) {
            ColumnMapping m = all.get(i);
            String a = alias(i, nKeys);
            select.add("(" + SideQuery.comparable(m, "s." + a) + " IS DISTINCT FROM " + SideQuery.comparable(m, "t." + a)
                    + m.unfit().map(u -> " OR s.__u" + a).orElse("") + ")");
        }
        List<String> sourceWhere = new ArrayList<>();
        plan.sourceFilter().ifPresent(w -> sourceWhere.add("(" + w + ")"));
        String sourceKeys = plan.keyFilter(true);
        if (sourceKeys != null) {
            sourceWhere.add(sourceKeys);
        }
        String where = sourceWhere.isEmpty() ? "" : " WHERE " + String.join(" AND ", sourceWhere);
        List<String> targetWhere = new ArrayList<>();
        plan.targetFilter().ifPresent(w -> targetWhere.add("(" + w + ")"));
        String targetKeys = plan.keyFilter(false);
        if (targetKeys != null) {
            targetWhere.add(targetKeys);
        }
        return "SELECT " + String.join(", ", select)
                + " FROM (SELECT 1 AS __r, " + String.join(", ", sourceSelect) + " FROM "
                + plan.sourceTable().sqlName() + where + ") AS s"
                + " FULL OUTER JOIN (SELECT 1 AS __r, " + String.join(", ", targetSelect) + " FROM "
                + plan.targetTable().sqlName() + (targetWhere.isEmpty() ? "" : " WHERE " + String.join(" AND ",
                        targetWhere)) + ") AS t ON "
                + String.join(" AND ", on)
                + " WHERE " + String.join(" OR ", when);
    }

    /** A key column's join condition: equal, or (where the target allows NULL) both NULL. */
    private static String keyMatch(ColumnMapping k, String alias) {
        String s = SideQuery.comparable(k, "s." + alias);
        String t = SideQuery.comparable(k, "t." + alias);
        String unfit = k.unfit().map(u -> " AND NOT s.__u" + alias).orElse("");
        if (!k.targetNullable()) {
            return s + " = " + t + unfit;
        }
        return SideQuery.nullSafeMatch(k, s, t) + unfit;
    }

    /** A source value as text: as the target type prints it, or as the source has it when it does not fit. */
    private static String sourceText(ColumnMapping m, String alias) {
        return m.unfit().map(u -> "CASE WHEN s.__u" + alias + " THEN s.__x" + alias + " ELSE s." + alias + "::text END")
                .orElse("s." + alias + "::text");
    }

    private static String alias(int index, int nKeys) {
        return SideQuery.alias(index, nKeys);
    }
}
