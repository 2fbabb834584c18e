package dev.recon.spi;

/**
 * One mapping's lock on its target's server, held by one session until closed: two runs of a
 * mapping never interleave. Closing twice is harmless.
 */
public interface EngineLock extends AutoCloseable {
    /** Releases the lock (closing the session releases it too). */
    @Override
    void close();
}
