package dev.recon.db;

import dev.recon.base.ReconException;
import java.time.Duration;

/** Another run of the mapping held its lock for longer than {@code --lock-timeout}: nothing was written. */
public final class LockTimeoutException extends ReconException {
    public LockTimeoutException(String mapping, String connection, Duration waited, Throwable cause) {
        super("mapping '" + mapping + "': another recon run of this mapping is still running (it holds the"
                + " mapping's lock on " + connection + "); waited " + seconds(waited)
                + " (--lock-timeout). Nothing was written", cause);
    }

    /** {@code 1 s}, {@code 0.7 s}: whole seconds as such, else to a tenth. */
    public static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
