package dev.recon.diff;

import dev.recon.pg.DatabaseException;
import dev.recon.plan.SyncPlan;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The second level of the hash strategy. Both sides stream (key, row hash) for the rows of
 * the differing segments in key order; a merge of the two streams keeps the keys that only
 * one side has or whose hashes differ. Those rows alone are then read whole, in chunks, and
 * merged into changes, so the rows read grow with the differences.
 */
final class SuspectKeys {
    /** Keys per full-row fetch. */
    static final int CHUNK = 10_000;
    /** (key, hash) rows are narrow: fewer, larger round trips. */
    static final int HASH_FETCH_SIZE = 50_000;

    private final List<String[]> keys;
    private final long hashesRead;

    private SuspectKeys(List<String[]> keys, long hashesRead) {
        this.keys = keys;
        this.hashesRead = hashesRead;
    }

    int size() {
        return keys.size();
    }

    long hashesRead() {
        return hashesRead;
    }

    /**
     * The keys to read whole, or null when there are more than {@code limit} of them (the
     * caller then merges everything: holding them would cost more memory than streaming).
     */
    static SuspectKeys find(SyncPlan plan, ReadSnapshot source, ReadSnapshot target, String sourceSql,
            String targetSql, MergeDiff.Binder params, int limit, String context) {
        int nKeys = plan.keys().size();
        KeyOrder order = new KeyOrder(plan.keys());
        Concurrently.Pair<ResultSet, ResultSet> rs = Concurrently.both(
                () -> query(source, sourceSql, params, context), () -> query(target, targetSql, params, context));
        List<String[]> suspects = new ArrayList<>();
        long read = 0;
        try (ResultSet s = rs.left(); ResultSet t = rs.right()) {
            Entry a = Entry.next(s, nKeys, order);
            Entry b = Entry.next(t, nKeys, order);
            while (a != null || b != null) {
                if (suspects.size() > limit) {
                    return null;
                }
                if (a != null && a.sortKey == null) {
                    suspects.add(a.key);
                    a = Entry.next(s, nKeys, order);
                    read++;
                    continue;
                }
                if (b != null && b.sortKey == null) {
                    suspects.add(b.key);
                    b = Entry.next(t, nKeys, order);
                    read++;
                    continue;
                }
                int c = a == null ? 1 : b == null ? -1 : order.compareParsed(a.sortKey, b.sortKey);
                if (c < 0) {
                    suspects.add(a.key);
                    a = Entry.next(s, nKeys, order);
                    read++;
                } else if (c > 0) {
                    suspects.add(b.key);
                    b = Entry.next(t, nKeys, order);
                    read++;
                } else {
                    if (a.hash != b.hash) {
                        suspects.add(a.key);
                    }
                    a = Entry.next(s, nKeys, order);
                    b = Entry.next(t, nKeys, order);
                    read += 2;
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException(context + ": reading row hashes failed", e);
        }
        return new SuspectKeys(suspects, read);
    }

    /** Reads the suspect rows whole, a chunk at a time, and merges them; returns the rows read. */
    long mergeRows(SyncPlan plan, ReadSnapshot source, ReadSnapshot target, String sourceSql, String targetSql,
            Consumer<RowChange> sink) {
        int nKeys = plan.keys().size();
        long read = 0;
        for (int from = 0; from < keys.size(); from += CHUNK) {
            List<String[]> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
            String[][] columns = new String[nKeys][chunk.size()];
            for (int r = 0; r < chunk.size(); r++) {
                for (int k = 0; k < nKeys; k++) {
                    columns[k][r] = chunk.get(r)[k];
                }
            }
            read += MergeDiff.mergeRows(plan, source, target, sourceSql, targetSql, (ps, side) -> {
                for (int k = 0; k < nKeys; k++) {
                    ps.setArray(k + 1, side.connection().createArrayOf("text", columns[k]));
                }
            }, sink);
        }
        return read;
    }

    private static ResultSet query(ReadSnapshot side, String sql, MergeDiff.Binder params, String context)
            throws SQLException {
        try {
            PreparedStatement ps = side.connection().prepareStatement(sql);
            ps.setFetchSize(HASH_FETCH_SIZE);
            params.bind(ps, side);
            return ps.executeQuery();
        } catch (SQLException e) {
            throw new DatabaseException(context + ": the " + side.side() + " row-hash query failed", e);
        }
    }

    /** One (key, hash) row. */
    private record Entry(String[] key, Object[] sortKey, long hash) {
        static Entry next(ResultSet rs, int nKeys, KeyOrder order) throws SQLException {
            if (!rs.next()) {
                return null;
            }
            String[] key = new String[nKeys];
            for (int i = 0; i < nKeys; i++) {
                key[i] = rs.getString(i + 1);
            }
            return new Entry(key, order.parse(key), rs.getLong(nKeys + 1));
        }
    }
}
