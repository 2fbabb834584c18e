package dev.recon.pg;

import dev.recon.base.ReconException;
import dev.recon.config.ConnectionConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL advisory lock on the target, one per mapping, held by a dedicated session for
 * the whole run, so two runs of one mapping never interleave. Released on close, or by the
 * server when the process dies. On a MariaDB or MySQL target it is the named lock
 * {@code GET_LOCK('recon:<mapping>')} (names longer than MariaDB's 64 characters end in a
 * hash of the whole name).
 */
public final class MappingLock implements AutoCloseable {
    /** First half of the lock key: "reco" in ASCII, so recon's locks are recognisable in pg_locks. */
    public static final int LOCK_CLASS = 0x7265636f;
    private static final Logger LOG = LoggerFactory.getLogger(MappingLock.class);

    private final Session session;
    private final boolean named;

    private MappingLock(Session session) {
        this(session, false);
    }

    private MappingLock(Session session, boolean named) {
        this.session = session;
        this.named = named;
    }

    /** Takes mapping {@code mapping}'s lock on its target, waiting up to {@code timeout} for another run to end. */
    public static MappingLock acquire(Databases databases, ConnectionConfig target, String mapping, Duration timeout) {
        Session session = databases.open(target, "mapping '" + mapping + "': lock");
        if (target.engine() == dev.recon.config.Engine.MARIADB) {
            return namedLock(session, target, mapping, timeout);
        }
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
                        + " to end (--lock-timeout)", mapping, target.name(), LockTimeoutException.seconds(timeout));
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
            return new MappingLock(session);
        } catch (SQLException e) {
            session.close();
            if ("55P03".equals(e.getSQLState())) {
                throw new LockTimeoutException(mapping, target.name(), timeout, e);
            }
            throw new DatabaseException("mapping '" + mapping + "': cannot take the mapping's lock", e);
        }
    }

    /** MariaDB's and MySQL's named lock of the mapping: free at once, or waited for up to {@code timeout}. */
    private static MappingLock namedLock(Session session, ConnectionConfig target, String mapping, Duration timeout) {
        String name = "recon:" + mapping;
        if (name.length() > 64) {
            name = name.substring(0, 47) + ":" + Integer.toHexString(name.hashCode()) + Integer.toHexString(
                    mapping.length());
        }
        try (PreparedStatement ps = session.connection().prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, name);
            ps.setLong(2, 0);
            if (taken(ps)) {
                return new MappingLock(session, true);
            }
            LOG.warn("{} - another recon run of this mapping holds its lock on {}; waiting up to {} s for it"
                    + " to end (--lock-timeout)", mapping, target.name(), timeout.toSeconds());
            ps.setLong(2, Math.max(1, timeout.toSeconds()));
            if (taken(ps)) {
                return new MappingLock(session, true);
            }
            session.close();
            // GET_LOCK waits whole seconds
            throw new LockTimeoutException(mapping, target.name(), Duration.ofSeconds(Math.max(1, timeout.toSeconds())),
                    null);
        } catch (SQLException e) {
            session.close();
            throw new DatabaseException("mapping '" + mapping + "': cannot take the mapping's lock", e);
        }
    }

    private static boolean taken(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    /** The session holding the lock, for other statements on the target by the same thread (the run's history). */
    public Session session() {
        return session;
    }

    @Override
    public void close() {
        try {
            session.list(named ? "SELECT RELEASE_ALL_LOCKS()"
                    : "SELECT pg_advisory_unlock_all()", rs -> 0);
        } catch (RuntimeException ignored) {
            // closing the session releases the lock too
        } finally {
            session.close();
        }
    }
}
