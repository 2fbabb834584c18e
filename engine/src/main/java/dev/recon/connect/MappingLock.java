package dev.recon.connect;

import dev.recon.config.ConnectionConfig;
import dev.recon.db.Session;
import dev.recon.spi.EngineLock;
import java.time.Duration;

/**
 * One mapping's lock on its target, held by a dedicated session for the whole run, so two runs
 * of one mapping never interleave: the target engine's own lock ({@code Engine.lock}: an
 * advisory lock, a named lock). Released on close, or by the server
 * when the process dies.
 */
public final class MappingLock implements AutoCloseable {
    private final Session session;
    private final EngineLock lock;

    private MappingLock(Session session, EngineLock lock) {
        this.session = session;
        this.lock = lock;
    }

    /** Takes mapping {@code mapping}'s lock on its target, waiting up to {@code timeout} for another run to end. */
    public static MappingLock acquire(Databases databases, ConnectionConfig target, String mapping, Duration timeout) {
        Session session = databases.open(target, "mapping '" + mapping + "': lock");
        try {
            return new MappingLock(session, target.engine().lock(session, target.name(), mapping, timeout));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The session holding the lock, for other statements on the target by the same thread (the run's history). */
    public Session session() {
        return session;
    }

    @Override
    public void close() {
        try {
            lock.close();
        } catch (RuntimeException ignored) {
            // closing the session releases the lock too
        } finally {
            session.close();
        }
    }
}
