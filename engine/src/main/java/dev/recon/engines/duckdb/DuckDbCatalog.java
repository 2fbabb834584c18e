package dev.recon.engines.duckdb;

import dev.recon.db.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB's tables and files as recon reads them: a table of the database
 * ({@code schema.table}, unqualified in the current schema) with its columns and its primary
 * and unique keys; or a file, or a glob of files, named by its path ({@code data/x.csv},
 * {@code "export/*.parquet"}), read by DuckDB's reader for its extension, its columns as
 * DuckDB detects them, without a key; or a reader's call with its options
 * ({@code read_csv('x.csv', delim = ';', types = {'total': 'DECIMAL(12,2)'})}), as written.
 */
final class DuckDbCatalog {
    /** What names a file (or files) rather than a table: a path with one of DuckDB's readers' extensions, or a glob. */
    private static final Pattern FILE = Pattern.compile("(?i).*(\\.(csv|tsv|txt|parquet|json|jsonl|ndjson)"
            + "(\\.(gz|zst))?|\\*.*)");

    private DuckDbCatalog() {
    }

    /** A column: its name and DuckDB's type, upper case ({@code DECIMAL(12,2)}, {@code TIMESTAMP WITH TIME ZONE}). */
    record Column(String name, String type, boolean notNull) {
    }

    /** A table or file: {@code relation} is how SQL reads it; {@code key} its primary key (else first unique), or empty. */
    record Table(String schema, String name, String relation, boolean file, List<Column> columns, List<String> key,
            List<List<String>> uniques) {
        Optional<Column> column(String name) {
            // a name written quoted ("with space") is the name inside the quotes
            String written = name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")
                    ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name;
            for (Column c : columns) {
                if (c.name().equals(written)) {
                    return Optional.of(c);
                }
            }
            // DuckDB's names are case-insensitive
            return columns.stream().filter(c -> c.name().equalsIgnoreCase(written)).findFirst();
        }

        String displayName() {
            return file ? name : schema + "." + name;
        }
    }

    /** A call of one of DuckDB's readers, with its options: {@code read_csv('x.csv', types = {...})}. */
    private static final Pattern READER = Pattern.compile("(?is)read_(csv|csv_auto|parquet|json|json_auto|ndjson)\\s*\\(.*\\)");

    /** The first string literal of a reader's call: its files. */
    private static final Pattern FIRST_LITERAL = Pattern.compile("'((?:[^']|'')*)'");

    static boolean isFile(String written) {
        String w = written.trim();
        return FILE.matcher(w).matches() || READER.matcher(w).matches();
    }

    /** The table or file {@code written} names, or empty when there is no such table (a missing file is an error). */
    static Optional<Table> table(Session session, String written) {
        String w = written.trim();
        if (READER.matcher(w).matches()) {
            // the user's call of a reader, options and all (a CSV's types pinned): the relation as written
            List<Column> columns = session.list("DESCRIBE SELECT * FROM " + w, rs -> new Column(rs.getString(1),
                    rs.getString(2).toUpperCase(Locale.ROOT), false));
            // named by its files, as the user wrote them (a files: source's call is recon's)
            Matcher path = FIRST_LITERAL.matcher(w);
            String name = path.find() ? path.group(1).replace("''", "'") : w;
            return Optional.of(new Table("", name, w, true, columns, List.of(), List.of()));
        }
        if (isFile(w)) {
            String path = w.startsWith("'") && w.endsWith("'") && w.length() > 1 ? w.substring(1, w.length() - 1)
                    .replace("''", "'") : w;
            String relation = literal(path);
            List<Column> columns = session.list("DESCRIBE SELECT * FROM " + relation, rs -> new Column(
                    rs.getString(1), rs.getString(2).toUpperCase(Locale.ROOT), false));
            return Optional.of(new Table("", path, relation, true, columns, List.of(), List.of()));
        }
        String[] parts = split(w);
        String schema = parts.length > 1 ? parts[0] : session.one("SELECT current_schema()", rs -> rs.getString(1));
        String name = parts[parts.length - 1];
        Map<String, String[]> found = new LinkedHashMap<>();
        session.list("SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog ="
                + " current_database() AND lower(table_schema) = lower(?) AND lower(table_name) = lower(?)",
                rs -> found.put(rs.getString(1) + "." + rs.getString(2), new String[] {rs.getString(1),
                    rs.getString(2)}), schema, name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String[] exact = found.values().stream().filter(f -> f[0].equals(schema) && f[1].equals(name)).findFirst()
                .orElse(found.values().iterator().next());
        List<Column> columns = session.list("SELECT column_name, upper(data_type), is_nullable = 'NO' FROM"
                + " information_schema.columns WHERE table_catalog = current_database() AND table_schema = ? AND"
                + " table_name = ? ORDER BY ordinal_position", rs -> new Column(rs.getString(1), rs.getString(2),
                        rs.getBoolean(3)), exact[0], exact[1]);
        List<List<String>> uniques = new ArrayList<>();
        List<String> primary = new ArrayList<>();
        session.list("SELECT constraint_type, constraint_column_names FROM duckdb_constraints() WHERE"
                + " database_name = current_database() AND schema_name = ? AND table_name = ? AND constraint_type IN"
                + " ('PRIMARY KEY', 'UNIQUE') ORDER BY constraint_type = 'PRIMARY KEY' DESC, constraint_index",
                rs -> {
                    List<String> cols = new ArrayList<>();
                    for (Object o : (Object[]) rs.getArray(2).getArray()) {
                        cols.add(String.valueOf(o));
                    }
                    if (rs.getString(1).equals("PRIMARY KEY") && primary.isEmpty()) {
                        primary.addAll(cols);
                    }
                    uniques.add(cols);
                    return 0;
                }, exact[0], exact[1]);
        List<String> key = !primary.isEmpty() ? primary : uniques.isEmpty() ? List.of() : uniques.get(0);
        return Optional.of(new Table(exact[0], exact[1], quote(exact[0]) + "." + quote(exact[1]), false, columns,
                key, uniques));
    }

    /** A string literal of DuckDB's SQL. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code a.b} or {@code "a"."b"} into its parts (a quoted part keeps its dots). */
    private static String[] split(String written) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < written.length() && written.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '.' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts.toArray(new String[0]);
    }
}
