package dev.recon.diff.load;

import dev.recon.config.Operation;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.pg.CopyText;
import dev.recon.pg.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import dev.recon.result.StrategyDetails.Figure;
import dev.recon.result.StrategyDetails;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The diff of a target known to be empty: every source row is an insert, so nothing needs
 * comparing, ordering or reading on the target. The source streams out through COPY (see
 * {@link SourceCopy}). Only valid while the target is empty and locked against other runs;
 * the sync checks both before choosing it.
 */
public final class EmptyTargetDiff implements DiffStrategy {
    public static final String NAME = "initial-load";

    private final Databases databases;
    private final Consumer<byte[]> lines;

    /**
     * @param lines told each row's COPY text line, newline included, just before the sink
     *     gets the row (same thread), for a writer that COPYs the lines as they are
     */
    public EmptyTargetDiff(Databases databases, Consumer<byte[]> lines) {
        this.databases = databases;
        this.lines = lines;
    }

    @Override
    public DiffStats diff(MappingPlan plan, Consumer<RowChange> sink) {
        int nKeys = plan.keys().size();
        long rows = 0;
        try (SourceCopy source = SourceCopy.open(databases, plan)) {
            for (byte[] line = source.next(); line != null; line = source.next()) {
                List<String> values = CopyText.parseLine(new String(line, 0, line.length - 1, StandardCharsets.UTF_8));
                lines.accept(line);
                sink.accept(new RowChange(Operation.INSERT, values.subList(0, nKeys), values, List.of(), List.of(),
                        false));
                rows++;
            }
        }
        return new DiffStats(NAME, StrategyDetails.builder().put(Figure.ROWS_FETCHED, rows)
                .put(Figure.ROWS_COMPARED, rows)
                .build());
    }
}
