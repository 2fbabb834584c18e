package dev.recon.engines.postgres;

import dev.recon.catalog.Catalog;
import dev.recon.db.Session;
import dev.recon.apply.CopyTextLoads;
import dev.recon.apply.Writers;
import dev.recon.diff.load.CopyTextReads;
import dev.recon.diff.Strategies;
import dev.recon.plan.PairRules;
import dev.recon.plan.PlanTables;
import dev.recon.report.ChangeStatements;
import dev.recon.report.SqlReport;
import dev.recon.spi.Engine;
import dev.recon.spi.EngineLock;
import dev.recon.spi.SchemaCatalog;
import dev.recon.spi.StateDialect;
import dev.recon.sql.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/** PostgreSQL, through the PostgreSQL JDBC driver ({@code jdbc:postgresql:}). */
public final class PostgresEngine implements Engine {
    /** Seconds to wait for a server's TCP connection before reporting it unreachable. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;
    /**
     * Seconds to wait for the whole login (connection, TLS, authentication, start-up) before
     * giving up: a server that accepts the connection and never answers would otherwise hold
     * recon for ever. Overridable per connection ({@code properties: { loginTimeout: 60 }}).
     */
    static final int LOGIN_TIMEOUT_SECONDS = 20;

    /** First half of a mapping's advisory lock key: "reco" in ASCII, so recon's locks are recognisable in pg_locks. */
    public static final int LOCK_CLASS = 0x7265636f;

    /** Session settings every reader uses, so two servers print equal values alike. */
    public static final List<String> SESSION_SETTINGS = List.of("SET TimeZone = 'UTC'",
            "SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'", "SET extra_float_digits = 1",
            "SET bytea_output = 'hex'", "SET jit = off");

    /** Loaded once; the driver itself, not DriverManager, which would load every driver on the class path first. */
    private static final class Driver {
        static final java.sql.Driver INSTANCE = new org.postgresql.Driver();
    }

    @Override
    public String id() {
        return "postgresql";
    }

    @Override
    public String label() {
        return "PostgreSQL";
    }

    @Override
    public String urlExample() {
        return "jdbc:postgresql://host:port/database";
    }

    @Override
    public boolean handles(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
    }

    @Override
    public Connection connect(String url, Properties user, boolean forWriting) throws SQLException {
        Properties props = new Properties();
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", "recon");
        props.putAll(user);
        return Driver.INSTANCE.connect(url, props);
    }

    /**
     * A superuser; or write rights on the table; or membership of the roles that act on the
     * server ({@code pg_write_server_files}, {@code pg_execute_server_program},
     * {@code pg_signal_backend}).
     */
    @Override
    public java.util.List<String> rightsBeyondReading(Connection c, String schema, String table) {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT r.rolsuper,"
                + " array_to_string(ARRAY(SELECT p FROM unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p"
                + " WHERE has_table_privilege(?::text, p)), ', '),"
                + " array_to_string(ARRAY(SELECT g FROM unnest(ARRAY['pg_write_server_files',"
                + " 'pg_execute_server_program', 'pg_signal_backend']) AS g WHERE EXISTS (SELECT 1 FROM pg_roles"
                + " WHERE rolname = g) AND pg_has_role(g, 'MEMBER')), ', ')"
                + ", r.rolcreaterole FROM pg_roles r WHERE r.rolname = current_user")) {
            ps.setString(1, Sql.quote(schema) + "." + Sql.quote(table));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (rs.getBoolean(1)) {
                        out.add("is a superuser");
                        return out;
                    }
                    if (!rs.getString(2).isEmpty()) {
                        out.add("may " + rs.getString(2) + " " + schema + "." + table);
                    }
                    if (!rs.getString(3).isEmpty()) {
                        out.add("is a member of " + rs.getString(3));
                    }
                    if (rs.getBoolean(4)) {
                        out.add("may create roles and grant them (CREATEROLE)");
                    }
                }
            }
        } catch (SQLException e) {
            return java.util.List.of();
        }
        return out;
    }

    /** pgJDBC's {@code socketTimeout}, in seconds (0: none). */
    @Override
    public void boundStalls(Properties props, Duration stall) {
        if (!stall.isZero()) {
            props.putIfAbsent("socketTimeout", Long.toString(Math.max(1, (stall.toMillis() + 999) / 1000)));
        }
    }

    @Override
    public void limitStatements(Connection c, Duration timeout) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = " + timeout.toMillis());
        }
    }

    @Override
    public void setUpSession(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(String.join("; ", SESSION_SETTINGS));
        }
    }

    @Override
    public void beginSnapshot(Connection c, boolean setUp) throws SQLException {
        // REPEATABLE READ, READ ONLY: the transaction begins with the first statement
        if (setUp) {
            setUpSession(c);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
        }
    }

    @Override
    public EngineLock lock(Session session, String connection, String mapping, Duration timeout) {
        return PostgresLock.acquire(session, connection, mapping, timeout);
    }

    @Override
    public StateDialect state() {
        return PostgresState.INSTANCE;
    }

    @Override
    public SchemaCatalog schemas(Session session) {
        Catalog catalog = new Catalog(session);
        return new SchemaCatalog() {
            @Override
            public boolean schemaExists(String schema) {
                return catalog.schemaExists(schema);
            }

            @Override
            public List<String> tablesIn(String schema) {
                return catalog.tablesIn(schema);
            }

            @Override
            public String currentSchema() {
                return session.one("SELECT current_schema()", rs -> rs.getString(1));
            }

            @Override
            public String ref(String schema, String table) {
                return Sql.quote(schema, table);
            }

            @Override
            public String createSchema(String schema) {
                return "CREATE SCHEMA " + Sql.quote(schema);
            }

            @Override
            public void resolve(List<String> refs) {
                catalog.resolve(refs);
            }

            @Override
            public Optional<List<String>> firstKey(String ref) {
                return catalog.table(ref).map(t -> t.uniqueKeys().isEmpty() ? List.<String>of()
                        : List.copyOf(t.uniqueKeys().get(0)));
            }
        };
    }

    @Override
    public String quote(String... parts) {
        return Sql.quote(parts);
    }

    @Override
    public boolean printsCanonicalText() {
        return true;
    }

    @Override
    public boolean comparesJsonValues() {
        return true;
    }

    /** Loaded when a mapping is first planned, not when the registry finds the engine. */
    private static final class Planner {
        static final PostgresPlanner INSTANCE = new PostgresPlanner();
    }

    @Override
    public <T> Optional<T> feature(Class<T> port) {
        Object offered = port == PlanTables.class || port == PairRules.class ? Planner.INSTANCE
                : port == Strategies.class ? PostgresStrategies.INSTANCE
                : port == Writers.class || port == CopyTextLoads.class || port == CopyTextReads.class
                        ? PostgresStrategies.INSTANCE
                : port == ChangeStatements.class ? (ChangeStatements) SqlReport::statement
                : null;
        return Optional.ofNullable(port.cast(offered));
    }
}
