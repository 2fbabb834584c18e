package dev.recon.engines.mariadb;

import com.google.common.io.BaseEncoding;
import com.google.common.util.concurrent.RateLimiter;
import dev.recon.config.Operation;
import dev.recon.apply.BufferingWriter;
import dev.recon.apply.RowWriter;
import dev.recon.db.DatabaseException;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.result.Counts;
import dev.recon.result.RowChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Applies changes to a MariaDB or MySQL target as {@link BatchWriter} does to PostgreSQL:
 * batches of {@code INSERT ... ON DUPLICATE KEY UPDATE} and of deletes by key, each batch in
 * its own transaction; a batch the server refuses is split in halves until the refused rows
 * are isolated (recorded with SQLSTATE and message), while errors about the connection or
 * the server end the run. The session is strict ({@code STRICT_ALL_TABLES}): a value too long
 * or out of range fails its row instead of being cut to fit. Values arrive as PostgreSQL
 * prints them in the type the mapping compares in and are written as MariaDB reads them:
 * booleans as 1 and 0, {@code \x} hex as bytes, a UTC timestamp without its {@code +00}.
 * A batch of at least {@link #MIN_LOAD_ROWS} inserts goes by MariaDB's bulk load first
 * ({@link #load}), and by INSERT when that does not take every row as it is.
 */
public final class MariaDbWriter extends BufferingWriter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MariaDbWriter.class);

    /** How a value's text becomes what MariaDB is given. */
    private enum Form { TEXT, BOOLEAN, BYTES, UTC }

    private final String table;
    private final List<ColumnMapping> all;
    private final Form[] forms;

    public MariaDbWriter(MappingPlan plan, Connection connection, int batchSize, LongConsumer progress,
            RateLimiter throttle) {
        super(plan, connection, batchSize, progress, throttle);
        this.table = ((MariaDbSide) plan.targetSide()).table().sqlName();
        this.all = plan.allColumns();
        this.forms = new Form[all.size()];
        for (int i = 0; i < all.size(); i++) {
            String t = all.get(i).type().compareType().toLowerCase(Locale.ROOT);
            forms[i] = t.equals("boolean") ? Form.BOOLEAN : t.equals("bytea") ? Form.BYTES
                    : t.startsWith("timestamp") && t.endsWith("with time zone") ? Form.UTC : Form.TEXT;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("SET NAMES utf8mb4");
            s.execute("SET time_zone = '+00:00'");
            s.execute("SET SESSION sql_mode = CONCAT_WS(',', @@sql_mode, 'STRICT_ALL_TABLES')");
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new DatabaseException(context("cannot prepare the target connection"), e);
        }
    }

    /** Sets the hook each batch's transaction runs before it commits. */
    public MariaDbWriter onCommit(RowWriter.CommitHook hook) {
        this.onCommit = hook;
        return this;
    }

    @Override
    protected Counts write(List<RowChange> batch, boolean upsert) throws SQLException {
        return upsert ? writeUpserts(batch) : Counts.of(Operation.DELETE, writeDeletes(batch));
    }

    /** Connector/J starts each message with its connection's number: not the row's business. */
    @Override
    protected String message(SQLException e) {
        return super.message(e).replaceFirst("^\\(conn=\\d+\\) ", "");
    }

    private Counts writeUpserts(List<RowChange> batch) throws SQLException {
        List<RowChange> inserts = new ArrayList<>();
        List<RowChange> updates = new ArrayList<>();
        for (RowChange c : stillAsRead(batch)) {
            (c.operation() == Operation.INSERT ? inserts : updates).add(c);
        }
        long inserted = 0;
        if (!inserts.isEmpty() && plan.applies(Operation.INSERT)) {
            // plain INSERTs: a row of the same key inserted since the read fails its row (and counts as changed
            // meanwhile, insertedMeanwhile), another unique key's clash fails its row
            inserted = inserts.size() >= MIN_LOAD_ROWS && load(inserts) ? inserts.size() : insert(inserts);
        }
        long updated = updates.isEmpty() || !plan.applies(Operation.UPDATE) ? 0 : update(updates);
        return new Counts(inserted, updated, 0);
    }

    /**
     * The changes of the batch whose target row is still as recon read it: locked by one read
     * of the batch's keys ({@link MariaDbSide#lockedRows}), an insert's key still absent, an
     * update's or a delete's row still there with the values recon compared (and, with a soft
     * delete, marked as it was). The others are left alone and counted as changed meanwhile.
     */
    private List<RowChange> stillAsRead(List<RowChange> batch) throws SQLException {
        int nKeys = plan.keys().size();
        Map<List<String>, String[]> found = new HashMap<>();
        int width = all.size() + 1;
        try (PreparedStatement ps = connection.prepareStatement(
                ((MariaDbSide) plan.targetSide()).lockedRows(anyKey(batch.size())))) {
            bindKeys(ps, batch);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] row = new String[width];
                    for (int i = 0; i < all.size(); i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    row[all.size()] = String.valueOf(rs.getBoolean(width));
                    found.put(Arrays.asList(row).subList(0, nKeys), row);
                }
            }
        }
        List<RowChange> out = new ArrayList<>(batch.size());
        for (RowChange c : batch) {
            String[] row = found.get(c.key());
            boolean asRead = c.operation() == Operation.INSERT ? row == null : row != null && holds(row, c);
            if (asRead) {
                out.add(c);
            } else {
                changedMeanwhile(c);
            }
        }
        return out;
    }

    /**
     * True when {@code row} holds what recon read of {@code c}'s target row: every mapped
     * column, compared or only written, and the soft-delete marker.
     */
    private boolean holds(String[] row, RowChange c) {
        for (int i = plan.keys().size(); i < all.size(); i++) {
            if (!Objects.equals(row[i], c.target().get(i))) {
                return false;
            }
        }
        boolean marked = Boolean.parseBoolean(row[all.size()]);
        return plan.softDelete().isEmpty() || marked == (c.operation() == Operation.UPDATE && c.revive());
    }

    /** An insert refused because a row of its key is there now: it was inserted after recon read the target. */
    @Override
    protected boolean insertedMeanwhile(RowChange c, SQLException e) throws SQLException {
        if (c.operation() != Operation.INSERT || e.getErrorCode() != 1062) {
            return false;
        }
        return exists(c);
    }

    private boolean exists(RowChange c) throws SQLException {
        int nKeys = plan.keys().size();
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM " + table + " WHERE "
                + keyMatch(nKeys))) {
            for (int i = 0; i < nKeys; i++) {
                bind(ps, i + 1, i, c.key().get(i));
            }
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Batches of inserts at least this large try {@link #load} first. */
    static final int MIN_LOAD_ROWS = 100;

    /** False once the server or the connection has refused LOAD DATA LOCAL INFILE: not asked again. */
    private boolean loadable = true;

    /**
     * Inserts a batch of new rows by one {@code LOAD DATA LOCAL INFILE} streamed from memory,
     * MariaDB's bulk load, in the batch's transaction; true when every row went in as it is.
     * LOCAL turns what would be an error (a value too long, out of range, of the wrong
     * character set; a duplicate key) into a warning and goes on, so the load counts as done
     * only with no warning and every row inserted: otherwise it is rolled back and the caller
     * writes the batch by INSERT, which fails and isolates the refused rows as usual. A server
     * that does not allow it (MySQL's {@code local_infile} is off by default) or a connection
     * with {@code allowLocalInfile: false} is asked once.
     */
    private boolean load(List<RowChange> batch) throws SQLException {
        if (!loadable) {
            return false;
        }
        List<String> fields = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String column = MariaDbSql.quote(all.get(i).targetColumn());
            fields.add("@v" + i);
            sets.add(column + " = " + switch (forms[i]) {
                case BYTES -> "UNHEX(@v" + i + ")";
                case BOOLEAN -> "CAST(@v" + i + " AS UNSIGNED)";
                default -> "@v" + i;
            });
        }
        plan.softDelete().ifPresent(sd -> sets.add(MariaDbSql.quote(sd.column()) + " = " + MariaDbSql.liveValue(sd)));
        StringBuilder tsv = new StringBuilder();
        for (RowChange c : batch) {
            for (int i = 0; i < all.size(); i++) {
                String v = loadValue(i, c.source().get(i));
                if (v == LOAD_REFUSED) {
                    return false;
                }
                if (i > 0) {
                    tsv.append('\t');
                }
                escape(tsv, v);
            }
            tsv.append('\n');
        }
        try (Statement s = connection.createStatement()) {
            s.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(
                    new java.io.ByteArrayInputStream(tsv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            long loaded;
            try {
                loaded = s.executeLargeUpdate("LOAD DATA LOCAL INFILE 'recon-batch.tsv' INTO TABLE " + table
                        // tab, backslash, newline, as hex: whatever the session's NO_BACKSLASH_ESCAPES says
                        + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY X'09' ESCAPED BY X'5C' LINES TERMINATED BY X'0A'"
                        + " (" + String.join(", ", fields) + ") SET " + String.join(", ", sets));
            } catch (SQLException e) {
                if (isFatal(e) && !refusesLocalInfile(e)) {
                    throw e;
                }
                rollback();
                if (refusesLocalInfile(e)) {
                    loadable = false;
                    LOG.info("{} - the target does not take LOAD DATA LOCAL INFILE ({}); inserting by INSERT",
                            plan.name(), message(e));
                }
                return false;
            }
            long warnings;
            try (java.sql.ResultSet rs = s.executeQuery("SELECT @@warning_count")) {
                rs.next();
                warnings = rs.getLong(1);
            }
            if (loaded == batch.size() && warnings == 0) {
                return true;
            }
            LOG.debug("{} - a bulk load of {} rows loaded {} with {} warnings: rolled back, written by INSERT",
                    plan.name(), batch.size(), loaded, warnings);
            rollback();
            return false;
        }
    }

    /** What {@link #loadValue} returns for a value the bulk load cannot carry as the INSERT would bind it. */
    private static final String LOAD_REFUSED = new String("refused");

    /** A value as the bulk load's field carries it (null for NULL), converted as {@link #bind} converts it. */
    private String loadValue(int column, String value) {
        if (value == null) {
            return null;
        }
        return switch (forms[column]) {
            case BOOLEAN -> value.equals("true") ? "1" : value.equals("false") ? "0" : LOAD_REFUSED;
            // UNHEX of anything but hex digits would be NULL, silently: such a value goes by INSERT
            case BYTES -> value.startsWith("\\x") && HEX.matcher(value).matches() ? value.substring(2) : LOAD_REFUSED;
            case UTC -> value.endsWith("+00") ? value.substring(0, value.length() - 3) : value;
            case TEXT -> value;
        };
    }

    private static final java.util.regex.Pattern HEX = java.util.regex.Pattern.compile("\\\\x(?:[0-9a-f]{2})*");

    /** A field in LOAD DATA's default escaping: NULL as \N; backslash, tab, newline, return and NUL escaped. */
    private static void escape(StringBuilder out, String v) {
        if (v == null) {
            out.append("\\N");
            return;
        }
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> out.append("\\0");
                default -> out.append(ch);
            }
        }
    }

    /** The server's or the connection's refusal of LOAD DATA LOCAL INFILE (MySQL 3948, 1148; the driver's). */
    private static boolean refusesLocalInfile(SQLException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return e.getErrorCode() == 3948 || e.getErrorCode() == 1148 || m.contains("local infile")
                || m.contains("local_infile") || m.contains("allowlocalinfile");
    }

    /** Updates of existing rows by key, one statement per row in one JDBC batch; returns the rows updated. */
    private long update(List<RowChange> batch) throws SQLException {
        int nKeys = plan.keys().size();
        List<String> sets = new ArrayList<>();
        for (ColumnMapping m : plan.columns()) {
            sets.add(MariaDbSql.quote(m.targetColumn()) + " = ?");
        }
        // an updated row is live: a soft-deleted one comes back
        plan.softDelete().ifPresent(s -> sets.add(MariaDbSql.quote(s.column()) + " = " + MariaDbSql.liveValue(s)));
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table + " SET "
                + String.join(", ", sets) + " WHERE " + keyMatch(nKeys))) {
            for (RowChange c : batch) {
                int p = 1;
                for (int i = nKeys; i < all.size(); i++) {
                    bind(ps, p++, i, c.source().get(i));
                }
                for (int i = 0; i < nKeys; i++) {
                    bind(ps, p++, i, c.key().get(i));
                }
                ps.addBatch();
            }
            long updated = 0;
            for (int n : ps.executeBatch()) {
                updated += Math.max(0, n);
            }
            return updated;
        }
    }

    /**
     * One multi-row INSERT of the batch's rows (new and live: a soft-delete marker gets its
     * live value). Returns the rows given.
     */
    private long insert(List<RowChange> batch) throws SQLException {
        List<String> cols = new ArrayList<>();
        for (ColumnMapping m : all) {
            cols.add(MariaDbSql.quote(m.targetColumn()));
        }
        List<String> marks = new ArrayList<>(java.util.Collections.nCopies(all.size(), "?"));
        plan.softDelete().ifPresent(s -> {
            cols.add(MariaDbSql.quote(s.column()));
            marks.add(MariaDbSql.liveValue(s));
        });
        String row = "(" + String.join(", ", marks) + ")";
        String sql = "INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(batch.size(), row));
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int p = 1;
            for (RowChange c : batch) {
                for (int i = 0; i < all.size(); i++) {
                    bind(ps, p++, i, c.source().get(i));
                }
            }
            ps.executeUpdate();
        }
        return batch.size();
    }

    private long writeDeletes(List<RowChange> all) throws SQLException {
        List<RowChange> batch = stillAsRead(all);
        if (batch.isEmpty()) {
            return 0;
        }
        String sql = plan.softDelete().map(s -> "UPDATE " + table + " SET " + MariaDbSql.quote(s.column()) + " = "
                + MariaDbSql.markValue(s) + " WHERE ").orElse("DELETE FROM " + table + " WHERE ")
                + anyKey(batch.size());
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bindKeys(ps, batch);
            return ps.executeUpdate();
        }
    }

    /** A condition that keeps the rows of {@code rows} keys ({@link #keyMatch} for each, ORed): one read per batch. */
    private String anyKey(int rows) {
        String one = "(" + keyMatch(plan.keys().size()) + ")";
        return String.join(" OR ", java.util.Collections.nCopies(rows, one));
    }

    /** Binds the keys of {@code batch}, in order, to the parameters {@link #anyKey} wrote. */
    private void bindKeys(PreparedStatement ps, List<RowChange> batch) throws SQLException {
        int nKeys = plan.keys().size();
        int p = 1;
        for (RowChange c : batch) {
            for (int i = 0; i < nKeys; i++) {
                bind(ps, p++, i, c.key().get(i));
            }
        }
    }

    /** Every key column matched NULL-safely ({@code <=>}: a NULL key part matches NULL). */
    private String keyMatch(int nKeys) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            parts.add(MariaDbSql.quote(plan.keys().get(i).targetColumn()) + " <=> ?");
        }
        return String.join(" AND ", parts);
    }

    private void bind(PreparedStatement ps, int p, int column, String value) throws SQLException {
        if (value == null) {
            ps.setNull(p, java.sql.Types.VARCHAR);
            return;
        }
        switch (forms[column]) {
            // a number, not its character: bit(1) takes 1 and 0, and '1' is too long for it
            case BOOLEAN -> {
                if (value.equals("true") || value.equals("false")) {
                    ps.setInt(p, value.equals("true") ? 1 : 0);
                } else {
                    ps.setString(p, value);
                }
            }
            case BYTES -> {
                if (value.startsWith("\\x")) {
                    ps.setBytes(p, BaseEncoding.base16().lowerCase().decode(value.substring(2)));
                } else {
                    ps.setString(p, value);
                }
            }
            case UTC -> ps.setString(p, value.endsWith("+00") ? value.substring(0, value.length() - 3) : value);
            case TEXT -> ps.setString(p, value);
        }
    }

    /** MariaDB's errors about access, locks and the server: not about the rows, splitting would not help. */
    private static final Set<Integer> FATAL_CODES = Set.of(1044, 1045, 1142, 1143, 1205, 1213, 1290, 1792, 2006, 2013);

    /** Errors about the connection, the server or privileges, not the rows: splitting would not help. */
    @Override
    protected boolean isFatal(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("40") || state.startsWith("HY")
                && !Set.of(1364, 1366, 1292, 1048, 1406, 1264, 1452, 1451, 1062).contains(e.getErrorCode())
                || FATAL_CODES.contains(e.getErrorCode());
    }

}
