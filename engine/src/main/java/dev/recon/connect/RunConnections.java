package dev.recon.connect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections one run opens (on its thread and the threads it starts): what a hard stop
 * aborts ({@link Connection#abort}), so that a statement in flight, or a read from a server
 * that stopped answering, ends at once and the server rolls its transaction back. Held by the
 * thread that opened the scope, inherited by the threads it creates.
 */
public final class RunConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunConnections.class);
    private static final InheritableThreadLocal<RunConnections> CURRENT = new InheritableThreadLocal<>();

    private final Set<Connection> connections = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));
    private final RunConnections outer;

    private RunConnections(RunConnections outer) {
        this.outer = outer;
    }

    /** Opens a scope on this thread (until closed): the connections opened in it are its. */
    public static RunConnections open() {
        RunConnections scope = new RunConnections(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** Counts {@code c} as a connection of the run in scope on this thread, if any. */
    static void track(Connection c) {
        RunConnections scope = CURRENT.get();
        if (scope != null) {
            scope.connections.add(c);
        }
    }

    /** Aborts every connection of the run: their statements in flight end with an error. */
    public void abortAll() {
        Connection[] all;
        synchronized (connections) {
            all = connections.toArray(new Connection[0]);
        }
        if (all.length > 0) {
            LOG.warn("stop timeout: aborting {} connection(s) of the run; the statements in flight are rolled back",
                    all.length);
        }
        for (Connection c : all) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("aborting a connection failed: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        CURRENT.set(outer);
    }
}
