package dev.recon.diff;

import dev.recon.base.ReconException;
import dev.recon.base.Side;
import dev.recon.db.DatabaseException;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * More than one row of one side has the same key. recon addresses each row by its key, so
 * such a mapping cannot be compared exactly: it fails, naming the key, and nothing is written.
 */
public final class DuplicateKeyException extends ReconException {
    public DuplicateKeyException(MappingPlan plan, Side side, List<String> key, long rows) {
        super("mapping '" + plan.name() + "': the " + side + " has " + (rows > 1 ? rows + " rows" : "more than one row")
                + " with key (" + describe(plan.keys(), key) + "); a key must identify one row on each side."
                + " Remove the duplicates from " + (side == Side.SOURCE ? plan.sourceTable().displayName()
                        : plan.targetTable().displayName())
                + " or map a key that is unique there; nothing was written for this mapping");
    }

    /**
     * Fails when two rows of one side share a key ({@link JoinDiffQuery#duplicates}), for the
     * strategies that would not see it themselves: the join pairs each with the other side's
     * row, an initial load would write both.
     */
    public static void check(MappingPlan plan, Connection c, Side side) {
        boolean source = side == Side.SOURCE;
        int nKeys = plan.keys().size();
        try (PreparedStatement ps = c.prepareStatement(duplicates(plan, source));
             ResultSet r = ps.executeQuery()) {
            if (r.next()) {
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= nKeys; i++) {
                    key.add(r.getString(i));
                }
                throw new DuplicateKeyException(plan, side, key, r.getLong(nKeys + 1));
            }
        } catch (SQLException e) {
            throw new DatabaseException("mapping '" + plan.name() + "': checking that the " + side + "'s keys are unique failed", e);
        }
    }

    private static String describe(List<ColumnMapping> keys, List<String> values) {
        return dev.recon.base.Shown.key(keys.stream().map(ColumnMapping::targetColumn).toList(), values);
    }

    /**
     * A query that finds one key held by more than one row of a side (NULLs equal, as a
     * unique key must treat them for recon to address one row), or no row: key values as
     * text, then the count. Source keys that cannot match (NULL where the target allows no
     * NULL, or not fitting the target type) are left out: they are inserts the target refuses.
     */
    private static String duplicates(MappingPlan plan, boolean source) {
        List<ColumnMapping> keys = plan.keys();
        List<String> cols = new ArrayList<>();
        List<String> group = new ArrayList<>();
        List<String> text = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            ColumnMapping k = keys.get(i);
            String alias = SideQuery.alias(i, keys.size());
            cols.add((source ? SideQuery.joinValue(k) : k.targetValue()) + " AS " + alias);
            group.add(SideQuery.comparable(k, "s." + alias));
            text.add(SideQuery.comparable(k, "s." + alias) + "::text");
            if (source && !k.targetNullable()) {
                conditions.add("s." + alias + " IS NOT NULL");
            }
        }
        if (!source) {
            // the unique constraint already keeps keys without NULLs apart
            conditions.add("(" + String.join(" OR ", keys.stream().filter(ColumnMapping::targetNullable)
                    .map(k -> "s." + SideQuery.alias(keys.indexOf(k), keys.size()) + " IS NULL").toList()) + ")");
        }
        String where = (source ? plan.sourceFilter() : plan.targetFilter()).map(w -> " WHERE (" + w + ")").orElse("");
        String table = source ? plan.sourceTable().sqlName() : plan.targetTable().sqlName();
        return "SELECT " + String.join(", ", text) + ", count(*) FROM (SELECT " + String.join(", ", cols) + " FROM "
                + table + where + ") AS s" + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " GROUP BY " + String.join(", ", group) + " HAVING count(*) > 1 LIMIT 1";
    }

}
