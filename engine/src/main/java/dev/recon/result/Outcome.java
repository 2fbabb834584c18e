package dev.recon.result;

import java.util.Locale;

/**
 * How a mapping's run ended, as reports, metrics and the history name it
 * ({@link #label()}: {@code in_sync}, {@code failed_rows}, …).
 */
public enum Outcome {
    /** A diff found no difference. */
    IN_SYNC,
    /** A diff (or a dry run) found differences. */
    DIFFERENCES,
    /** A sync applied every difference. */
    CONVERGED,
    /** A sync applied what it could; some rows were refused and the next run retries them. */
    FAILED_ROWS,
    /** The mapping ended in an error. */
    ERROR,
    /** A stop (SIGTERM, SIGINT) ended the sync between batches. */
    STOPPED,
    /** History only: the run is going on, or its process ended without finishing it. */
    RUNNING,
    /** History only: the process ended before the run finished; the next run did its work. */
    ABORTED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
