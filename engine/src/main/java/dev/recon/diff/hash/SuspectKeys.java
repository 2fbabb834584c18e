package dev.recon.diff.hash;

import dev.recon.base.Progress;
import dev.recon.base.Side;
import dev.recon.diff.Concurrently;
import dev.recon.diff.DiffContext;
import dev.recon.diff.DuplicateKeyException;
import dev.recon.diff.KeyOrder;
import dev.recon.diff.OrderedMerge;
import dev.recon.db.DatabaseException;
import dev.recon.connect.ReadSnapshot;
import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The second level of the hash strategy. Both sides stream (key, row hash) for the rows of
 * the differing segments in key order; a merge of the two streams keeps the keys that only
 * one side has or whose hashes differ. Those rows alone are then read whole, in chunks, and
 * merged into changes, so the rows read grow with the differences. Each side is asked only
 * for the keys it has (a source key that does not fit the target's key type is never sent
 * to the target), and keys holding a NULL are asked apart, NULL-safely.
 */
final class SuspectKeys {
    /** Keys per full-row fetch. */
    static final int CHUNK = 10_000;
    /** (key, hash) rows are narrow: fewer, larger round trips. */
    static final int HASH_FETCH_SIZE = 50_000;

    /** A key to read whole, and which sides hold it. */
    private record Suspect(String[] key, boolean inSource, boolean inTarget) {
        boolean hasNull() {
            for (String k : key) {
                if (k == null) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Suspect> keys;
    private final long hashesRead;

    private SuspectKeys(List<Suspect> keys, long hashesRead) {
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
    static SuspectKeys find(DiffContext ctx, String sourceSql, String targetSql, OrderedMerge.Binder params,
            int limit) {
        MappingPlan plan = ctx.plan();
        String context = ctx.label();
        int nKeys = plan.keys().size();
        KeyOrder order = new KeyOrder(plan.keys());
        Concurrently.Pair<ResultSet, ResultSet> rs = Concurrently.both(
                () -> query(ctx.source(), sourceSql, params, context),
                () -> query(ctx.target(), targetSql, params, context));
        List<Suspect> suspects = new ArrayList<>();
        long read = 0;
        try (ResultSet s = rs.left(); ResultSet t = rs.right()) {
            Entry a = Entry.next(s, nKeys, order, null, plan, Side.SOURCE);
            Entry b = Entry.next(t, nKeys, order, null, plan, Side.TARGET);
            while (a != null || b != null) {
                if (suspects.size() > limit) {
                    return null;
                }
                int c = a == null ? 1 : b == null ? -1 : order.compareParsed(a.sortKey, b.sortKey);
                if (c < 0) {
                    suspects.add(new Suspect(a.key, true, false));
                    a = Entry.next(s, nKeys, order, a, plan, Side.SOURCE);
                    read++;
                } else if (c > 0) {
                    suspects.add(new Suspect(b.key, false, true));
                    b = Entry.next(t, nKeys, order, b, plan, Side.TARGET);
                    read++;
                } else {
                    if (a.hash != b.hash) {
                        suspects.add(new Suspect(a.key, true, true));
                    }
                    a = Entry.next(s, nKeys, order, a, plan, Side.SOURCE);
                    b = Entry.next(t, nKeys, order, b, plan, Side.TARGET);
                    read += 2;
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException(context + ": reading row hashes failed", e);
        }
        return new SuspectKeys(suspects, read);
    }

    /** Reads the suspect rows whole, a chunk at a time, and merges them; returns the rows read. */
    long mergeRows(DiffContext ctx, Consumer<RowChange> sink) {
        MappingPlan plan = ctx.plan();
        long read = 0;
        for (boolean withNulls : new boolean[] {false, true}) {
            List<Suspect> some = keys.stream().filter(k -> k.hasNull() == withNulls).toList();
            for (int from = 0; from < some.size(); from += CHUNK) {
                List<Suspect> chunk = some.subList(from, Math.min(some.size(), from + CHUNK));
                String[][] sourceKeys = columns(plan, chunk.stream().filter(Suspect::inSource).toList());
                String[][] targetKeys = columns(plan, chunk.stream().filter(Suspect::inTarget).toList());
                read += OrderedMerge.mergeRows(ctx, ctx.query(Side.SOURCE).rowsForKeys(withNulls),
                        ctx.query(Side.TARGET).rowsForKeys(withNulls), (ps, side) -> {
                            String[][] k = side.side() == Side.SOURCE ? sourceKeys : targetKeys;
                            for (int i = 0; i < k.length; i++) {
                                ps.setArray(i + 1, side.connection().createArrayOf("text", k[i]));
                            }
                        }, sink, Progress.NONE);
            }
        }
        return read;
    }

    /** The keys as one array per key column. */
    private static String[][] columns(MappingPlan plan, List<Suspect> suspects) {
        int nKeys = plan.keys().size();
        String[][] columns = new String[nKeys][suspects.size()];
        for (int r = 0; r < suspects.size(); r++) {
            for (int k = 0; k < nKeys; k++) {
                columns[k][r] = suspects.get(r).key()[k];
            }
        }
        return columns;
    }

    private static ResultSet query(ReadSnapshot side, String sql, OrderedMerge.Binder params, String context)
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
        /** The next row; fails when it has the key of the one before (two rows with one key on a side). */
        static Entry next(ResultSet rs, int nKeys, KeyOrder order, Entry previous, MappingPlan plan, Side side)
                throws SQLException {
            if (!rs.next()) {
                return null;
            }
            String[] key = new String[nKeys];
            for (int i = 0; i < nKeys; i++) {
                key[i] = rs.getString(i + 1);
            }
            Entry e = new Entry(key, order.parse(key), rs.getLong(nKeys + 1));
            if (previous != null && order.compareParsed(previous.sortKey, e.sortKey) == 0
                    && order.matchable(e.sortKey)) {
                throw new DuplicateKeyException(plan, side, Arrays.asList(key), 0);
            }
            return e;
        }
    }
}
