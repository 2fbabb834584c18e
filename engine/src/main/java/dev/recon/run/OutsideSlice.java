package dev.recon.run;

import dev.recon.config.Operation;
import dev.recon.connect.Databases;
import dev.recon.db.DatabaseException;
import dev.recon.db.Session;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * For a mapping with a target slice ({@code target.where}): the rows to insert whose key is on
 * the target outside the slice are not inserts (the target holds that key already; an insert
 * would fail on it, or, without a unique key, insert it twice). They are counted and kept back;
 * every other change passes on. Asked of the target in batches of insert keys, the whole table
 * read by key, which its key index serves.
 */
final class OutsideSlice implements Consumer<RowChange> {
    /** Keys asked of the target at once. */
    static final int BATCH = 500;
    /** Keys kept to name in the log. */
    static final int KEPT = 10;

    private final Databases databases;
    private final MappingPlan plan;
    private final Consumer<RowChange> next;
    private final List<RowChange> pending = new ArrayList<>();
    private final List<List<String>> kept = new ArrayList<>();
    private long outside;

    OutsideSlice(Databases databases, MappingPlan plan, Consumer<RowChange> next) {
        this.databases = databases;
        this.plan = plan;
        this.next = next;
    }

    @Override
    public void accept(RowChange change) {
        if (change.operation() != Operation.INSERT) {
            next.accept(change);
            return;
        }
        pending.add(change);
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    /** Asks what is still pending; returns how many rows to insert had their key outside the slice. */
    long finish() {
        flush();
        return outside;
    }

    /** Some of the keys outside the slice, for the log. */
    List<List<String>> kept() {
        return kept;
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Map<String, String>> keys = new ArrayList<>();
        for (RowChange c : pending) {
            Map<String, String> key = new LinkedHashMap<>();
            for (int i = 0; i < plan.keys().size(); i++) {
                ColumnMapping k = plan.keys().get(i);
                key.put(k.targetColumn(), c.key().get(i));
            }
            keys.add(key);
        }
        MappingPlan probe = plan.withoutTargetSlice().onlyKeys(keys);
        Set<List<String>> found = new HashSet<>();
        int nKeys = plan.keys().size();
        try (Session s = databases.open(plan.targetConnection(), "mapping '" + plan.name() + "': target");
             PreparedStatement ps = s.connection().prepareStatement(probe.targetSide().ordered(probe));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> key = new ArrayList<>(nKeys);
                for (int i = 1; i <= nKeys; i++) {
                    key.add(rs.getString(i));
                }
                found.add(key);
            }
        } catch (SQLException e) {
            throw new DatabaseException("mapping '" + plan.name() + "': cannot ask the target for rows outside its"
                    + " slice (target.where)", e);
        }
        for (RowChange c : pending) {
            if (found.contains(c.key())) {
                outside++;
                if (kept.size() < KEPT) {
                    kept.add(c.key());
                }
            } else {
                next.accept(c);
            }
        }
        pending.clear();
    }
}
