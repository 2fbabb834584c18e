package dev.recon.engines.mariadb;

import dev.recon.apply.Writers;
import dev.recon.db.DatabaseException;
import dev.recon.diff.Strategies;
import dev.recon.plan.PairRules;
import dev.recon.plan.PlanTables;
import dev.recon.db.Session;
import dev.recon.spi.Engine;
import dev.recon.spi.EngineLock;
import dev.recon.spi.SchemaCatalog;
import dev.recon.spi.StateDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * MariaDB, and MySQL through MariaDB Connector/J ({@code jdbc:mariadb:} or {@code jdbc:mysql:},
 * read as the same URL in {@code jdbc:mariadb:}).
 */
public final class MariaDbEngine implements Engine {
    /** Seconds to wait for a server's TCP connection before reporting it unreachable. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    /**
     * Session settings of a reader: UTF-8, UTC (its {@code timestamp} columns read as
     * {@code timestamptz} in UTC), no SQL mode that changes how a value prints or how a name is
     * quoted, REPEATABLE READ; each snapshot then begins with {@link #BEGIN}.
     */
    static final List<String> SESSION_SETTINGS = List.of("SET NAMES utf8mb4",
            "SET SESSION time_zone = '+00:00'",
            "SET SESSION sql_mode = REPLACE(REPLACE(@@SESSION.sql_mode, 'PAD_CHAR_TO_FULL_LENGTH', ''),"
                    + " 'ANSI_QUOTES', '')",
            "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");

    /** InnoDB: every query of the transaction sees the database as it was at this moment. */
    static final String BEGIN = "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";

    /** Loaded only when a MariaDB connection is opened. */
    private static final class Driver {
        static final java.sql.Driver INSTANCE = new org.mariadb.jdbc.Driver();
    }

    @Override
    public String id() {
        return "mariadb";
    }

    @Override
    public String label() {
        return "MariaDB/MySQL";
    }

    @Override
    public String urlExample() {
        return "jdbc:mariadb://host:port/database (or jdbc:mysql://...)";
    }

    @Override
    public boolean handles(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        return u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:");
    }

