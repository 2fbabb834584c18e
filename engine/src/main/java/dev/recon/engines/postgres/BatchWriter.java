package dev.recon.engines.postgres;

import dev.recon.apply.CopyTextLoads;
import dev.recon.apply.IsolatingWriter;
import com.google.common.util.concurrent.RateLimiter;
import dev.recon.config.Operation;
import dev.recon.db.CopyText;
import dev.recon.db.DatabaseException;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ApplyResult;
import dev.recon.result.Counts;
import dev.recon.result.RowChange;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies changes to the target in batches, each batch in its own transaction, so a crash
 * loses at most the batch in flight. A batch the database refuses is split in halves until
 * the refused rows are isolated: the good rows commit, each refused row is recorded with its
 * SQLSTATE and message, and the run goes on. Errors that are not about rows (the connection
 * is gone, the server is out of resources) end the run.
 */
public final class BatchWriter extends IsolatingWriter implements CopyTextLoads.CopyTextLoad {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    private final WriteStatements statements;
    private final int batchSize;
    private final int copyThreshold;
    private final LongConsumer progress;
    /** Paces writes ({@code --max-rows-per-second}); null when unlimited. */
    private final RateLimiter throttle;
    private final List<RowChange> upserts = new ArrayList<>();
    private final List<RowChange> deletes = new ArrayList<>();

    /** Sets the hook each batch's transaction runs before it commits. */
    public BatchWriter onCommit(CommitHook hook) {
        this.onCommit = hook;
        return this;
    }

    /**
     * @param connection a dedicated connection to the target; left in auto-commit off mode
     * @param copyThreshold upsert batches of at least this many rows go through COPY
     * @param progress told how many rows each finished batch handled
     */
    public BatchWriter(MappingPlan plan, Connection connection, int batchSize, int copyThreshold, LongConsumer progress,
            RateLimiter throttle) {
        super(plan, connection);
        this.throttle = throttle;
        this.statements = new WriteStatements(plan);
        this.batchSize = batchSize;
        this.copyThreshold = copyThreshold;
        this.progress = progress;
        try {
            // the guard compares values as the diff printed them: in the diff's session settings
            plan.targetSide().engine().setUpSession(connection);
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new DatabaseException(context("cannot prepare the target connection"), e);
        }
    }

    @Override
    public void accept(RowChange change) {
        if (change.operation() == Operation.DELETE) {
            deletes.add(change);
            if (deletes.size() >= batchSize) {
                flushDeletes();
            }
        } else {
            upserts.add(change);
            if (upserts.size() >= batchSize) {
                flushUpserts();
            }
        }
    }


    @Override
    public ApplyResult finish() {
        flushUpserts();
        flushDeletes();
        return committed();
    }

    private void flushUpserts() {
        if (!upserts.isEmpty()) {
            List<RowChange> batch = List.copyOf(upserts);
            upserts.clear();
            pace(batch.size());
            apply(batch, true);
            progress.accept(batch.size());
        }
    }

    private void flushDeletes() {
        if (!deletes.isEmpty()) {
            List<RowChange> batch = List.copyOf(deletes);
            deletes.clear();
            pace(batch.size());
            apply(batch, false);
            progress.accept(batch.size());
        }
    }

    private void pace(int rows) {
        if (throttle != null) {
            throttle.acquire(rows);
        }
    }

