package dev.recon.engines.mariadb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Tables, columns and keys of a MariaDB or MySQL server, read from {@code information_schema}
 * (three queries a table: the table, its columns, its unique keys).
 */
public final class MariaDbCatalog {
    private final Connection connection;

    public MariaDbCatalog(Connection connection) {
        this.connection = connection;
    }

    /** Whether database {@code name} exists on the server. */
    public boolean databaseExists(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The base tables of a database, by name (as PostgreSQL's side lists plain tables, not views). */
    public List<String> tablesIn(String database) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY CAST(TABLE_NAME AS BINARY)")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * The table a person named: {@code db.table}, or {@code table} in the connection's current
     * database; empty when there is none. Names match as the server compares them (a server
     * with {@code lower_case_table_names} finds {@code Orders} as {@code orders}).
     */
    /**
     * A source expression over {@code table} as a column of the type MariaDB gives its result
     * ({@code SELECT (expr) FROM table LIMIT 0}: no row is read): {@code p * 2} of a
     * {@code decimal(10,2)} as a {@code decimal(11,2)}, {@code DATE(t)} as a {@code date}. An
     * expression MariaDB refuses fails with its error; so does one that aggregates rows
     * ({@code COUNT(*)}: MariaDB's error 1111 where a WHERE clause holds it), which would make
     * the whole table one row.
     */
    public MariaDbColumn describe(MariaDbTable table, String expression) throws SQLException {
        try (java.sql.Statement s = connection.createStatement()) {
            // an aggregate or window function would make one row of the table (error 1111 in a WHERE): refused
            s.executeQuery("SELECT 1 FROM " + table.sqlName() + " WHERE (" + expression + ") IS NULL LIMIT 0").close();
        }
        try (java.sql.Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT (" + expression + ") FROM " + table.sqlName() + " LIMIT 0")) {
            java.sql.ResultSetMetaData m = rs.getMetaData();
            String name = m.getColumnTypeName(1).toLowerCase(java.util.Locale.ROOT);
            boolean unsigned = name.endsWith(" unsigned") || !m.isSigned(1) && !name.startsWith("timestamp");
            String type = name.replace(" unsigned", "");
            long precision = m.getPrecision(1);
            long scale = m.getScale(1);
            String dataType;
            String columnType;
            long fraction = -1;
            switch (type) {
                case "boolean", "bool" -> {
                    dataType = "tinyint";
                    columnType = "tinyint(1)";
                }
                case "decimal" -> {
                    dataType = "decimal";
                    columnType = "decimal(" + precision + "," + scale + ")";
                }
                case "datetime", "timestamp", "time" -> {
                    dataType = type;
                    fraction = scale;
                    columnType = type + (scale > 0 ? "(" + scale + ")" : "");
                }
                case "integer" -> {
                    dataType = "int";
                    columnType = "int";
                }
                default -> {
                    dataType = type;
                    columnType = type;
                }
            }
            if (unsigned && !columnType.startsWith("tinyint(1)") && dataType.endsWith("int")) {
                columnType += " unsigned";
            }
            return new MariaDbColumn(expression, dataType, columnType, true, false,
                    dataType.equals("decimal") ? precision : -1, dataType.equals("decimal") ? scale : -1, fraction,
                    null, null, expression, true);
        }
    }

    public Optional<MariaDbTable> table(String written) throws SQLException {
        String schema;
        String name;
        int dot = written.indexOf('.');
        if (dot > 0) {
            schema = unquote(written.substring(0, dot));
            name = unquote(written.substring(dot + 1));
        } else {
            schema = currentDatabase();
            name = unquote(written);
        }
        if (schema == null) {
            return Optional.empty();
        }
        String kind;
        String engine;
        try (PreparedStatement ps = connection.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE"
                + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                schema = rs.getString(1);
                name = rs.getString(2);
                kind = rs.getString(3).toLowerCase(Locale.ROOT).contains("view") ? "view" : "table";
                engine = rs.getString(4);
            }
        }
        Map<String, List<String>> keys = keys(schema, name);
        return Optional.of(new MariaDbTable(schema, name, kind, engine, columns(schema, name),
                keys.getOrDefault("PRIMARY", List.of()), keys.entrySet().stream()
                        .filter(k -> !k.getKey().equals("PRIMARY")).map(Map.Entry::getValue).toList()));
    }

    private String currentDatabase() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT DATABASE()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<MariaDbColumn> columns(String schema, String table) throws SQLException {
        List<MariaDbColumn> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT COLUMN_NAME, LOWER(DATA_TYPE),"
                + " LOWER(COLUMN_TYPE), IS_NULLABLE, COALESCE(GENERATION_EXPRESSION, ''), EXTRA,"
                + " COALESCE(NUMERIC_PRECISION, -1), COALESCE(NUMERIC_SCALE, -1), COALESCE(DATETIME_PRECISION, -1),"
                + " CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_DEFAULT IS NOT NULL FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String extra = String.valueOf(rs.getString(6)).toUpperCase(Locale.ROOT);
                    boolean generated = !rs.getString(5).isEmpty() || extra.contains("GENERATED")
                            || extra.contains("VIRTUAL") || extra.contains("PERSISTENT") || extra.contains("STORED");
                    out.add(new MariaDbColumn(rs.getString(1), rs.getString(2), rs.getString(3),
                            "YES".equals(rs.getString(4)), generated, rs.getLong(7), rs.getLong(8), rs.getLong(9),
                            rs.getString(10), rs.getString(11), rs.getBoolean(12) || "YES".equals(rs.getString(4))
                                    || extra.contains("AUTO_INCREMENT")));
                }
            }
        }
        return out;
    }

    /** The unique keys by index name (the primary key's is {@code PRIMARY}), each its columns in key order. */
    private Map<String, List<String>> keys(String schema, String table) throws SQLException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT INDEX_NAME, COLUMN_NAME"
                + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0"
                + " AND COLUMN_NAME IS NOT NULL AND SUB_PART IS NULL ORDER BY INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return keys;
    }

    private static String unquote(String part) {
        String p = part.trim();
        if (p.length() >= 2 && p.startsWith("`") && p.endsWith("`")) {
            return p.substring(1, p.length() - 1).replace("``", "`");
        }
        return p;
    }

    /** The engine's estimate of a table's rows ({@code information_schema.TABLES.TABLE_ROWS}); -1 when it has none. */
    public static long estimatedRows(Connection connection, MariaDbTable table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long n = rs.getLong(1);
                    return rs.wasNull() ? -1 : n;
                }
                return -1;
            }
        }
    }
}
