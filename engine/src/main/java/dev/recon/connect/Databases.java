package dev.recon.connect;

import dev.recon.db.DatabaseException;
import dev.recon.db.Session;

import dev.recon.config.ConnectionConfig;
import dev.recon.spi.Engine;
import dev.recon.config.Redaction;
import java.io.PrintWriter;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Opens connections for the named connections of a mapping file: each {@link #open} and
 * {@link #connection} is one JDBC connection that the caller closes. Only read snapshots'
 * connections are kept between uses ({@link #reader}, {@link #release}): a run over many
 * tables then opens a few connections instead of two a table. A kept connection is reused
 * within {@link #IDLE_SECONDS} of its release and closed after that, or by {@link #closeIdle}.
 */
public final class Databases {
    /**
     * Seconds to wait for the whole login (connection, TLS, authentication, start-up) before
     * giving up: a server that accepts the connection and never answers would otherwise hold
     * recon for ever. Overridable per connection ({@code properties: { loginTimeout: 60 }});
     * stalled reads after login are bounded by the connection's {@code stall_timeout}
     * ({@link dev.recon.spi.Engine#boundStalls}).
     */
    public static final int LOGIN_TIMEOUT_SECONDS = 20;

    /** Seconds a released reader connection is kept for the next snapshot. */
    public static final int IDLE_SECONDS = 5;
    /** Reader connections kept per connection of the mapping file, at most. */
    static final int MAX_IDLE = 8;

    private final Map<String, Deque<Idle>> idle = new HashMap<>();
    /** Connections offered by the planner, not yet set up for reading. */
    private final Map<String, Deque<Idle>> fresh = new HashMap<>();

    private record Idle(Connection connection, long since) {
    }

    /** A connection for a read snapshot; {@code reused} when an earlier snapshot set it up. */
    public record Reader(Connection connection, boolean reused) {
    }

    /**
     * A reader connection: one an earlier snapshot released moments ago, else one the planner
     * offered (to be set up), else a new one.
     */
    public Reader reader(ConnectionConfig config, String context) {
        List<Connection> stale = new ArrayList<>();
        Connection kept;
        Connection offered = null;
        synchronized (this) {
            kept = take(idle.get(config.name()), stale);
            if (kept == null) {
                offered = take(fresh.get(config.name()), stale);
            }
        }
        stale.forEach(Databases::closeQuietly);
        if (kept != null) {
            RunConnections.track(kept);
            return new Reader(kept, true);
        }
        if (offered != null) {
            RunConnections.track(offered);
        }
        return new Reader(offered != null ? offered : connection(config, context), false);
    }

    /** The newest connection of {@code q} released within {@link #IDLE_SECONDS}; older ones go to {@code stale}. */
    private static Connection take(Deque<Idle> q, List<Connection> stale) {
        long now = System.nanoTime();
        while (q != null && !q.isEmpty()) {
            Idle i = q.pollFirst();
            if (now - i.since() < IDLE_SECONDS * 1_000_000_000L) {
                return i.connection();
            }
            stale.add(i.connection());
        }
        return null;
    }

    /**
     * Keeps a connection that has no transaction open and no session settings of its own (the
     * planner's, after planning) for the run's first read snapshot, which sets it up; closed by
     * {@link #closeIdle} when no snapshot wants it.
     */
    public void offer(ConnectionConfig config, Connection c) {
        keep(fresh, config, c);
    }

    /** Keeps a reader connection whose transaction has ended for the next snapshot (or closes it). */
    public void release(ConnectionConfig config, Connection c) {
        keep(idle, config, c);
    }

    /** Adds {@code c} to its connection's queue in {@code pool}, or closes it when {@link #MAX_IDLE} are kept. */
    private void keep(Map<String, Deque<Idle>> pool, ConnectionConfig config, Connection c) {
        boolean keep;
        synchronized (this) {
            Deque<Idle> q = pool.computeIfAbsent(config.name(), n -> new ArrayDeque<>());
            keep = q.size() < MAX_IDLE;
            if (keep) {
                q.addFirst(new Idle(c, System.nanoTime()));
            }
        }
        if (!keep) {
            closeQuietly(c);
        }
    }

    /** Closes every kept reader connection, and every offered one (at the end of a run). */
    public void closeIdle() {
        List<Connection> all = new ArrayList<>();
        synchronized (this) {
            idle.values().forEach(q -> q.forEach(i -> all.add(i.connection())));
            idle.clear();
            fresh.values().forEach(q -> q.forEach(i -> all.add(i.connection())));
            fresh.clear();
        }
        all.forEach(Databases::closeQuietly);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already closed or broken
        }
    }

    /** Opens a session, turning a failure into a message that names the connection and the role it plays. */
    public Session open(ConnectionConfig config, String context) {
        return new Session(connection(config, context));
    }

    /** A plain JDBC connection (for the writer, which manages its own transactions); the caller closes it. */
    public Connection connection(ConnectionConfig config, String context) {
        try {
            return connect(config);
        } catch (SQLException e) {
            SQLException masked = masked(e, config);
            throw new DatabaseException(context + ": cannot connect to connection '" + config.name() + "' ("
                    + config.redactedUrl() + ")" + unknownHost(masked), masked);
        }
    }

    /**
     * A connection for writing (the writer manages its own transactions); with a statement
     * timeout when given, so a statement that runs longer is cancelled. The caller closes it.
     */
    public Connection writer(ConnectionConfig config, String context, Optional<Duration> statementTimeout) {
        Connection c;
        try {
            c = connect(config, true);
        } catch (SQLException e) {
            SQLException masked = masked(e, config);
            throw new DatabaseException(context + ": cannot connect to connection '" + config.name() + "' ("
                    + config.redactedUrl() + ")" + unknownHost(masked), masked);
        }
        if (statementTimeout.isPresent()) {
            try {
                config.engine().limitStatements(c, statementTimeout.get());
            } catch (SQLException e) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw new DatabaseException(context + ": cannot set statement_timeout", e);
            }
        }
        return c;
    }

    /** A data source for a migration tool (Flyway): each connection opened as {@link #connection} opens one. */
    public DataSource dataSource(ConnectionConfig config) {
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return connect(config);
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                throw new SQLFeatureNotSupportedException("the connection's own role is used");
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return LOGIN_TIMEOUT_SECONDS;
            }

            @Override
            public Logger getParentLogger() throws SQLFeatureNotSupportedException {
                throw new SQLFeatureNotSupportedException();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }

    /** ": host 'x' is unknown (no DNS entry)" when that is why connecting failed, else empty. */
    /**
     * A failure to connect whose message (and causes' messages, shown with -v) may repeat a
     * password of the URL: the same failure with them masked, its cause chain kept for its kinds.
     */
    private static SQLException masked(SQLException e, ConnectionConfig config) {
        SQLException out = new SQLException(Redaction.maskSecrets(e.getMessage(), config.url(), config.password()),
                e.getSQLState(), e.getErrorCode());
        out.setStackTrace(e.getStackTrace());
        Throwable cause = e.getCause();
        if (cause != null) {
            // the kinds of the causes (a socket timeout, an unknown host) matter to the message; their texts may not leak
            out.initCause(maskedCause(cause, config));
        }
        return out;
    }

    private static Throwable maskedCause(Throwable cause, ConnectionConfig config) {
        String text = Redaction.maskSecrets(cause.getMessage(), config.url(), config.password());
        if (java.util.Objects.equals(text, cause.getMessage())) {
            return cause;
        }
        Throwable out = cause instanceof UnknownHostException ? new UnknownHostException(text)
                : cause instanceof java.net.SocketTimeoutException ? new java.net.SocketTimeoutException(text)
                : new java.io.IOException(text);
        out.setStackTrace(cause.getStackTrace());
        return out;
    }

    private static String unknownHost(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException u) {
                // some resolvers add their own words after the host: "nosuch.invalid: Name or service not known"
                String host = String.valueOf(u.getMessage()).split(": ", 2)[0];
                return ": host '" + host + "' is unknown (no DNS entry; check the URL)";
            }
        }
        return "";
    }

    static Connection connect(ConnectionConfig config) throws SQLException {
        return connect(config, false);
    }

    /** A new connection by the connection's engine, with the user's properties, user and password. */
    private static Connection connect(ConnectionConfig config, boolean forWriting) throws SQLException {
        Properties props = new Properties();
        props.putAll(config.properties());
        if (config.user() != null) {
            props.setProperty("user", config.user());
        }
        if (config.password() != null) {
            props.setProperty("password", config.password());
        }
        Engine engine = config.engine();
        engine.boundStalls(props, config.stallTimeout());
        Connection c = engine.connect(config.url(), props, forWriting);
        if (c == null) {
            throw new SQLException("not a " + engine.label() + " JDBC URL: " + Redaction.redactUrl(config.url()), "08001");
        }
        RunConnections.track(c);
        return c;
    }
}
