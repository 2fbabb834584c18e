package dev.recon.engines.duckdb;

import com.google.common.util.concurrent.RateLimiter;
import dev.recon.apply.BufferingWriter;
import dev.recon.apply.RowWriter;
import dev.recon.config.Operation;
import dev.recon.db.DatabaseException;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.result.Counts;
import dev.recon.result.RowChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Applies changes to a DuckDB table as the other engines' writers do to theirs: batches, each
 * in one transaction, a batch the table refuses split in halves until the refused rows are
 * isolated. A batch is set-based: its rows go into a temporary table of texts, then one
 * {@code INSERT ... SELECT}, one {@code UPDATE ... FROM} and one {@code DELETE ... USING}
 * write them, each value cast from its canonical text to the column's type (so a value out of
 * range or too precise fails its row). Before writing, the batch's target rows are read again
 * in the batch's transaction: an insert whose key is there now, or an update or delete whose
 * row no longer holds what recon compared, is left alone and counted as changed meanwhile.
 */
final class DuckDbWriter extends BufferingWriter {
    private final DuckDbSide side;
    private final List<ColumnMapping> all;
    private final int nKeys;
    private final String batchTable;

    DuckDbWriter(MappingPlan plan, Connection connection, int batchSize, LongConsumer progress, RateLimiter throttle,
            RowWriter.CommitHook onCommit) {
        super(plan, connection, batchSize, progress, throttle);
        this.onCommit = onCommit;
        this.side = (DuckDbSide) plan.targetSide();
        this.all = plan.allColumns();
        this.nKeys = plan.keys().size();
        this.batchTable = "recon_batch";
        List<String> columns = new ArrayList<>();
        columns.add("idx INTEGER");
        columns.add("op VARCHAR");
        for (int i = 0; i < all.size(); i++) {
            columns.add("v" + i + " VARCHAR");
        }
        try (Statement s = connection.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("CREATE OR REPLACE TEMPORARY TABLE " + batchTable + " (" + String.join(", ", columns) + ")");
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new DatabaseException(context("cannot prepare the target connection"), e);
        }
    }