    /**
     * Connector/J's {@code connectTimeout} is in milliseconds; a writer may load batches of
     * inserts from memory ({@code allowLocalInfile}, which the connection's own properties may
     * turn off: {@code allowLocalInfile: false}).
     */
    @Override
    public Connection connect(String url, Properties user, boolean forWriting) throws SQLException {
        Properties props = new Properties();
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS * 1000));
        if (forWriting) {
            props.setProperty("allowLocalInfile", "true");
        }
        props.putAll(user);
        return Driver.INSTANCE.connect(url.replaceFirst("(?i)^jdbc:mysql:", "jdbc:mariadb:"), props);
    }

    /** Rights that act on the server or on files, and writes on the table, its database or every database. */
    private static final java.util.Set<String> BEYOND = java.util.Set.of("SUPER", "FILE", "SHUTDOWN", "PROCESS",
            "CONNECTION ADMIN", "ALL PRIVILEGES", "INSERT", "UPDATE", "DELETE", "DROP", "ALTER", "CREATE");

    /** Global, database and table rights of the current account beyond SELECT, from information_schema. */
    @Override
    public java.util.List<String> rightsBeyondReading(Connection c, String schema, String table) {
        String grantee = "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',"
                + " SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";
        java.util.Set<String> global = new java.util.TreeSet<>();
        java.util.Set<String> local = new java.util.TreeSet<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT 'g', PRIVILEGE_TYPE FROM"
                + " information_schema.USER_PRIVILEGES WHERE GRANTEE = " + grantee
                + " UNION ALL SELECT 's', PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = "
                + grantee + " AND TABLE_SCHEMA = ? UNION ALL SELECT 't', PRIVILEGE_TYPE FROM"
                + " information_schema.TABLE_PRIVILEGES WHERE GRANTEE = " + grantee
                + " AND TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            ps.setString(3, table);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String right = rs.getString(2).toUpperCase(Locale.ROOT);
                    if (BEYOND.contains(right)) {
                        (rs.getString(1).equals("g") ? global : local).add(right);
                    }
                }
            }
        } catch (SQLException e) {
            return java.util.List.of();
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        if (!global.isEmpty()) {
            out.add("holds " + String.join(", ", global) + " on every database of the server");
        }
        if (!local.isEmpty()) {
            out.add("holds " + String.join(", ", local) + " on " + schema + "." + table + " or its database");
        }
        return out;
    }

    /** Connector/J's {@code socketTimeout}, in milliseconds (0: none). */
    @Override
    public void boundStalls(Properties props, Duration stall) {
        if (!stall.isZero()) {
            props.putIfAbsent("socketTimeout", Long.toString(stall.toMillis()));
        }
    }

    @Override
    public void limitStatements(Connection c, Duration timeout) throws SQLException {
        try (Statement s = c.createStatement()) {
            // MariaDB's own limit, in seconds (MySQL has none for writes)
            s.execute("SET SESSION max_statement_time = " + timeout.toMillis() / 1000.0);
        }
    }

    @Override
    public void setUpSession(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String setting : SESSION_SETTINGS) {
                s.execute(setting);
            }
        }
    }

    @Override
    public void beginSnapshot(Connection c, boolean setUp) throws SQLException {
        if (setUp) {
            setUpSession(c);
            c.setAutoCommit(false);
        }
        try (Statement s = c.createStatement()) {
            s.execute(BEGIN);
        }
    }

    @Override
    public EngineLock lock(Session session, String connection, String mapping, Duration timeout) {
        return MariaDbLock.acquire(session, connection, mapping, timeout);
    }

    @Override
    public StateDialect state() {
        return MariaDbState.INSTANCE;
    }

    /** A schema is a database here. */
    @Override
    public SchemaCatalog schemas(Session session) {
        MariaDbCatalog catalog = new MariaDbCatalog(session.connection());
        return new SchemaCatalog() {
            @Override
            public boolean schemaExists(String schema) {
                return sql(() -> catalog.databaseExists(schema));
            }

            @Override
            public List<String> tablesIn(String schema) {
                return sql(() -> catalog.tablesIn(schema));
            }

            @Override
            public String currentSchema() {
                return session.one("SELECT DATABASE()", rs -> rs.getString(1));
            }

            @Override
            public String ref(String schema, String table) {
                return MariaDbSql.quote(schema) + "." + MariaDbSql.quote(table);
            }

            @Override
            public String createSchema(String schema) {
                return "CREATE DATABASE " + MariaDbSql.quote(schema);
            }

            @Override
            public Optional<List<String>> firstKey(String ref) {
                return sql(() -> catalog.table(ref)).map(t -> !t.primaryKey().isEmpty() ? t.primaryKey()
                        : t.uniqueKeys().isEmpty() ? List.<String>of() : t.uniqueKeys().get(0));
            }
        };
    }

    private interface Read<T> {
        T get() throws SQLException;
    }

    private static <T> T sql(Read<T> read) {
        try {
            return read.get();
        } catch (SQLException e) {
            throw new DatabaseException("cannot read the catalog", e);
        }
    }

    @Override
    public String quote(String... parts) {
        return Arrays.stream(parts).map(MariaDbSql::quote).collect(Collectors.joining("."));
    }

    @Override
    public boolean hasZeroDates() {
        return true;
    }

    /** Loaded when a mapping is first planned, not when the registry finds the engine. */
    private static final class Planner {
        static final MariaDbPlanner INSTANCE = new MariaDbPlanner();
    }

    @Override
    public <T> Optional<T> feature(Class<T> port) {
        Object offered = port == PlanTables.class || port == PairRules.class ? Planner.INSTANCE
                : port == Strategies.class || port == Writers.class ? MariaDbStrategies.INSTANCE
                : null;
        return Optional.ofNullable(port.cast(offered));
    }
}