    /**
     * An initial load's batch: {@code rows} new rows, also given as COPY text lines exactly
     * as the source's COPY TO wrote them (newlines included), which are COPYed into the
     * target in one transaction without being encoded again. If the target refuses them,
     * the rows go the upsert way, which isolates the bad ones.
     */
    @Override
    public void loadCopyText(List<byte[]> lines, List<RowChange> rows) {
        pace(rows.size());
        try {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(statements.copyIntoTarget());
            try {
                for (byte[] line : lines) {
                    copy.writeToCopy(line, 0, line.length);
                }
                long copied = copy.endCopy();
                onCommit.beforeCommit(connection, Counts.of(Operation.INSERT, copied));
                written = written.plus(Counts.of(Operation.INSERT, copied));
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollback();
            LOG.debug("{} - COPY of {} new rows refused ({}); upserting them instead", plan.name(), rows.size(),
                    e.getMessage());
            apply(rows, true, false);
        }
        progress.accept(rows.size());
    }

    /** Applies one batch in one transaction, isolating refused rows by bisection. */
    private void apply(List<RowChange> batch, boolean upsert) {
        apply(batch, upsert, true);
    }

    private void apply(List<RowChange> batch, boolean upsert, boolean tryCopy) {
        if (tryCopy && upsert && batch.size() >= copyThreshold && onlyInserts(batch) && copyInserts(batch)) {
            return;
        }
        commitOrSplit(batch, upsert, half -> apply(half, upsert, tryCopy));
    }

    @Override
    protected Counts write(List<RowChange> batch, boolean upsert) throws SQLException {
        return upsert ? writeUpserts(batch) : Counts.of(Operation.DELETE, writeDeletes(batch));
    }

    private static boolean onlyInserts(List<RowChange> batch) {
        for (RowChange c : batch) {
            if (c.operation() != Operation.INSERT) {
                return false;
            }
        }
        return true;
    }

    /**
     * The fast path of an initial load: rows new at the diff's snapshot are COPYed straight
     * into the target. If the target refuses (a row appeared meanwhile, a constraint), the
     * batch is rolled back and goes the upsert way, which isolates the bad rows.
     */
    private boolean copyInserts(List<RowChange> batch) {
        StringBuilder sb = new StringBuilder(batch.size() * 64);
        for (RowChange c : batch) {
            appendCopyLine(sb, c.source().subList(0, statements.writtenValues()));
        }
        try {
            long copied = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn(statements.copyIntoTarget(), new StringReader(sb.toString()));
            onCommit.beforeCommit(connection, Counts.of(Operation.INSERT, copied));
            connection.commit();
            written = written.plus(Counts.of(Operation.INSERT, copied));
            return true;
        } catch (SQLException | IOException e) {
            rollback();
            LOG.debug("{} - direct COPY of {} new rows refused ({}); upserting them instead", plan.name(),
                    batch.size(), e.getMessage());
            return false;
        }
    }

    private static void appendCopyLine(StringBuilder sb, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append('\t');
            }
            CopyText.append(sb, values.get(i));
        }
        sb.append('\n');
    }

    /** True for a row whose key holds a NULL (a nullable unique key): it is matched NULL-safely. */
    private static boolean nullKey(RowChange c) {
        return c.key().contains(null);
    }

    private Counts writeUpserts(List<RowChange> batch) throws SQLException {
        if (plan.multiset()) {
            // a multiset has no updates: its missing copies are inserted as they are
            int n = statements.writtenValues();
            if (batch.size() >= copyThreshold) {
                stage(batch, n, c -> c.source());
                return Counts.of(Operation.INSERT, update(connection.prepareStatement(
                        statements.insertCopies(WriteStatements.stagingTable(n) + " AS u"))));
            }
            return Counts.of(Operation.INSERT, write(statements.insertCopies(WriteStatements.unnest(n)), batch, n, false));
        }
        List<RowChange> inserts = new ArrayList<>();
        List<RowChange> updates = new ArrayList<>();
        List<RowChange> nullKeyUpdates = new ArrayList<>();
        for (RowChange c : batch) {
            if (c.operation() == Operation.INSERT) {
                inserts.add(c);
            } else if (plan.nullableKeys() && nullKey(c)) {
                // ON CONFLICT and = never match a key with a NULL: those rows are updated by a NULL-safe match
                nullKeyUpdates.add(c);
            } else {
                updates.add(c);
            }
        }
        long inserted = inserts.isEmpty() || !plan.applies(Operation.INSERT) ? 0 : insert(inserts);
        long updated = 0;
        if (plan.applies(Operation.UPDATE)) {
            updated += updates.isEmpty() ? 0 : update(updates, false);
            updated += nullKeyUpdates.isEmpty() ? 0 : update(nullKeyUpdates, true);
        }
        return new Counts(inserted, updated, 0);
    }

    /** Guarded inserts ({@link WriteStatements#guardedInsert}): returns how many went in. */
    private long insert(List<RowChange> rows) throws SQLException {
        int width = plan.allColumns().size();
        boolean staged = rows.size() >= copyThreshold;
        if (staged) {
            stage(rows, width, c -> c.source());
        }
        try (PreparedStatement ps = connection.prepareStatement(
                statements.guardedInsert(WriteStatements.rows(width, staged)))) {
            if (!staged) {
                bind(ps, rows, width, c -> c.source());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long inserted = rs.getLong(1);
                Array existed = rs.getArray(2);
                if (existed != null) {
                    for (Long n : (Long[]) existed.getArray()) {
                        changedMeanwhile(rows.get(n.intValue() - 1));
                    }
                }
                return inserted;
            }
        }
    }

    /** Guarded updates ({@link WriteStatements#guardedUpdate}): returns how many were written. */
    private long update(List<RowChange> rows, boolean nullSafe) throws SQLException {
        int width = plan.allColumns().size() + statements.guardWidth();
        Function<RowChange, List<String>> values = c -> withGuard(c.source(), c, c.revive());
        boolean staged = rows.size() >= copyThreshold;
        if (staged) {
            stage(rows, width, values);
        }
        try (PreparedStatement ps = connection.prepareStatement(
                statements.guardedUpdate(WriteStatements.rows(width, staged), nullSafe))) {
            if (!staged) {
                bind(ps, rows, width, values);
            }
            return rows.size() - leftAlone(ps, rows, width, plan.allColumns().size(), nullSafe, values);
        }
    }

    /** A row's values for a guarded statement: {@code first}, then what the guard finds as recon read it. */
    private List<String> withGuard(List<String> first, RowChange c, boolean marked) {
        List<String> out = new ArrayList<>(first);
        for (int i : statements.guarded()) {
            out.add(c.target().get(i));
        }
        if (plan.softDelete().isPresent()) {
            out.add(String.valueOf(marked));
        }
        return out;
    }

    /**
     * Reads what a guarded update or delete left alone: a row that changed meanwhile is
     * counted as such; one a trigger or a rule skipped counts as not applied (by the caller,
     * as a change neither written nor failed). Returns how many were left alone.
     */
    private int leftAlone(PreparedStatement ps, List<RowChange> rows, int width, int guardOffset, boolean nullSafe,
            Function<RowChange, List<String>> values) throws SQLException {
        int n = 0;
        List<RowChange> held = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                n++;
                RowChange c = rows.get((int) rs.getLong(1) - 1);
                if (rs.getBoolean(2)) {
                    held.add(c);
                } else {
                    changedMeanwhile(c);
                }
            }
        }
        if (!held.isEmpty()) {
            // held when the statement began, yet not written: a trigger or a rule skipped them, or a transaction
            // still open then changed them; a statement of its own sees what that transaction committed
            java.util.Set<Integer> still = new java.util.HashSet<>();
            try (PreparedStatement again = connection.prepareStatement(statements.stillHold(width, guardOffset,
                    nullSafe))) {
                bind(again, held, width, values);
                try (ResultSet rs = again.executeQuery()) {
                    while (rs.next()) {
                        still.add((int) rs.getLong(1) - 1);
                    }
                }
            }
            for (int i = 0; i < held.size(); i++) {
                if (!still.contains(i)) {
                    changedMeanwhile(held.get(i));
                }
            }
        }
        return n;
    }

    private long writeDeletes(List<RowChange> batch) throws SQLException {
        if (plan.multiset()) {
            return write(statements.deleteCopies(), batch, statements.writtenValues(), true);
        }
        if (plan.nullableKeys() && batch.stream().anyMatch(BatchWriter::nullKey)) {
            List<RowChange> nulls = batch.stream().filter(BatchWriter::nullKey).toList();
            List<RowChange> rest = batch.stream().filter(c -> !nullKey(c)).toList();
            return (rest.isEmpty() ? 0 : delete(rest, false)) + delete(nulls, true);
        }
        return delete(batch, false);
    }

    /** Guarded deletes ({@link WriteStatements#guardedDelete}): returns how many were deleted (or marked). */
    private long delete(List<RowChange> rows, boolean nullSafe) throws SQLException {
        int width = plan.keys().size() + statements.guardWidth();
        try (PreparedStatement ps = connection.prepareStatement(statements.guardedDelete(nullSafe))) {
            Function<RowChange, List<String>> values = c -> withGuard(c.key(), c, false);
            bind(ps, rows, width, values);
            return rows.size() - leftAlone(ps, rows, width, plan.keys().size(), nullSafe, values);
        }
    }

    /** Runs one statement over {@code n} columns of the rows (their keys, or their source values); returns rows affected. */
    private long write(String sql, List<RowChange> rows, int n, boolean keys) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, rows, n, keys ? c -> c.key() : c -> c.source());
            return ps.executeUpdate();
        }
    }

    /** Binds {@code n} values of each row, one {@code text[]} parameter per value. */
    private void bind(PreparedStatement ps, List<RowChange> rows, int n, Function<RowChange, List<String>> values)
            throws SQLException {
        List<List<String>> all = new ArrayList<>(rows.size());
        for (RowChange c : rows) {
            all.add(values.apply(c));
        }
        for (int col = 0; col < n; col++) {
            String[] column = new String[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                column[r] = all.get(r).get(col);
            }
            ps.setArray(col + 1, textArray(column));
        }
    }

    /** COPYs {@code width} values of each row and its number in the batch into the staging table. */
    private void stage(List<RowChange> rows, int width, Function<RowChange, List<String>> values) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(WriteStatements.createStaging(width));
        }
        StringBuilder sb = new StringBuilder(rows.size() * 64);
        for (int r = 0; r < rows.size(); r++) {
            List<String> v = values.apply(rows.get(r));
            for (int i = 0; i < width; i++) {
                CopyText.append(sb, v.get(i));
                sb.append('\t');
            }
            sb.append(r + 1).append('\n');
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn(WriteStatements.copyIntoStaging(width), new StringReader(sb.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY into the staging table failed: " + e.getMessage(), "08006", e);
        }
    }

    private static long update(PreparedStatement ps) throws SQLException {
        try (ps) {
            return ps.executeUpdate();
        }
    }

    private Array textArray(String[] values) throws SQLException {
        return connection.createArrayOf("text", values);
    }

    @Override
    protected boolean isFatal(SQLException e) {
        return fatal(e);
    }

    /** Errors about the connection or the server, not the rows: splitting would not help. */
    static boolean fatal(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return true;
        }
        // 42501: a missing privilege refuses every row alike (and would take the inserts of a batch with it)
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                || state.startsWith("58") || state.startsWith("XX") || state.equals("25P02") || state.equals("42501");
    }

}
