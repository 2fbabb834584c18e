package dev.recon.pg;

import dev.recon.base.Side;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.Engine;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * One side's consistent, read-only view: a connection of its own while it lasts, in a
 * REPEATABLE READ, READ ONLY transaction, with the session settings that make PostgreSQL's text output of
 * values identical on every server (time zone, date and interval styles, float digits).
 */
public final class ReadSnapshot implements AutoCloseable {
    /** Rows per round trip of a cursor that streams rows to recon. */
    public static final int FETCH_SIZE = 5_000;

    /** Session settings every reader uses, so two servers print equal values alike. */
    public static final List<String> SESSION_SETTINGS = List.of("SET TimeZone = 'UTC'",
            "SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'", "SET extra_float_digits = 1",
            "SET bytea_output = 'hex'", "SET jit = off");

    /**
     * The same for a MariaDB or MySQL side: UTF-8, UTC (its {@code timestamp} columns read as
     * {@code timestamptz} in UTC), no SQL mode that changes how a value prints or how a name is
     * quoted, REPEATABLE READ; each snapshot then begins with {@link #MARIADB_BEGIN}.
     */
    public static final List<String> MARIADB_SESSION_SETTINGS = List.of("SET NAMES utf8mb4",
            "SET SESSION time_zone = '+00:00'",
            "SET SESSION sql_mode = REPLACE(REPLACE(@@SESSION.sql_mode, 'PAD_CHAR_TO_FULL_LENGTH', ''),"
                    + " 'ANSI_QUOTES', '')",
            "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");

    /** InnoDB: every query of the transaction sees the database as it was at this moment. */
    public static final String MARIADB_BEGIN = "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";

    private final Databases databases;
    private final ConnectionConfig config;
    private final Connection connection;
    private final Side side;
    private boolean closed;

    private ReadSnapshot(Databases databases, ConnectionConfig config, Connection connection, Side side) {
        this.databases = databases;
        this.config = config;
        this.connection = connection;
        this.side = side;
    }

    /**
     * Opens a snapshot on a reader connection: one that an earlier snapshot of this run left
     * (its settings already made, its transaction rolled back), or a new one, set up in one
     * round trip.
     */
    public static ReadSnapshot open(Databases databases, ConnectionConfig config, String context, Side side) {
        Databases.Reader reader = databases.reader(config, context + ": " + side);
        Connection c = reader.connection();
        try {
            if (config.engine() == Engine.MARIADB) {
                try (Statement s = c.createStatement()) {
                    if (!reader.reused()) {
                        for (String setting : MARIADB_SESSION_SETTINGS) {
                            s.execute(setting);
                        }
                        c.setAutoCommit(false);
                    }
                    s.execute(MARIADB_BEGIN);
                }
            } else if (!reader.reused()) {
                try (Statement s = c.createStatement()) {
                    s.execute(String.join("; ", SESSION_SETTINGS));
                }
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
            }
            return new ReadSnapshot(databases, config, c, side);
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

    /**
     * Ends the snapshot without keeping its connection: for a snapshot another thread may
     * still be reading from (the other side of a comparison that failed), whose connection
     * must never serve a later snapshot.
     */
    public void discard() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already closed or broken
        }
    }

    /**
     * Ends the snapshot. Its transaction is rolled back (which undoes its own {@code SET}s
     * too), and the connection is kept for the run's next snapshot on this connection;
     * one that fails to roll back is closed.
     */
    @Override
    public void close() {
        if (closed) {
            return; // kept once: a second close must not hand the connection to two snapshots
        }
        closed = true;
        try {
            connection.rollback();
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already closed or broken
            }
            return;
        }
        databases.release(config, connection);
    }
}
