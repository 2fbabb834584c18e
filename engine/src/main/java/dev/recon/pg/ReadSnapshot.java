package dev.recon.pg;

import dev.recon.base.Side;
import dev.recon.config.ConnectionConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * One side's consistent, read-only view: a dedicated connection in a REPEATABLE READ,
 * READ ONLY transaction, with the session settings that make PostgreSQL's text output of
 * values identical on every server (time zone, date and interval styles, float digits).
 */
public final class ReadSnapshot implements AutoCloseable {
    /** Rows per round trip of a cursor that streams rows to recon. */
    public static final int FETCH_SIZE = 5_000;

    /** Session settings every reader uses, so two servers print equal values alike. */
    public static final List<String> SESSION_SETTINGS = List.of("SET TimeZone = 'UTC'",
            "SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'", "SET extra_float_digits = 1",
            "SET bytea_output = 'hex'", "SET jit = off");

    private final Connection connection;
    private final Side side;

    private ReadSnapshot(Connection connection, Side side) {
        this.connection = connection;
        this.side = side;
    }

    public static ReadSnapshot open(Databases databases, ConnectionConfig config, String context, Side side) {
        Connection c = databases.connection(config, context + ": " + side);
        try {
            try (Statement s = c.createStatement()) {
                for (String setting : SESSION_SETTINGS) {
                    s.execute(setting);
                }
            }
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            return new ReadSnapshot(c, side);
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new DatabaseException(context + ": cannot open a read snapshot on the " + side, e);
        }
    }

    /**
     * Gives this session the memory a large aggregate needs (many segments) so that it does
     * not spill to disk. Only hash summaries ask for it: for the join, more memory turns
     * index-ordered merge joins into big hashes.
     */
    public void allowLargeAggregates(String context) {
        try (Statement s = connection.createStatement()) {
            s.execute("SET work_mem = '64MB'");
        } catch (SQLException e) {
            throw new DatabaseException(context + ": cannot set work_mem on the " + side, e);
        }
    }

    public Connection connection() {
        return connection;
    }

    public Side side() {
        return side;
    }

    @Override
    public void close() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // read-only: nothing to lose; closing ends the transaction anyway
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already closed or broken
        }
    }
}
