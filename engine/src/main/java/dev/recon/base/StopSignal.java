package dev.recon.base;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A request to stop, raised by a signal handler or a scheduler and read by a running sync:
 * a sync that sees it commits no further batch after the one in flight, records the run as
 * {@code stopped} and ends. When the run has not ended {@link #grace} after the request (a
 * statement that runs long, a server that stopped answering), the hard stops registered by
 * the run ({@link #onHardStop}) run: they abort its connections, so the statement in flight
 * is cancelled and rolled back by the server. Thread-safe; once raised it stays raised. A
 * {@link #child} is raised with its parent, or alone (a run's own time limit).
 */
public final class StopSignal {
    /** How long a stopped run may take to finish its batch in flight, by default ({@code --stop-timeout}). */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    private volatile String reason;
    private final StopSignal parent;
    private final Duration grace;
    private final List<Runnable> hardStops = new CopyOnWriteArrayList<>();
    private boolean timerStarted;

    public StopSignal() {
        this(null, DEFAULT_GRACE);
    }

    private StopSignal(StopSignal parent, Duration grace) {
        this.parent = parent;
        this.grace = grace;
    }

    /** A signal whose stopped runs get {@code grace} to finish before their connections are aborted. */
    public static StopSignal withGrace(Duration grace) {
        return new StopSignal(null, grace);
    }

    /** A signal nobody raises. */
    public static StopSignal never() {
        return new StopSignal();
    }

    /** A signal raised when this one is, or on its own ({@link #request}); with this one's grace. */
    public StopSignal child() {
        return new StopSignal(this, grace);
    }

    public Duration grace() {
        return grace;
    }

    /** Raises the signal; the first reason given is kept. Starts the grace period's clock. */
    public void request(String why) {
        synchronized (this) {
            if (reason == null) {
                reason = why;
            }
            if (timerStarted) {
                return;
            }
            timerStarted = true;
        }
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep(grace.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            hardStops.forEach(Runnable::run);
        }, "recon-stop-timeout");
        timer.setDaemon(true);
        timer.start();
    }

    public boolean requested() {
        return reason != null || parent != null && parent.requested();
    }

    /** Why the stop was requested (for example "SIGTERM"), or null. */
    public String reason() {
        return reason != null ? reason : parent != null ? parent.reason() : null;
    }

    /**
     * Registers what ends a run at once when it outlives the grace period after a stop (here or
     * in a parent); returns what deregisters it (call it when the run ends).
     */
    public Runnable onHardStop(Runnable stop) {
        hardStops.add(stop);
        Runnable up = parent != null ? parent.onHardStop(stop) : () -> { };
        return () -> {
            hardStops.remove(stop);
            up.run();
        };
    }
}
