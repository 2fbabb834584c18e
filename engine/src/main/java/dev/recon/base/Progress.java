package dev.recon.base;

/**
 * Hears how far a long phase has got, for a progress bar on a terminal. The engine never
 * prints; the command line decides whether anything is shown.
 */
public interface Progress {
    /** Shows nothing. */
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void advance(long units) {
        }

        @Override
        public void finish() {
        }
    };

    /**
     * Several mappings are about to run, perhaps at once: until {@link #endMappings}, the
     * progress counts mappings done, and the phases of each ({@link #start}, {@link #advance},
     * {@link #finish}, from any thread) are not shown on their own.
     */
    default void startMappings(int total) {
    }

    /** One of the mappings ended; {@code differences} is what it found (or wrote), for the count shown. */
    default void mappingDone(long differences) {
    }

    /** The mappings have all ended. */
    default void endMappings() {
    }

    /** A phase begins; {@code total} is the expected number of rows (an estimate; -1 when unknown). */
    void start(String task, long total);

    void advance(long units);

    void finish();
}
