package dev.recon.apply;

import dev.recon.db.DatabaseException;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ApplyResult;
import dev.recon.result.Counts;
import dev.recon.result.FailedRow;
import dev.recon.result.RowChange;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both engines' writers share: a batch is written in one transaction and committed
 * with its counts in the run's history; a batch the target refuses is split in halves until
 * the refused rows are isolated, each recorded with its SQLSTATE and message, while an error
 * about the connection or the server ({@link #isFatal}) ends the run.
 */
public abstract class IsolatingWriter implements RowWriter {
    private static final Logger LOG = LoggerFactory.getLogger(IsolatingWriter.class);

    protected final MappingPlan plan;
    protected final Connection connection;
    protected final List<FailedRow> failed = new ArrayList<>();
    protected Counts written = Counts.ZERO;
    protected RowWriter.CommitHook onCommit = (c, batch) -> { };

    protected IsolatingWriter(MappingPlan plan, Connection connection) {
        this.plan = plan;
        this.connection = connection;
    }

    /** Writes the batch in the open transaction; returns what it wrote. */
    protected abstract Counts write(List<RowChange> batch, boolean upsert) throws SQLException;

    /** True for an error that is not about the rows: splitting the batch would not help. */
    protected abstract boolean isFatal(SQLException e);

    /** A refused row's message, as its failure is recorded. */
    protected String message(SQLException e) {
        return DatabaseException.firstLine(e.getMessage());
    }

    @Override
    public ApplyResult committed() {
        return new ApplyResult(written, failed);
    }

    /**
     * Writes and commits {@code batch}; if the target refuses it, rolls back and hands each
     * half to {@code half} (which comes back here), down to single rows, which are recorded.
     */
    protected final void commitOrSplit(List<RowChange> batch, boolean upsert, Consumer<List<RowChange>> half) {
        try {
            Counts counts = write(batch, upsert);
            onCommit.beforeCommit(connection, counts);
            connection.commit();
            written = written.plus(counts);
        } catch (SQLException e) {
            rollback();
            if (isFatal(e)) {
                throw new DatabaseException(context("writing to " + plan.targetTable().displayName()
                        + " failed; batches committed so far are kept, the next run finishes the rest"), e);
            }
            if (batch.size() == 1) {
                RowChange c = batch.get(0);
                FailedRow row = new FailedRow(c.key(), c.operation(), e.getSQLState(), message(e));
                LOG.debug("{} - {} of {} failed: {}", plan.name(), c.operation().label(), c.key(), row.message());
                failed.add(row);
                return;
            }
            int middle = batch.size() / 2;
            half.accept(batch.subList(0, middle));
            half.accept(batch.subList(middle, batch.size()));
        }
    }

    protected final void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("{} - rollback failed: {}", plan.name(), e.getMessage());
        }
    }

    protected final String context(String what) {
        return "mapping '" + plan.name() + "': " + what;
    }
}
