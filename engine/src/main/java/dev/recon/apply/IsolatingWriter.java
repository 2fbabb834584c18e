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
    /** Changes of the batch in flight left alone because their row changed meanwhile ({@link #changedMeanwhile}). */
    private final List<List<String>> pendingMeanwhile = new ArrayList<>();
    private long meanwhile;
    private final List<List<String>> meanwhileKeys = new ArrayList<>();

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
        return new ApplyResult(written, failed).withMeanwhile(meanwhile, meanwhileKeys);
    }

    /**
     * Called by {@link #write} for a change it left alone because the target row no longer
     * holds what recon compared (or a row was inserted meanwhile): counted when its batch commits.
     */
    protected final void changedMeanwhile(RowChange change) {
        pendingMeanwhile.add(change.key());
    }

    /**
     * Writes and commits {@code batch}; if the target refuses it, rolls back and hands each
     * half to {@code half} (which comes back here), down to single rows, which are recorded.
     */
    protected final void commitOrSplit(List<RowChange> batch, boolean upsert, Consumer<List<RowChange>> half) {
        pendingMeanwhile.clear();
        try {
            Counts counts = write(batch, upsert);
            onCommit.beforeCommit(connection, counts);
            connection.commit();
            written = written.plus(counts);
            meanwhile += pendingMeanwhile.size();
            for (List<String> key : pendingMeanwhile) {
                if (meanwhileKeys.size() < ApplyResult.MEANWHILE_KEPT) {
                    meanwhileKeys.add(key);
                }
            }
            pendingMeanwhile.clear();
        } catch (SQLException e) {
            pendingMeanwhile.clear();
            rollback();
            if (isFatal(e)) {
                throw new DatabaseException(context("writing to " + plan.targetTable().displayName()
                        + " failed; batches committed so far are kept, the next run finishes the rest"), e);
            }
            if (batch.size() == 1 && insertedMeanwhileOrFalse(batch.get(0), e)) {
                meanwhile++;
                if (meanwhileKeys.size() < ApplyResult.MEANWHILE_KEPT) {
                    meanwhileKeys.add(batch.get(0).key());
                }
                return;
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

    /**
     * True when {@code e}, the error of the one change {@code c}, is an insert's clash with a
     * row of the same key inserted after recon read the target: the row is left to whoever
     * wrote it, counted as changed meanwhile rather than failed. Asked after the rollback.
     */
    protected boolean insertedMeanwhile(RowChange c, SQLException e) throws SQLException {
        return false;
    }

    private boolean insertedMeanwhileOrFalse(RowChange c, SQLException e) {
        try {
            return insertedMeanwhile(c, e);
        } catch (SQLException asking) {
            LOG.debug("{} - cannot tell whether {} was inserted meanwhile: {}", plan.name(), c.key(),
                    asking.getMessage());
            return false;
        } finally {
            rollback();
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
