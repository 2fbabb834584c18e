package dev.recon.engines.duckdb;

import dev.recon.db.LockTimeoutException;
import dev.recon.spi.EngineLock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mapping's lock on a DuckDB target. Another process cannot open a database file recon has
 * open for writing (DuckDB locks the file), so two runs can only meet in one process
 * ({@code recon serve}, {@code --jobs}): a lock per database file and mapping, held in this process.
 */
final class DuckDbLock implements EngineLock {
    private static final Logger LOG = LoggerFactory.getLogger(DuckDbLock.class);
    private static final ConcurrentHashMap<String, Semaphore> HELD = new ConcurrentHashMap<>();

    private final Semaphore semaphore;
    private boolean released;

    private DuckDbLock(Semaphore semaphore) {
        this.semaphore = semaphore;
    }

    static DuckDbLock acquire(String url, String connection, String mapping, Duration timeout) {
        Semaphore s = HELD.computeIfAbsent(url + "\u0000" + mapping, k -> new Semaphore(1));
        if (s.tryAcquire()) {
            return new DuckDbLock(s);
        }
        LOG.warn("{} - another recon run of this mapping holds its lock on {}; waiting up to {} s for it to end"
                + " (--lock-timeout)", mapping, connection, timeout.toSeconds());
        try {
            if (s.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return new DuckDbLock(s);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new LockTimeoutException(mapping, connection, timeout, null);
    }

    @Override
    public synchronized void close() {
        if (!released) {
            released = true;
            semaphore.release();
        }
    }
}
