package dev.recon.connect;

import dev.recon.db.DatabaseException;

import dev.recon.base.Side;
import dev.recon.config.ConnectionConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One side's consistent, read-only view: a connection of its own while it lasts, in a
 * REPEATABLE READ, READ ONLY transaction, with the session settings its engine gives a reader so that equal values print alike on
 * every server (time zone, date and interval styles, float digits): {@code Engine.beginSnapshot}.
 */
public final class ReadSnapshot implements AutoCloseable {
    /** Rows per round trip of a cursor that streams rows to recon. */
    public static final int FETCH_SIZE = 5_000;

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
            config.engine().beginSnapshot(c, !reader.reused());
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
