package dev.recon.diff;

import dev.recon.ReconException;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.SyncPlan;
import dev.recon.pg.DatabaseException;
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
    DuplicateKeyException(SyncPlan plan, String side, List<String> key, long rows) {
        super("mapping '" + plan.name() + "': the " + side + " has " + (rows > 1 ? rows + " rows" : "more than one row")
                + " with key (" + describe(plan.keys(), key) + "); a key must identify one row on each side."
                + " Remove the duplicates from " + (side.equals("source") ? plan.sourceTable().displayName()
                        : plan.targetTable().displayName())
                + " or map a key that is unique there; nothing was written for this mapping");
    }

    /**
     * Fails when two rows of one side share a key ({@link JoinDiffQuery#duplicates}), for the
     * strategies that would not see it themselves: the join pairs each with the other side's
     * row, an initial load would write both.
     */
    static void check(SyncPlan plan, Connection c, boolean source) {
        int nKeys = plan.keys().size();
        try (PreparedStatement ps = c.prepareStatement(JoinDiffQuery.duplicates(plan, source));
             ResultSet r = ps.executeQuery()) {
            if (r.next()) {
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= nKeys; i++) {
                    key.add(r.getString(i));
                }
                throw new DuplicateKeyException(plan, source ? "source" : "target", key, r.getLong(nKeys + 1));
            }
        } catch (SQLException e) {
            throw new DatabaseException("mapping '" + plan.name() + "': checking that the " + (source ? "source"
                    : "target") + "'s keys are unique failed", e);
        }
    }

    private static String describe(List<ColumnMapping> keys, List<String> values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String v = values.get(i);
            parts.add(keys.get(i).targetColumn() + "=" + (v == null ? "NULL" : v));
        }
        return String.join(", ", parts);
    }
}
