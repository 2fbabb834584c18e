package dev.recon.apply;

import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import java.sql.Connection;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * An engine whose empty tables load a source's rows straight from their lines in PostgreSQL's
 * COPY text format (a sync's initial load), offered through
 * {@code Engine.feature(CopyTextLoads.class)}; without it a sync into an empty table inserts
 * in batches like any other.
 */
public interface CopyTextLoads {
    /** A writer of {@code plan}'s target on {@code connection} that also loads COPY text. */
    CopyTextLoad loader(MappingPlan plan, Connection connection, int batchSize, int copyThreshold,
            LongConsumer progress, RowWriter.CommitHook onCommit);

    /** A writer that loads rows from their COPY text lines. */
    interface CopyTextLoad extends RowWriter {
        /** Loads these rows, {@code lines} their COPY text (newline included), in one batch's transaction. */
        void loadCopyText(List<byte[]> lines, List<RowChange> rows);
    }
}
