package dev.recon.diff;

import dev.recon.config.Operation;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.SyncPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Merge-joins two key-ordered row streams into changes, with exactly the join strategy's
 * rules: a key only in the source is an insert, only in the target a delete (unless ignored,
 * skipped or already soft-deleted), on both an update when a compared column differs or the
 * row must be revived. Holds one row per side.
 */
final class RowMerger {
    private final SyncPlan plan;
    private final KeyOrder order;
    private final List<ColumnMapping> all;
    private final ValueEquality[] equality;
    private final int nKeys;
    private final boolean deletes;
    private long rowsRead;

    /** Rows between two progress reports. */
    private static final int PROGRESS_EVERY = 10_000;
    private final dev.recon.Progress progress;

    RowMerger(SyncPlan plan) {
        this(plan, dev.recon.Progress.NONE);
    }

    RowMerger(SyncPlan plan, dev.recon.Progress progress) {
        this.progress = progress;
        this.plan = plan;
        this.order = new KeyOrder(plan.keys());
        this.all = plan.allColumns();
        this.nKeys = plan.keys().size();
        this.equality = new ValueEquality[all.size()];
        for (int i = 0; i < all.size(); i++) {
            equality[i] = ValueEquality.of(all.get(i));
        }
        this.deletes = JoinDiff.deletesApply(plan);
    }

    KeyOrder order() {
        return order;
    }

    long rowsRead() {
        return rowsRead;
    }

    void merge(Iterator<SideRow> source, Iterator<SideRow> target, Consumer<RowChange> sink) {
        SideRow s = next(source);
        SideRow t = next(target);
        while (s != null || t != null) {
            if (s != null && s.sortKey() == null) {
                onlySource(s, sink);
                s = next(source);
                continue;
            }
            if (t != null && t.sortKey() == null) {
                onlyTarget(t, sink);
                t = next(target);
                continue;
            }
            int c = s == null ? 1 : t == null ? -1 : order.compareParsed(s.sortKey(), t.sortKey());
            if (c < 0) {
                onlySource(s, sink);
                s = next(source);
            } else if (c > 0) {
                onlyTarget(t, sink);
                t = next(target);
            } else {
                both(s, t, sink);
                s = next(source);
                t = next(target);
            }
        }
    }

    private SideRow next(Iterator<SideRow> it) {
        if (it.hasNext()) {
            if (++rowsRead % PROGRESS_EVERY == 0) {
                progress.advance(PROGRESS_EVERY);
            }
            return it.next();
        }
        return null;
    }

    private void onlySource(SideRow s, Consumer<RowChange> sink) {
        if (plan.applies(Operation.INSERT)) {
            sink.accept(new RowChange(Operation.INSERT, Arrays.asList(s.key()), Arrays.asList(s.values()), List.of(),
                    List.of(), false));
        }
    }

    private void onlyTarget(SideRow t, Consumer<RowChange> sink) {
        if (deletes && !t.gone()) {
            sink.accept(new RowChange(Operation.DELETE, Arrays.asList(t.key()), List.of(), Arrays.asList(t.values()),
                    List.of(), false));
        }
    }

    private void both(SideRow s, SideRow t, Consumer<RowChange> sink) {
        if (!plan.applies(Operation.UPDATE)) {
            return;
        }
        List<String> changed = new ArrayList<>();
        for (int i = nKeys; i < all.size(); i++) {
            if (all.get(i).compared() && !equality[i].equal(s.values()[i], t.values()[i])) {
                changed.add(all.get(i).targetColumn());
            }
        }
        if (!changed.isEmpty() || t.gone()) {
            sink.accept(new RowChange(Operation.UPDATE, Arrays.asList(s.key()), Arrays.asList(s.values()),
                    Arrays.asList(t.values()), changed, t.gone()));
        }
    }
}