    @Override
    protected Counts write(List<RowChange> batch, boolean upsert) throws SQLException {
        List<RowChange> wanted = new ArrayList<>();
        for (RowChange c : batch) {
            if (plan.applies(c.operation())) {
                wanted.add(c);
            }
        }
        if (wanted.isEmpty()) {
            return Counts.ZERO;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DELETE FROM " + batchTable);
        }
        load(wanted);
        List<RowChange> asRead = stillAsRead(wanted);
        if (asRead.size() < wanted.size()) {
            try (Statement s = connection.createStatement()) {
                s.execute("DELETE FROM " + batchTable);
            }
            load(asRead);
        }
        long inserted = 0;
        long updated = 0;
        long deleted = 0;
        String table = side.sqlName();
        try (Statement s = connection.createStatement()) {
            if (asRead.stream().anyMatch(c -> c.operation() == Operation.INSERT)) {
                List<String> names = new ArrayList<>();
                List<String> values = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    names.add(DuckDbCatalog.quote(all.get(i).targetColumn()));
                    values.add(checked(i));
                }
                inserted = s.executeLargeUpdate("INSERT INTO " + table + " (" + String.join(", ", names) + ") SELECT "
                        + String.join(", ", values) + " FROM " + batchTable + " b WHERE b.op = 'I' ORDER BY b.idx");
            }
            if (asRead.stream().anyMatch(c -> c.operation() == Operation.UPDATE) && all.size() > nKeys) {
                List<String> sets = new ArrayList<>();
                for (int i = nKeys; i < all.size(); i++) {
                    sets.add(DuckDbCatalog.quote(all.get(i).targetColumn()) + " = " + checked(i));
                }
                updated = s.executeLargeUpdate("UPDATE " + table + " AS t SET " + String.join(", ", sets) + " FROM "
                        + batchTable + " b WHERE b.op = 'U' AND " + keyMatch());
            } else if (all.size() == nKeys) {
                updated = asRead.stream().filter(c -> c.operation() == Operation.UPDATE).count();
            }
            if (asRead.stream().anyMatch(c -> c.operation() == Operation.DELETE)) {
                deleted = s.executeLargeUpdate("DELETE FROM " + table + " AS t USING " + batchTable + " b WHERE"
                        + " b.op = 'D' AND " + keyMatch());
            }
        }
        return new Counts(inserted, updated, deleted);
    }

    /**
     * Column {@code i}'s text of the batch table cast to the target column's type: PostgreSQL's
     * hex of bytes ({@code \\xab00}) unhexed, since DuckDB's cast would read {@code \\xab} as one
     * escaped byte and {@code 00} as text; a date or time before the common era
     * ({@code 0045-03-15 BC}) as DuckDB spells it ({@code 0045-03-15 (BC)}).
     */
    private String cast(int i) {
        String type = all.get(i).targetType();
        String v = "b.v" + i;
        if (type.equalsIgnoreCase("BLOB")) {
            return "unhex(substr(" + v + ", 3))";
        }
        if (type.equalsIgnoreCase("DATE")) {
            // DuckDB reads no timestamp before the common era from text: such a value fails its row
            v = "CASE WHEN suffix(" + v + ", ' BC') THEN substr(" + v + ", 1, length(" + v + ") - 3) || ' (BC)' ELSE "
                    + v + " END";
        }
        return "CAST(" + v + " AS " + type + ")";
    }

    /**
     * {@link #cast}, and the row fails when the value the column would hold does not read back as
     * the text recon was given (a scale or a precision the column rounds to, a timestamp it
     * cuts): written rounded, it would be reported applied and differ again on every run.
     * Floats, compared by value, are not read back.
     */
    private String checked(int i) {
        DuckDbValues.Read read = side.read(i);
        if (read.byValue()) {
            return cast(i);
        }
        String column = DuckDbCatalog.quote(all.get(i).targetColumn());
        String back = read.select().replace(column, "(" + cast(i) + ")");
        return "CASE WHEN (" + back + ") IS DISTINCT FROM b.v" + i + " THEN error('value ' || b.v"
                + i + " || ' does not fit column " + all.get(i).targetColumn().replace("'", "''") + " ("
                + all.get(i).targetType().replace("'", "''") + ") as it is') ELSE " + cast(i) + " END";
    }

    /**
     * The batch row's key is the target row's: by the column's own equality (what DuckDB joins
     * by), and by the bytes of the text recon compared, so that a collation that calls two
     * keys equal (NOCASE) cannot make one change write another key's row.
     */
    private String keyMatch() {
        List<String> match = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            String column = "t." + DuckDbCatalog.quote(all.get(i).targetColumn());
            if (!all.get(i).targetType().equalsIgnoreCase("TIMESTAMP_NS")) {
                // (a nanosecond key is matched by its text alone: its microseconds are what recon compared)
                match.add(column + (all.get(i).targetNullable() ? " IS NOT DISTINCT FROM " : " = ") + cast(i));
            }
            match.add("encode(" + side.read(i).select().replace(DuckDbCatalog.quote(all.get(i).targetColumn()), column)
                    + ") IS NOT DISTINCT FROM encode(b.v" + i + ")");
        }
        return String.join(" AND ", match);
    }

    /** Rows per statement that fills the batch table: one statement per row costs DuckDB a round of its own. */
    private static final int ROWS_PER_INSERT = 256;

    /** The batch's changes into the batch table: the new values of inserts and updates, the keys of deletes. */
    private void load(List<RowChange> batch) throws SQLException {
        int width = all.size() + 2;
        String row = "(" + "?, ".repeat(width - 1) + "?)";
        for (int from = 0; from < batch.size(); from += ROWS_PER_INSERT) {
            int to = Math.min(batch.size(), from + ROWS_PER_INSERT);
            StringBuilder sql = new StringBuilder("INSERT INTO " + batchTable + " VALUES ");
            for (int r = from; r < to; r++) {
                sql.append(r > from ? ", " : "").append(row);
            }
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (int r = from; r < to; r++) {
                    RowChange c = batch.get(r);
                    ps.setInt(p++, r);
                    ps.setString(p++, c.operation() == Operation.INSERT ? "I" : c.operation() == Operation.UPDATE ? "U"
                            : "D");
                    List<String> values = c.operation() == Operation.DELETE ? c.key() : c.source();
                    for (int i = 0; i < all.size(); i++) {
                        ps.setString(p++, i < values.size() ? values.get(i) : null);
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    /**
     * The batch's changes whose target row is still as recon read it, read again in the batch's
     * transaction: an insert's key still absent; an update's or a delete's row there, with every
     * mapped column holding what recon compared. The others are counted as changed meanwhile.
     */
    private List<RowChange> stillAsRead(List<RowChange> batch) throws SQLException {
        List<String> reads = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            reads.add(side.read(i).select().replace(DuckDbCatalog.quote(all.get(i).targetColumn()),
                    "t." + DuckDbCatalog.quote(all.get(i).targetColumn())));
        }
        Map<Integer, String[]> found = new HashMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT b.idx, "
                + String.join(", ", reads) + " FROM " + batchTable + " b JOIN " + side.sqlName() + " AS t ON "
                + keyMatch())) {
            while (rs.next()) {
                String[] row = new String[all.size()];
                for (int i = 0; i < all.size(); i++) {
                    row[i] = rs.getString(i + 2);
                }
                found.put(rs.getInt(1), row);
            }
        }
        List<RowChange> out = new ArrayList<>(batch.size());
        for (int idx = 0; idx < batch.size(); idx++) {
            RowChange c = batch.get(idx);
            String[] row = found.get(idx);
            boolean asRead = c.operation() == Operation.INSERT ? row == null : row != null && holds(row, c);
            if (asRead) {
                out.add(c);
            } else {
                changedMeanwhile(c);
            }
        }
        return out;
    }

    private boolean holds(String[] row, RowChange c) {
        for (int i = nKeys; i < all.size(); i++) {
            if (!Objects.equals(row[i], c.target().get(i))) {
                return false;
            }
        }
        return true;
    }

    /** DuckDB's errors carry no SQLSTATE: a row's value or constraint is named by the error's kind. */
    @Override
    protected boolean isFatal(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return !(m.startsWith("Constraint Error") || m.startsWith("Conversion Error") || m.startsWith("Invalid Input Error")
                || m.startsWith("Out of Range Error"));
    }
}
