package dev.recon.engines.duckdb;

import dev.recon.apply.Writers;
import dev.recon.diff.Strategies;
import dev.recon.db.Session;
import dev.recon.plan.PairRules;
import dev.recon.plan.PlanTables;
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
 * DuckDB, embedded in recon's process ({@code jdbc:duckdb:/path/file.duckdb}, or
 * {@code jdbc:duckdb:} for files alone): a source of tables and of files as tables (CSV, Parquet,
 * JSON, read by DuckDB's own readers), and a target of its database file's tables, compared by merge or
 * hash with PostgreSQL, MariaDB and DuckDB itself. Its driver and native library load only when a
 * DuckDB connection is opened.
 */
public final class DuckDbEngine implements Engine {
    /** Loaded only when a DuckDB connection is opened (the class holds the native library). */
    private static final class Driver {
        static final java.sql.Driver INSTANCE = load();

        private static java.sql.Driver load() {
            try {
                return (java.sql.Driver) Class.forName("org.duckdb.DuckDBDriver").getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("DuckDB's driver is not on the class path", e);
            }
        }
    }

    static {
        dev.recon.db.DatabaseException.addDetail(DuckDbEngine::detail);
    }

    private static final java.util.regex.Pattern FILE = java.util.regex.Pattern.compile("(?m)^\\s*file = (.+)$");
    private static final java.util.regex.Pattern ORIGINAL = java.util.regex.Pattern.compile("(?m)^Original Line: (.*)$");
    private static final java.util.regex.Pattern CONVERTING = java.util.regex.Pattern.compile(
            "(?m)^(Error when converting column .*|Value with unterminated quote found\\.|Expected Number of Columns: .*)$");

    /**
     * What DuckDB's reader says after its first line about a row it could not read: the file,
     * the line as written, and which column's value did not convert.
     */
    static String detail(String message) {
        java.util.regex.Matcher file = FILE.matcher(message);
        if (!message.contains("CSV Error") || !file.find()) {
            return "";
        }
        StringBuilder out = new StringBuilder(" of file ").append(file.group(1).trim());
        java.util.regex.Matcher original = ORIGINAL.matcher(message);
        if (original.find()) {
            String line = original.group(1);
            out.append(": '").append(line.length() > 200 ? line.substring(0, 200) + "…" : line).append("'");
        }
        java.util.regex.Matcher converting = CONVERTING.matcher(message);
        if (converting.find()) {
            out.append(" (").append(converting.group(1).trim()).append(")");
        }
        return out.toString();
    }

    @Override
    public String id() {
        return "duckdb";
    }

    @Override
    public String label() {
        return "DuckDB";
    }

    @Override
    public String urlExample() {
        return "jdbc:duckdb:/path/file.duckdb (jdbc:duckdb: for files alone)";
    }

    @Override
    public boolean handles(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("jdbc:duckdb:");
    }

    /**
     * A database file is opened as DuckDB opens it: one process may write it, the others then
     * cannot open it (DuckDB locks the file); {@code properties: {duckdb.read_only: true}} opens a
     * source's file read-only, so that several processes may read it at once. A file that does
     * not exist is an error, never a new empty database. User and password mean nothing to an
     * embedded database and are left out.
     */
    @Override
    public Connection connect(String url, Properties user, boolean forWriting) throws SQLException {
        Properties props = new Properties();
        user.forEach((k, v) -> {
            if (!k.equals("user") && !k.equals("password") && !k.toString().startsWith("ApplicationName")) {
                props.put(k, v);
            }
        });
        String path = url.substring("jdbc:duckdb:".length());
        int options = path.indexOf('?');
        String file = options < 0 ? path : path.substring(0, options);
        if (!file.isEmpty() && !file.startsWith(":memory:") && !file.startsWith("md:")
                && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(file))) {
            throw new SQLException("no DuckDB database file at " + java.nio.file.Path.of(file).toAbsolutePath()
                    + " (recon opens an existing database, and never creates one: check the path, or create it"
                    + " with DuckDB)", "08001");
        }
        return Driver.INSTANCE.connect(url, props);
    }

    /** An embedded database has no statement timeout to set. */
    @Override
    public void limitStatements(Connection c, Duration timeout) {
    }

    /**
     * Values print in UTC (a timestamptz with {@code +00}), as recon compares them; and a typed
     * value read from a CSV prints as its type prints it: DuckDB's {@code type_pushdown} would
     * otherwise turn {@code CAST(d AS VARCHAR)} of a CSV's {@code DATE} column into the file's
     * own text ({@code 2024-1-5}, {@code 007}, {@code 12.5}), which is not the value's text.
     */
    @Override
    public void setUpSession(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("SET disabled_optimizers = 'type_pushdown'");
        }
    }

    /** In recon's process: no socket to stall. */
    @Override
    public void boundStalls(Properties props, Duration stall) {
    }

    /** A transaction: DuckDB's reads in it see the database as it was when it began. */
    @Override
    public void beginSnapshot(Connection c, boolean setUp) throws SQLException {
        if (setUp) {
            setUpSession(c);
        }
        c.setAutoCommit(false);
    }

    @Override
    public EngineLock lock(Session session, String connection, String mapping, Duration timeout) {
        String url;
        try {
            url = session.connection().getMetaData().getURL();
            String path = url.substring(url.indexOf(':', "jdbc:".length()) + 1).split("\\?", 2)[0];
            if (!path.isEmpty() && !path.startsWith(":memory:")) {
                // one database file, however its URL spells the path
                url = java.nio.file.Path.of(path).toAbsolutePath().normalize().toString();
            }
        } catch (SQLException | RuntimeException e) {
            url = connection;
        }
        return DuckDbLock.acquire(url, connection, mapping, timeout);
    }

    @Override
    public StateDialect state() {
        return DuckDbState.INSTANCE;
    }

    @Override
    public SchemaCatalog schemas(Session session) {
        return new SchemaCatalog() {
            @Override
            public boolean schemaExists(String schema) {
                return session.test("SELECT count(*) > 0 FROM information_schema.schemata WHERE schema_name = ?",
                        schema);
            }

            @Override
            public String currentSchema() {
                return session.one("SELECT current_schema()", rs -> rs.getString(1));
            }

            @Override
            public List<String> tablesIn(String schema) {
                return session.list("SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                        + " AND table_catalog = current_database() ORDER BY table_name", rs -> rs.getString(1), schema);
            }

            @Override
            public String ref(String schema, String table) {
                return quote(schema, table);
            }

            @Override
            public String createSchema(String schema) {
                return "CREATE SCHEMA " + quote(schema);
            }

            @Override
            public Optional<List<String>> firstKey(String ref) {
                return DuckDbCatalog.table(session, ref).map(t -> t.key());
            }
        };
    }

    @Override
    public String quote(String... parts) {
        return Arrays.stream(parts).map(DuckDbCatalog::quote).collect(Collectors.joining("."));
    }

    /** Files are read on an in-process DuckDB without a database. */
    @Override
    public String filesUrl() {
        return "jdbc:duckdb:";
    }

    /**
     * DuckDB's reader for the format, called with the files and the CSV options:
     * {@code read_csv('in/*.csv', header = true, delim = ';', nullstr = '', types = {...})},
     * {@code read_parquet(...)}, {@code read_json_auto(...)}.
     */
    @Override
    public String fileTable(String files, String format, java.util.Map<String, String> csv,
            java.util.Map<String, String> types) {
        List<String> options = new java.util.ArrayList<>();
        if (csv.containsKey("header")) {
            options.add("header = " + csv.get("header"));
        }
        if (csv.containsKey("delimiter")) {
            options.add("delim = " + DuckDbCatalog.literal(csv.get("delimiter")));
        }
        if (csv.containsKey("null")) {
            options.add("nullstr = " + DuckDbCatalog.literal(csv.get("null")));
        }
        if (format.equals("csv")) {
            // RFC 4180's quoting, not guessed: a sniffer that finds a malformed line in its sample would
            // otherwise turn quoting off for the whole file and read that line as data
            options.add("quote = '\"'");
            options.add("escape = '\"'");
        }
        if (!types.isEmpty()) {
            options.add("types = {" + types.entrySet().stream().map(e -> DuckDbCatalog.literal(e.getKey()) + ": "
                    + DuckDbCatalog.literal(e.getValue())).collect(Collectors.joining(", ")) + "}");
        }
        String reader = switch (format) {
            case "parquet" -> "read_parquet";
            case "json" -> "read_json_auto";
            default -> "read_csv";
        };
        return reader + "(" + DuckDbCatalog.literal(files) + (options.isEmpty() ? "" : ", " + String.join(", ", options)) + ")";
    }

    /** Loaded when a mapping is first planned. */
    private static final class Planner {
        static final DuckDbPlanner INSTANCE = new DuckDbPlanner();
    }

    @Override
    public <T> Optional<T> feature(Class<T> port) {
        Object offered = port == PlanTables.class || port == PairRules.class ? Planner.INSTANCE
                : port == Writers.class ? (Writers) (plan, connection, batchSize, copyThreshold, progress, throttle,
                        onCommit) -> new DuckDbWriter(plan, connection, batchSize, progress, throttle, onCommit)
                // with --key: the merge's read of those keys (the join would read every row)
                : port == Strategies.class ? (Strategies) (databases, plan, progress) -> plan.onlyKeys().isEmpty()
                        ? new DuckDbJoinDiff(databases) : new dev.recon.diff.merge.MergeDiff(databases, progress)
                : null;
        return Optional.ofNullable(port.cast(offered));
    }
}
