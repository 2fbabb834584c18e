package dev.recon.base;

/**
 * A request to stop, raised by a signal handler or a scheduler and read by a running sync:
 * a sync that sees it commits no further batch after the one in flight, records the run as
 * {@code stopped} and ends. Thread-safe; once raised it stays raised.
 */
public final class StopSignal {
    private volatile String reason;

    /** A signal nobody raises. */
    public static StopSignal never() {
        return new StopSignal();
    }

    /** Raises the signal; the first reason given is kept. */
    public synchronized void request(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    public boolean requested() {
        return reason != null;
    }

    /** Why the stop was requested (for example "SIGTERM"), or null. */
    public String reason() {
        return reason;
    }
}
