package dev.recon.apply;

import dev.recon.result.ApplyResult;
import dev.recon.result.RowChange;

/**
 * Applies a sync's changes to its target in batches, each in its own transaction, isolating
 * the rows the target refuses: {@link BatchWriter} for PostgreSQL, {@link MariaDbWriter} for
 * MariaDB and MySQL.
 */
public interface RowWriter {
    /** Buffers one change; a full batch is written. */
    void accept(RowChange change);

    /** The committed totals so far, leaving what is buffered unwritten (a stop between batches). */
    ApplyResult committed();

    /** Applies what is still buffered and returns the committed totals. */
    ApplyResult finish();
}
