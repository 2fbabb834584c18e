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

    /** A phase begins; {@code total} is the expected number of rows (an estimate; -1 when unknown). */
    void start(String task, long total);

    void advance(long units);

    void finish();
}
