package dev.recon.diff;

import dev.recon.config.Operation;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.SoftDelete;
import dev.recon.plan.SyncPlan;
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
    static String build(SyncPlan plan) {
        List<ColumnMapping> all = plan.allColumns();
        int nKeys = plan.keys().size();
        List<String> sourceSelect = new ArrayList<>();
        List<String> targetSelect = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ColumnMapping m = all.get(i);
            String alias = alias(i, nKeys);
            sourceSelect.add(joinValue(m) + " AS " + alias);
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
        if (JoinDiff.deletesApply(plan)) {
            when.add("(s.__r IS NULL AND NOT t.__gone)");
        }
        if (plan.applies(Operation.UPDATE)) {
            List<String> changed = new ArrayList<>();
            if (!compared.isEmpty()) {
                List<String> s = new ArrayList<>();
                List<String> t = new ArrayList<>();
                for (int i : compared) {
                    s.add(comparable(all.get(i), "s." + alias(i, nKeys)));
                    t.add(comparable(all.get(i), "t." + alias(i, nKeys)));
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
            select.add("(" + comparable(m, "s." + a) + " IS DISTINCT FROM " + comparable(m, "t." + a)
                    + m.unfit().map(u -> " OR s.__u" + a).orElse("") + ")");
        }
        List<String> sourceWhere = new ArrayList<>();
        plan.where().ifPresent(w -> sourceWhere.add("(" + w + ")"));
        String sourceKeys = plan.keyFilter(true);
        if (sourceKeys != null) {
            sourceWhere.add(sourceKeys);
        }
        String where = sourceWhere.isEmpty() ? "" : " WHERE " + String.join(" AND ", sourceWhere);
        String targetKeys = plan.keyFilter(false);
        return "SELECT " + String.join(", ", select)
                + " FROM (SELECT 1 AS __r, " + String.join(", ", sourceSelect) + " FROM "
                + plan.sourceTable().sqlName() + where + ") AS s"
                + " FULL OUTER JOIN (SELECT 1 AS __r, " + String.join(", ", targetSelect) + " FROM "
                + plan.targetTable().sqlName() + (targetKeys == null ? "" : " WHERE " + targetKeys) + ") AS t ON "
                + String.join(" AND ", on)
                + " WHERE " + String.join(" OR ", when);
    }

    /**
     * A query that finds one key held by more than one row of a side (NULLs equal, as a
     * unique key must treat them for recon to address one row), or no row: key values as
     * text, then the count. Source keys that cannot match (NULL where the target allows no
     * NULL, or not fitting the target type) are left out: they are inserts the target refuses.
     */
    static String duplicates(SyncPlan plan, boolean source) {
        List<ColumnMapping> keys = plan.keys();
        List<String> cols = new ArrayList<>();
        List<String> group = new ArrayList<>();
        List<String> text = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            ColumnMapping k = keys.get(i);
            String alias = alias(i, keys.size());
            cols.add((source ? joinValue(k) : k.targetValue()) + " AS " + alias);
            group.add(comparable(k, "s." + alias));
            text.add(comparable(k, "s." + alias) + "::text");
            if (source && !k.targetNullable()) {
                conditions.add("s." + alias + " IS NOT NULL");
            }
        }
        if (!source) {
            // the unique constraint already keeps keys without NULLs apart
            conditions.add("(" + String.join(" OR ", keys.stream().filter(ColumnMapping::targetNullable)
                    .map(k -> "s." + alias(keys.indexOf(k), keys.size()) + " IS NULL").toList()) + ")");
        }
        String where = source ? plan.where().map(w -> " WHERE (" + w + ")").orElse("") : "";
        String table = source ? plan.sourceTable().sqlName() : plan.targetTable().sqlName();
        return "SELECT " + String.join(", ", text) + ", count(*) FROM (SELECT " + String.join(", ", cols) + " FROM "
                + table + where + ") AS s" + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " GROUP BY " + String.join(", ", group) + " HAVING count(*) > 1 LIMIT 1";
    }

    /** A key column's join condition: equal, or (where the target allows NULL) both NULL. */
    private static String keyMatch(ColumnMapping k, String alias) {
        String s = comparable(k, "s." + alias);
        String t = comparable(k, "t." + alias);
        String unfit = k.unfit().map(u -> " AND NOT s.__u" + alias).orElse("");
        if (!k.targetNullable()) {
            return s + " = " + t + unfit;
        }
        // hashable and mergeable, unlike IS NOT DISTINCT FROM: a NULL flag and a stand-in value
        boolean number = switch (k.type().kind()) {
            case INTEGER, NUMERIC, FLOAT -> true;
            default -> false;
        };
        String sv = number ? "coalesce(" + s + ", 0)" : "coalesce(" + s + "::text, '')";
        String tv = number ? "coalesce(" + t + ", 0)" : "coalesce(" + t + "::text, '')";
        return "(" + s + " IS NULL) = (" + t + " IS NULL) AND " + sv + " = " + tv + unfit;
    }

    /**
     * A source value as the join compares it: under the target column's collation, as the
     * target's unique index compares keys (and so that two columns of different collations
     * can be compared at all).
     */
    private static String joinValue(ColumnMapping m) {
        return m.targetCollation() == null ? m.sourceValue() : "(" + m.sourceValue() + ") COLLATE " + m.targetCollation();
    }

    /** What the column's equality compares: the value, or its text for a type without equality. */
    static String comparable(ColumnMapping m, String ref) {
        return m.type().equality() == dev.recon.plan.ValueType.Equality.TEXT ? ref + "::text" : ref;
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
