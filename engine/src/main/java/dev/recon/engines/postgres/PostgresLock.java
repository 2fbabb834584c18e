package dev.recon.engines.postgres;

import dev.recon.db.DatabaseException;
import dev.recon.db.LockTimeoutException;
import dev.recon.db.Session;
import dev.recon.spi.EngineLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL advisory lock on the target, one per mapping ({@code pg_try_advisory_lock(class,
 * hashtext(mapping))}), held by its session for the whole run. Released on close, or by the
 * server when the process dies.
 */
final class PostgresLock implements EngineLock {
    private static final int LOCK_CLASS = PostgresEngine.LOCK_CLASS;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLock.class);

    private final Session session;

    private PostgresLock(Session session) {
        this.session = session;
    }

    static PostgresLock acquire(Session session, String connection, String mapping, Duration timeout) {
        try {
            Connection c = session.connection();
            // free (the usual case): one round trip; held by another run: say so, then wait for it
            boolean free;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setString(2, mapping);
                try (ResultSet rs = ps.executeQuery()) {
                    free = rs.next() && rs.getBoolean(1);
                }
            }
            if (!free) {
                LOG.warn("{} - another recon run of this mapping holds its lock on {}; waiting up to {} for it"
                        + " to end (--lock-timeout)", mapping, connection, LockTimeoutException.seconds(timeout));
                try (Statement s = c.createStatement()) {
                    s.execute("SET lock_timeout = " + Math.max(1, timeout.toMillis()));
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
                    ps.setInt(1, LOCK_CLASS);
                    ps.setString(2, mapping);
                    ps.execute();
                }
                try (Statement s = c.createStatement()) {
                    s.execute("SET lock_timeout = 0");
                }
            }
            return new PostgresLock(session);
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                throw new LockTimeoutException(mapping, connection, timeout, e);
            }
            throw new DatabaseException("mapping '" + mapping + "': cannot take the mapping's lock", e);
        }
    }

    @Override
    public void close() {
        session.list("SELECT pg_advisory_unlock_all()", rs -> 0);
    }
}
