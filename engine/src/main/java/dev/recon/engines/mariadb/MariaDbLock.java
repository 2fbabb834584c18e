package dev.recon.engines.mariadb;

import dev.recon.db.DatabaseException;
import dev.recon.db.LockTimeoutException;
import dev.recon.db.Session;
import dev.recon.spi.EngineLock;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB's and MySQL's named lock of a mapping, {@code GET_LOCK('recon:<mapping>')} (names
 * longer than MariaDB's 64 characters end in a hash of the whole name): free at once, or waited
 * for up to the timeout, in whole seconds.
 */
final class MariaDbLock implements EngineLock {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbLock.class);

    private final Session session;

    private MariaDbLock(Session session) {
        this.session = session;
    }

    static MariaDbLock acquire(Session session, String connection, String mapping, Duration timeout) {
        String name = "recon:" + mapping;
        if (name.length() > 64) {
            name = name.substring(0, 47) + ":" + Integer.toHexString(name.hashCode()) + Integer.toHexString(
                    mapping.length());
        }
        try (PreparedStatement ps = session.connection().prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, name);
            ps.setLong(2, 0);
            if (taken(ps)) {
                return new MariaDbLock(session);
            }
            LOG.warn("{} - another recon run of this mapping holds its lock on {}; waiting up to {} s for it"
                    + " to end (--lock-timeout)", mapping, connection, timeout.toSeconds());
            ps.setLong(2, Math.max(1, timeout.toSeconds()));
            if (taken(ps)) {
                return new MariaDbLock(session);
            }
            // GET_LOCK waits whole seconds
            throw new LockTimeoutException(mapping, connection, Duration.ofSeconds(Math.max(1, timeout.toSeconds())),
                    null);
        } catch (SQLException e) {
            throw new DatabaseException("mapping '" + mapping + "': cannot take the mapping's lock", e);
        }
    }

    private static boolean taken(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    @Override
    public void close() {
        session.list("SELECT RELEASE_ALL_LOCKS()", rs -> 0);
    }
}
