package dev.recon.cli;

import dev.recon.base.StopSignal;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT as a request to stop cleanly: the first raises a {@link StopSignal}, so
 * a sync commits the batch in flight, records the run as stopped and exits; a second one
 * ends the process at once (any uncommitted batch is rolled back by the server). Replaces
 * the JVM's default handlers, which would begin shutting down in the middle of a batch.
 * A second signal within {@link #SAME_DELIVERY_MS} of the first is the same request
 * delivered twice: a stop of the whole process group (systemd's default) reaches both the
 * JVM and the launcher, which passes it on while it records its class-data-sharing archive.
 */
final class Signals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);
    private static final String[] NAMES = {"TERM", "INT"};
    /** Signals this close together count as one. */
    static final long SAME_DELIVERY_MS = 500;

    private final List<Runnable> restore = new ArrayList<>();

    private Signals() {
    }

    /** Handles SIGTERM and SIGINT until closed, then restores the previous handlers. */
    static Signals stopOn(StopSignal stop) {
        Signals signals = new Signals();
        long[] first = {0};
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            try {
                SignalHandler previous = Signal.handle(signal, s -> {
                    long now = System.nanoTime();
                    synchronized (first) {
                        if (stop.requested() && now - first[0] < SAME_DELIVERY_MS * 1_000_000L) {
                            return; // the same stop, delivered twice
                        }
                        if (!stop.requested()) {
                            first[0] = now;
                        }
                    }
                    if (stop.requested()) {
                        LOG.error("SIG{} again: stopping now; the batch in flight is rolled back", name);
                        // halt runs no deleteOnExit: the spooled changes go now
                        dev.recon.Recon.deleteSpools();
                        Runtime.getRuntime().halt(128 + s.getNumber());
                    }
                    // said before the stop is raised: the run may end, and the process exit, as soon as it is
                    LOG.warn("SIG{}: stopping after the batch in flight, or in {} s at most (--stop-timeout); send it"
                            + " again to stop at once", name, stop.grace().toSeconds());
                    stop.request("SIG" + name);
                });
                signals.restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException unsupported) {
                LOG.debug("cannot handle SIG{} here: {}", name, unsupported.getMessage());
            }
        }
        return signals;
    }

    @Override
    public void close() {
        restore.forEach(Runnable::run);
    }
}
