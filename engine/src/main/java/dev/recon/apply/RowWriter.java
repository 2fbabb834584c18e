package dev.recon.apply;

import dev.recon.result.ApplyResult;
import dev.recon.result.Counts;
import java.sql.Connection;
import java.sql.SQLException;
import dev.recon.result.RowChange;

/**
 * Applies a sync's changes to its target in batches, each in its own transaction, isolating
 * the rows the target refuses: each engine's own, offered through {@link Writers}.
 */
public interface RowWriter {
    /** Buffers one change; a full batch is written. */
    void accept(RowChange change);

    /** The committed totals so far, leaving what is buffered unwritten (a stop between batches). */
    ApplyResult committed();

    /** Applies what is still buffered and returns the committed totals. */
    ApplyResult finish();

    /**
     * Runs inside each batch's transaction, just before it commits, with what the batch
     * wrote: the run's history counts committed rows exactly, even if the process is killed.
     */
    @FunctionalInterface
    interface CommitHook {
        void beforeCommit(Connection connection, Counts batch) throws SQLException;
    }
}
