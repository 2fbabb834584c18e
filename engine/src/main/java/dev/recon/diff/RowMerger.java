package dev.recon.diff;

import dev.recon.base.Progress;
import dev.recon.base.ReconException;
import dev.recon.base.Side;
import dev.recon.config.Operation;
import dev.recon.db.DatabaseException;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Merge-joins two key-ordered row streams into changes, with exactly the join strategy's
 * rules: a key only in the source is an insert, only in the target a delete (unless ignored,
 * skipped or already soft-deleted), on both an update when a compared column differs or the
 * row must be revived. Holds one row per side, plus the few rows whose values only the
 * target server can tell equal or not (types whose equal values may print differently:
 * {@link ValueEquality.Verdict#ASK}); those are asked in batches and the changes still leave
 * in key order. Two rows with one key on a side end the merge ({@link DuplicateKeyException}).
 */
public final class RowMerger {
    /** Rows waiting for the target's verdict before they are asked in one query. */
    private static final int ASK_BATCH = 500;
    /** Changes held back behind rows waiting for a verdict. */
    private static final int MAX_HELD = 5_000;
    /** Rows between two progress reports. */
    private static final int PROGRESS_EVERY = 10_000;

    private final MappingPlan plan;
    private final KeyOrder order;
    private final List<ColumnMapping> all;
    private final ValueEquality[] equality;
    private final int nKeys;
    private final boolean deletes;
    private final Connection target;
    private final Progress progress;
    private final Deque<Object> held = new ArrayDeque<>();
    private final List<Pending> pending = new ArrayList<>();
    private long rowsRead;
    private Consumer<RowChange> sink;

    /** A row on both sides whose verdict on some columns ({@code ask}) the target server gives. */
    private static final class Pending {
        final SideRow s;
        final SideRow t;
        final boolean[] changed;
        final List<Integer> ask;

        Pending(SideRow s, SideRow t, boolean[] changed, List<Integer> ask) {
            this.s = s;
            this.t = t;
            this.changed = changed;
            this.ask = ask;
        }
    }

    /** @param target the target's snapshot connection, asked about values only it can compare */
    public RowMerger(MappingPlan plan, Connection target, Progress progress) {
        this.progress = progress;
        this.plan = plan;
        this.target = target;
        this.order = new KeyOrder(plan.keys());
        this.all = plan.allColumns();
        this.nKeys = plan.keys().size();
        this.equality = new ValueEquality[all.size()];
        for (int i = 0; i < all.size(); i++) {
            equality[i] = ValueEquality.of(all.get(i));
        }
        this.deletes = plan.deletesApply();
    }

    public KeyOrder order() {
        return order;
    }

    /**
     * Whether the merge may ask a server about values (types whose equal values may print
     * differently): then it runs a query on a side's connection while that side's rows stream.
     */
    public boolean asksServer() {
        for (int i = nKeys; i < all.size(); i++) {
            if (equality[i] == ValueEquality.ASK_WHEN_DIFFERENT && all.get(i).compared()) {
                return true;
            }
        }
        return false;
    }

    public long rowsRead() {
        return rowsRead;
    }

    public void merge(Iterator<SideRow> source, Iterator<SideRow> target, Consumer<RowChange> sink) {
        this.sink = sink;
        SideRow s = next(source, null, Side.SOURCE);
        SideRow t = next(target, null, Side.TARGET);
        while (s != null || t != null) {
            int c = s == null ? 1 : t == null ? -1 : order.compareParsed(s.sortKey(), t.sortKey());
            if (c < 0) {
                onlySource(s);
                s = next(source, s, Side.SOURCE);
            } else if (c > 0) {
                onlyTarget(t);
                t = next(target, t, Side.TARGET);
            } else {
                both(s, t);
                s = next(source, s, Side.SOURCE);
                t = next(target, t, Side.TARGET);
            }
        }
        resolve();
    }

    private SideRow next(Iterator<SideRow> it, SideRow previous, Side side) {
        if (!it.hasNext()) {
            return null;
        }
        if (++rowsRead % PROGRESS_EVERY == 0) {
            progress.advance(PROGRESS_EVERY);
        }
        SideRow row = it.next();
        if (previous != null) {
            int c = order.compareParsed(previous.sortKey(), row.sortKey());
            if (c == 0 && order.matchable(row.sortKey())) {
                throw new DuplicateKeyException(plan, side, Arrays.asList(row.key()), 0);
            }
            if (c > 0) {
                // the two sides' orders disagree somewhere: pairing would miss rows, so nothing is concluded
                throw new ReconException("mapping '" + plan.name() + "': the " + side + " sent key "
                        + Arrays.asList(row.key()) + " after " + Arrays.asList(previous.key()) + ", out of the key"
                        + " order recon merges in (numbers by value, the rest by their UTF-8 bytes, NULLs last);"
                        + " nothing was concluded from this comparison. Please report it with the key columns' types");
            }
        }
        return row;
    }

    private void onlySource(SideRow s) {
        if (plan.applies(Operation.INSERT)) {
            emit(new RowChange(Operation.INSERT, Arrays.asList(s.key()), Arrays.asList(s.values()), List.of(),
                    List.of(), false));
        }
    }

    private void onlyTarget(SideRow t) {
        if (deletes && !t.gone()) {
            emit(new RowChange(Operation.DELETE, Arrays.asList(t.key()), List.of(), Arrays.asList(t.values()),
                    List.of(), false));
        }
    }

    private void both(SideRow s, SideRow t) {
        if (!plan.applies(Operation.UPDATE)) {
            return;
        }
        boolean[] changed = new boolean[all.size()];
        List<Integer> ask = null;
        for (int i = nKeys; i < all.size(); i++) {
            if (!all.get(i).compared()) {
                continue;
            }
            if (s.sameText(t, i)) {
                continue;
            }
            switch (equality[i].verdict(s.value(i), t.value(i))) {
                case DIFFERENT -> changed[i] = true;
                case ASK -> {
                    if (ask == null) {
                        ask = new ArrayList<>();
                    }
                    ask.add(i);
                }
                default -> {
                }
            }
        }
        if (ask == null) {
            update(s, t, changed);
            return;
        }
        Pending p = new Pending(s, t, changed, ask);
        held.add(p);
        pending.add(p);
        if (pending.size() >= ASK_BATCH) {
            resolve();
        }
    }

    private void update(SideRow s, SideRow t, boolean[] changed) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < changed.length; i++) {
            if (changed[i]) {
                names.add(all.get(i).targetColumn());
            }
        }
        if (!names.isEmpty() || t.gone()) {
            emit(new RowChange(Operation.UPDATE, Arrays.asList(s.key()), Arrays.asList(s.values()),
                    Arrays.asList(t.values()), names, t.gone()));
        }
    }

    private void emit(RowChange change) {
        if (held.isEmpty()) {
            sink.accept(change);
            return;
        }
        held.add(change);
        if (held.size() >= MAX_HELD) {
            resolve();
        }
    }

    /** Asks the target about every pending row at once, then lets the held changes go, in order. */
    private void resolve() {
        if (!pending.isEmpty()) {
            ask();
            pending.clear();
        }
        while (!held.isEmpty()) {
            Object o = held.poll();
            if (o instanceof Pending p) {
                update(p.s, p.t, p.changed);
            } else {
                sink.accept((RowChange) o);
            }
        }
    }

    /**
     * One query on the target: for each pending row and each asked column, whether the two
     * texts are distinct values of the column's type ({@code IS DISTINCT FROM}, under the
     * column's collation).
     */
    private void ask() {
        List<Integer> columns = new ArrayList<>();
        for (int i = nKeys; i < all.size(); i++) {
            if (equality[i] == ValueEquality.ASK_WHEN_DIFFERENT && all.get(i).compared()) {
                columns.add(i);
            }
        }
        List<String> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        for (int j = 0; j < columns.size(); j++) {
            ColumnMapping m = all.get(columns.get(j));
            params.add("?::text[]");
            params.add("?::text[]");
            names.add("a" + j);
            names.add("b" + j);
            String collate = m.targetCollation() == null ? "" : " COLLATE " + m.targetCollation();
            flags.add("(x.a" + j + "::" + m.type().compareType() + collate + " IS DISTINCT FROM x.b" + j + "::"
                    + m.type().compareType() + ")");
        }
        String sql = "SELECT " + String.join(", ", flags) + " FROM unnest(" + String.join(", ", params)
                + ") WITH ORDINALITY AS x(" + String.join(", ", names) + ", i) ORDER BY x.i";
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            for (int j = 0; j < columns.size(); j++) {
                int col = columns.get(j);
                String[] a = new String[pending.size()];
                String[] b = new String[pending.size()];
                for (int r = 0; r < pending.size(); r++) {
                    Pending p = pending.get(r);
                    if (p.ask.contains(col)) {
                        a[r] = p.s.value(col);
                        b[r] = p.t.value(col);
                    }
                }
                ps.setArray(2 * j + 1, target.createArrayOf("text", a));
                ps.setArray(2 * j + 2, target.createArrayOf("text", b));
            }
            try (ResultSet rs = ps.executeQuery()) {
                for (Pending p : pending) {
                    rs.next();
                    for (int j = 0; j < columns.size(); j++) {
                        if (p.ask.contains(columns.get(j)) && rs.getBoolean(j + 1)) {
                            p.changed[columns.get(j)] = true;
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("mapping '" + plan.name() + "': comparing values in the target's types failed",
                    e);
        }
    }
}
