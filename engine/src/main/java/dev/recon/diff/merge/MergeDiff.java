package dev.recon.diff.merge;

import dev.recon.base.Progress;
import dev.recon.diff.DiffContext;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import dev.recon.result.StrategyDetails.Figure;
import dev.recon.result.StrategyDetails;
import java.util.function.Consumer;

/**
 * Cross-server diff: both sides stream every row in the same key order (byte-wise for text)
 * from read-only snapshots, and the engine merge-joins the two streams holding one row per
 * side. Memory stays flat however large the tables.
 */
public final class MergeDiff implements DiffStrategy {
    private final Databases databases;
    private final Progress progress;

    public MergeDiff(Databases databases) {
        this(databases, Progress.NONE);
    }

    public MergeDiff(Databases databases, Progress progress) {
        this.databases = databases;
        this.progress = progress;
    }

    @Override
    public DiffStats diff(MappingPlan plan, Consumer<RowChange> sink) {
        try (DiffContext ctx = DiffContext.open(databases, plan)) {
            progress.start(plan.name() + ": comparing", ctx.estimatedRows());
            try {
                long rows = ctx.mergeAll(sink, progress);
                ctx.succeeded();
                // every row of both sides was read and compared
                return new DiffStats("merge", StrategyDetails.builder().put(Figure.ROWS_FETCHED, rows)
                        .put(Figure.ROWS_COMPARED, rows).build());
            } finally {
                progress.finish();
            }
        }
    }
}
