package dev.recon.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * One JDBC connection in autocommit mode with the few query forms recon's catalog, lock and
 * state code need: positional {@code ?} parameters, rows mapped by a lambda, failures as an
 * unchecked {@link SqlFailure} that keeps the driver's {@link SQLException} as its cause.
 *
 * <p>Plain JDBC on purpose: a fresh process spends about 0.24 s loading and initialising a
 * mapping library (its SQL parser, type registry, flight-recorder events) before its first
 * query, and every {@code recon diff} is a fresh process (docs/benchmarks.md, start-up).
 * Parameters of type {@code String[]} and {@code Long[]} are bound as {@code text[]} and
 * {@code bigint[]}; {@code null} as an untyped NULL.
 */
public final class Session implements AutoCloseable {
    /** Maps the current row of a result. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A statement the database refused, with its {@link SQLException} as the cause. */
    public static final class SqlFailure extends RuntimeException {
        SqlFailure(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        public SQLException sqlException() {
            return (SQLException) getCause();
        }
    }

    private final Connection connection;

    public Session(Connection connection) {
        this.connection = connection;
    }

    public Connection connection() {
        return connection;
    }

    /** Every row of the query, mapped. */
    public <T> List<T> list(String sql, Row<T> row, Object... params) {
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /** The query's only row, mapped; an {@link IllegalStateException} when it returns none or more. */
    public <T> T one(String sql, Row<T> row, Object... params) {
        List<T> all = list(sql, row, params);
        if (all.size() != 1) {
            throw new IllegalStateException("expected one row, got " + all.size() + " from: " + sql);
        }
        return all.get(0);
    }

    /** The boolean in the first column of the query's only row. */
    public boolean test(String sql, Object... params) {
        return one(sql, rs -> rs.getBoolean(1), params);
    }

    /** Runs a statement that returns no rows; the number of rows it changed. */
    public int update(String sql, Object... params) {
        try (PreparedStatement ps = prepare(sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public void inTransaction(Runnable work) {
        try {
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /** A prepared statement with its parameters bound; the caller closes it. */
    public PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                if (p == null) {
                    ps.setNull(i + 1, Types.NULL);
                } else if (p instanceof String[] texts) {
                    ps.setArray(i + 1, connection.createArrayOf("text", texts));
                } else if (p instanceof Long[] numbers) {
                    ps.setArray(i + 1, connection.createArrayOf("bigint", numbers));
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing left to release
        }
    }
}
