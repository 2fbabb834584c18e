package dev.recon.diff;

import dev.recon.config.ConnectionConfig;
import dev.recon.pg.DatabaseException;
import dev.recon.pg.Databases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One side's consistent, read-only view: a dedicated connection in a REPEATABLE READ,
 * READ ONLY transaction, with the session settings that make PostgreSQL's text output of
 * values identical on every server (time zone, date and interval styles, float digits).
 */
final class ReadSnapshot implements AutoCloseable {
    /** Session settings every reader uses, so two servers print equal values alike. */
    static final java.util.List<String> SESSION_SETTINGS = java.util.List.of("SET TimeZone = 'UTC'",
            "SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'", "SET extra_float_digits = 1",
            "SET bytea_output = 'hex'", "SET jit = off");

    private final Connection connection;
    private final String side;

    private ReadSnapshot(Connection connection, String side) {
        this.connection = connection;
        this.side = side;
    }

    static ReadSnapshot open(Databases databases, ConnectionConfig config, String context, String side) {
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

    Connection connection() {
        return connection;
    }

    String side() {
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
