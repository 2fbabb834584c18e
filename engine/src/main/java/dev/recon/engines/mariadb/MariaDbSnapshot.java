package dev.recon.engines.mariadb;

import dev.recon.engines.mariadb.MariaDbValues.Read;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One side's consistent, read-only view of a MariaDB or MySQL database for a comparison: the
 * session in UTC ({@code time_zone = '+00:00'}, so {@code timestamp} columns read as
 * PostgreSQL's {@code timestamptz} in UTC), UTF-8 ({@code SET NAMES utf8mb4}), no SQL mode that
 * would change what a value prints ({@code PAD_CHAR_TO_FULL_LENGTH}, {@code ANSI_QUOTES}), and
 * {@code START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY} (InnoDB: every query sees the
 * database as it was at that moment). Rows stream in key order, a fetch at a time.
 */
public final class MariaDbSnapshot implements AutoCloseable {
    /** Rows a fetch brings. */
    static final int FETCH_SIZE = 10_000;

    private final Connection connection;

    private MariaDbSnapshot(Connection connection) {
        this.connection = connection;
    }

    /** Begins the snapshot on {@code connection}, which it then owns (closed with it). */
    public static MariaDbSnapshot begin(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String setting : MariaDbEngine.SESSION_SETTINGS) {
                s.execute(setting);
            }
            s.execute(MariaDbEngine.BEGIN);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new MariaDbSnapshot(connection);
    }

    public Connection connection() {
        return connection;
    }

    /**
     * {@code SELECT} of the keys, then the other columns, each as its rule prints it, from
     * {@code table} (rows where {@code where} holds, when not null) in key order (the keys'
     * order lists, NULLs last, as PostgreSQL sorts them).
     */
    public static String ordered(MariaDbTable table, List<Read> keys, List<Read> columns, String where) {
        List<String> select = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (Read k : keys) {
            select.add(k.select());
            order.add(k.order());
        }
        for (Read c : columns) {
            select.add(c.select());
        }
        return "SELECT " + String.join(", ", select) + " FROM " + table.sqlName()
                + (where == null ? "" : " WHERE (" + where + ")") + " ORDER BY " + String.join(", ", order);
    }

    /** Streams the rows of {@code sql} (every column as text) to {@code row}; returns how many. */
    public long stream(String sql, Consumer<String[]> row) throws SQLException {
        long n = 0;
        try (PreparedStatement ps = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] values = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        values[i] = rs.getString(i + 1);
                    }
                    row.accept(values);
                    n++;
                }
            }
        }
        return n;
    }

    /** Ends the snapshot (nothing was written) and closes the connection. */
    @Override
    public void close() throws SQLException {
        try {
            try (Statement s = connection.createStatement()) {
                s.execute("ROLLBACK");
            }
        } finally {
            connection.close();
        }
    }
}
