package dev.recon.diff.load;

import dev.recon.config.Operation;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.db.CopyText;
import dev.recon.base.Side;
import dev.recon.db.DatabaseException;
import dev.recon.connect.Databases;
import dev.recon.connect.ReadSnapshot;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import dev.recon.result.StrategyDetails.Figure;
import dev.recon.result.StrategyDetails;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The diff of a target known to be empty: every source row is an insert, so nothing needs
 * comparing, ordering or reading on the target. The source streams out through COPY (see
 * {@link CopyTextReads}). Only valid while the target is empty and locked against other runs;
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
        Optional<CopyTextReads> copy = plan.sourceSide().engine().feature(CopyTextReads.class);
        if (copy.isEmpty()) {
            return fromRows(plan, sink);
        }
        int nKeys = plan.keys().size();
        long rows = 0;
        try (CopyTextReads.Lines source = copy.get().open(databases, plan)) {
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

    /**
     * A source whose engine has no COPY: its rows are read in one snapshot as its side reads them
     * (the canonical text of the target types; a row its check refuses stops the load, as it
     * stops a diff) and each becomes the COPY line the target takes.
     */
    private DiffStats fromRows(MappingPlan plan, Consumer<RowChange> sink) {
        int nKeys = plan.keys().size();
        int n = plan.allColumns().size();
        String context = "mapping '" + plan.name() + "'";
        long rows = 0;
        try (ReadSnapshot snapshot = ReadSnapshot.open(databases, plan.sourceConnection(), context + ": source",
                Side.SOURCE);
             PreparedStatement ps = snapshot.connection().prepareStatement(plan.sourceSide().ordered(plan))) {
            ps.setFetchSize(ReadSnapshot.FETCH_SIZE);
            Consumer<String[]> check = plan.sourceSide().rowCheck(context);
            try (ResultSet rs = ps.executeQuery()) {
                StringBuilder sb = new StringBuilder(256);
                while (rs.next()) {
                    String[] values = new String[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = rs.getString(i + 1);
                    }
                    if (check != null) {
                        check.accept(values);
                    }
                    sb.setLength(0);
                    for (int i = 0; i < n; i++) {
                        if (i > 0) {
                            sb.append('\t');
                        }
                        CopyText.append(sb, values[i]);
                    }
                    sb.append('\n');
                    lines.accept(sb.toString().getBytes(StandardCharsets.UTF_8));
                    List<String> all = Arrays.asList(values);
                    sink.accept(new RowChange(Operation.INSERT, all.subList(0, nKeys), all, List.of(), List.of(),
                            false));
                    rows++;
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException(context + ": reading the source failed", e);
        }
        return new DiffStats(NAME, StrategyDetails.builder().put(Figure.ROWS_FETCHED, rows)
                .put(Figure.ROWS_COMPARED, rows)
                .build());
    }
}
