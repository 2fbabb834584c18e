package dev.recon.config;

import dev.recon.spi.Engines;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a mapping file into a {@link ReconConfig}. Every problem in the file is collected,
 * each named by its place ({@code syncs[0] (orders).source.table}), and reported at once.
 */
public final class ConfigLoader {
    private static final Pattern SYNC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    // The keys each place of the file accepts; package-visible for MappingSchemaTest, which holds the
    // JSON Schema (recon.schema.json beside this class) to exactly these sets.
    static final Set<String> TOP_KEYS = Set.of("connections", "syncs", "state");
    static final Set<String> CONNECTION_KEYS = Set.of("url", "user", "password", "properties", "zero_dates",
            "time_zone", "stall_timeout");
    static final Set<String> SYNC_KEYS =
            Set.of("name", "source", "target", "key", "columns", "compare", "deletes", "skip", "strategy", "max_deletes",
                    "batch_size", "max_rows_per_second", "statement_timeout", "rules", "split_rows", "threads");
    static final Set<String> SOURCE_KEYS = Set.of("connection", "table", "where", "files", "format", "header",
            "delimiter", "null", "types");
    /** The keys of a source that names files ({@code files:}), read by the engine that reads files; only with {@code files}. */
    static final Set<String> FILE_KEYS = Set.of("format", "header", "delimiter", "null", "types");
    /** The connection a {@code files:} source is read on: the engine that reads files, no database. */
    public static final String FILES_CONNECTION = "files";

    /** The URL of the files' connection, once a {@code files:} source was read. */
    private String filesUrl;
    static final Set<String> TARGET_KEYS = Set.of("connection", "table", "where", "files", "format", "header",
            "delimiter", "null", "types");
    static final Set<String> STATE_KEYS = Set.of("schema");
    static final Set<String> SCHEMA_ENTRY_KEYS = Set.of("name", "source", "target", "tables", "exclude",
            "overrides", "deletes", "skip", "strategy", "max_deletes", "batch_size", "max_rows_per_second",
            "statement_timeout", "rules", "split_rows", "threads");
    static final Set<String> SCHEMA_SIDE_KEYS = Set.of("connection", "schema");
    static final Set<String> OVERRIDE_KEYS = Set.of("target", "key", "columns", "rename", "where", "compare",
            "rules");
    /** An override's {@code target: { table: NAME }}. */
    static final Set<String> OVERRIDE_TARGET_KEYS = Set.of("table");
    /** {@code deletes: { soft: column }}. */
    static final Set<String> SOFT_DELETE_KEYS = Set.of("soft");
    static final Set<String> RULE_KEYS = Set.of("tolerance", "relative", "precision", "trim", "case",
            "empty_is_null", "time_zone");
    /** The JSON Schema of the mapping file, a resource beside this class. */
    static final String SCHEMA_RESOURCE = "recon.schema.json";

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * The JSON Schema (draft 2020-12) of the mapping file, for editors: every key this loader
     * accepts, with its description. {@code MappingSchemaTest} keeps the two equal.
     */
    public static String schema() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the engine's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads with the process environment. */
    public static ReconConfig load(Path file) {
        return new ConfigLoader(System.getenv()).read(file);
    }

    public ReconConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("mapping file " + file + " does not exist; pass another with -c FILE", List.of());
        } catch (IOException e) {
            throw new ConfigException("cannot read mapping file " + file + ": " + e.getMessage(), List.of());
        }
        return parse(text, file.toString());
    }

    public ReconConfig parse(String yaml, String origin) {
        JsonNode root;
        try {
            root = YamlTree.read(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException("mapping file " + origin + " is not valid YAML: "
                    + e.getOriginalMessage() + locationOf(e), List.of());
        } catch (IOException e) {
            throw new ConfigException("mapping file " + origin + " cannot be read: " + e.getMessage(), List.of());
        }
        Problems problems = new Problems();
        if (root == null || !root.isObject()) {
            throw new ConfigException("mapping file " + origin + " must be a YAML mapping with 'connections' and 'syncs'",
                    List.of());
        }
        unknownKeys(root, TOP_KEYS, "", problems);
        Map<String, ConnectionConfig> connections = connections(root.get("connections"), problems);
        List<SchemaEntry> schemas = new ArrayList<>();
        List<MappingConfig> syncs = syncs(root.get("syncs"), connections.keySet(), problems, schemas);
        String stateSchema = stateSchema(root.get("state"), problems);
        if (!problems.isEmpty()) {
            throw new ConfigException("mapping file " + origin + " has " + problems.size()
                    + (problems.size() == 1 ? " problem:" : " problems:"), problems.list());
        }
        if (syncs.stream().anyMatch(m -> m.source().connection().equals(FILES_CONNECTION)
                || m.target().connection().equals(FILES_CONNECTION))
                && !connections.containsKey(FILES_CONNECTION)) {
            // files: sources are read by the engine that reads files, with no database of its own
            connections = new LinkedHashMap<>(connections);
            connections.put(FILES_CONNECTION, new ConnectionConfig(FILES_CONNECTION, filesUrl, null, null,
                    Map.of()));
        }
        return new ReconConfig(connections, syncs, stateSchema, schemas, Map.of());
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    private Map<String, ConnectionConfig> connections(JsonNode node, Problems problems) {
        Map<String, ConnectionConfig> result = new LinkedHashMap<>();
        if (node == null || !node.isObject() || node.isEmpty()) {
            problems.add("connections: required, a mapping of connection names to {url, user, password}");
            return result;
        }
        node.fields().forEachRemaining(entry -> {
            String path = "connections." + entry.getKey();
            JsonNode c = entry.getValue();
            if (!c.isObject()) {
                problems.add(path + ": must be a mapping with url, user, password");
                return;
            }
            unknownKeys(c, CONNECTION_KEYS, path + ".", problems);
            String url = text(c, "url", path, problems, true);
            if (url != null && Engines.find(url).isEmpty()) {
                problems.add(path + ".url: '" + Redaction.redactUrl(url)
                        + "' is not a JDBC URL recon knows (expected " + String.join(", or ", Engines.all().stream()
                                .map(e -> e.urlExample() + " for " + e.label()).toList()) + ")");
            }
            String user = text(c, "user", path, problems, false);
            String password = text(c, "password", path, problems, false);
            Map<String, String> props = new LinkedHashMap<>();
            JsonNode p = c.get("properties");
            if (p != null) {
                if (!p.isObject()) {
                    problems.add(path + ".properties: must be a mapping of JDBC driver properties");
                } else {
                    p.fields().forEachRemaining(pe -> props.put(pe.getKey(),
                            interpolate(pe.getValue().asText(), path + ".properties." + pe.getKey(), problems)));
                }
            }
            boolean zeroDatesAsNull = false;
            JsonNode z = c.get("zero_dates");
            if (z != null) {
                if (url != null && Engines.find(url).filter(e -> !e.hasZeroDates()).isPresent()) {
                    problems.add(path + ".zero_dates: only for a connection to an engine with zero dates ("
                            + String.join(", ", Engines.all().stream().filter(e -> e.hasZeroDates()).map(e -> e.label())
                                    .toList()) + "); " + Engines.of(url).label() + " has none");
                } else if (z.isNull() || z.isTextual() && z.asText().equals("null")) {
                    zeroDatesAsNull = true;
                } else if (!(z.isTextual() && z.asText().equals("error"))) {
                    problems.add(path + ".zero_dates: must be error (the default: reading a zero date 0000-00-00 fails"
                            + " the mapping) or null (zero dates are read as NULL), not " + z);
                }
            }
            Optional<ZoneId> zone = Optional.ofNullable(zone(c.get("time_zone"), path + ".time_zone", problems));
            Duration stall = ConnectionConfig.DEFAULT_STALL_TIMEOUT;
            JsonNode st = c.get("stall_timeout");
            if (st != null) {
                Optional<Duration> d = duration(st.asText().trim());
                if (d.isPresent()) {
                    stall = d.get();
                } else {
                    problems.add(path + ".stall_timeout: must be a duration such as 30s, 15m or 2h, at most a year"
                            + " (0 for none), not " + (st.isValueNode() ? "'" + st.asText() + "'" : st.toString()));
                }
            }
            if (url != null) {
                result.put(entry.getKey(), new ConnectionConfig(entry.getKey(), url, user, password, props,
                        zeroDatesAsNull, zone, stall));
            }
        });
        return result;
    }

    private List<MappingConfig> syncs(JsonNode node, Set<String> connections, Problems problems,
            List<SchemaEntry> schemas) {
        List<MappingConfig> result = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            problems.add("syncs: required, a list of mappings (name, source, target, key, columns)");
            return result;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode s = node.get(i);
            String path = "syncs[" + i + "]";
            if (!s.isObject()) {
                problems.add(path + ": must be a mapping with name, source, target, key, columns");
                continue;
            }
            String name = text(s, "name", path, problems, true);
            if (name != null) {
                path = path + " (" + name + ")";
                if (!SYNC_NAME.matcher(name).matches()) {
                    problems.add(path + ".name: '" + name + "' may hold only letters, digits, '_', '.' and '-'");
                } else if (!names.add(name)) {
                    problems.add(path + ".name: '" + name + "' is used by more than one mapping");
                }
            }
            JsonNode src = s.get("source");
            JsonNode tgt = s.get("target");
            boolean sourceSchema = src != null && src.isObject() && src.has("schema") && !src.has("table");
            boolean targetSchema = tgt != null && tgt.isObject() && tgt.has("schema") && !tgt.has("table");
            boolean sourceTable = src != null && src.isObject() && src.has("table");
            boolean targetTable = tgt != null && tgt.isObject() && tgt.has("table");
            if ((sourceSchema && targetTable) || (sourceTable && targetSchema)) {
                problems.add(path + ": the " + (sourceSchema ? "source names a schema and the target a table"
                        : "source names a table and the target a schema") + "; a schema entry maps a schema to a"
                        + " schema (source: { connection, schema }, target: { connection, schema }; another target"
                        + " table for one source table goes in overrides: { TABLE: { target: { table: NAME } } }),"
                        + " a mapping maps a table to a table");
                continue;
            }
            if (sourceSchema) {
                SchemaEntry entry = schemaEntry(s, name, path, connections, problems);
                if (entry != null) {
                    schemas.add(entry);
                }
                continue;
            }
            unknownKeys(s, SYNC_KEYS, path + ".", problems);
            TableRef source = side(s.get("source"), path + ".source", SOURCE_KEYS, connections, problems);
            TableRef target = side(s.get("target"), path + ".target", TARGET_KEYS, connections, problems);
            // `key: none`: a table without a key, compared as a multiset of its mapped columns
            boolean keyless = isNone(s.get("key"));
            Map<String, String> key = keyless ? Map.of() : columnMap(s.get("key"), path + ".key", true, problems);
            Map<String, String> columns = columnMap(s.get("columns"), path + ".columns", false, problems);
            // without `columns`, the columns are found by name when planning, and so is what compare names
            List<String> compare = compare(s.get("compare"), path + ".compare", s.has("columns") ? columns : null,
                    problems);
            DeletePolicy deletes = deletes(s.get("deletes"), path + ".deletes", problems);
            Set<Operation> skip = skip(s.get("skip"), path + ".skip", problems);
            Strategy strategy = strategy(s.get("strategy"), path + ".strategy", problems);
            WriteSettings writes = writes(s, path, problems);
            Map<String, ColumnRule> rules = rules(s.get("rules"), path + ".rules", problems);
            for (String target1 : key.values()) {
                if (columns.containsValue(target1)) {
                    problems.add(path + ".columns: target column '" + target1 + "' is already mapped by key");
                }
            }
            if (name != null && source != null && target != null && (keyless || !key.isEmpty())) {
                result.add(new MappingConfig(name, source, target, key, columns, compare, deletes, skip, strategy,
                        writes, !s.has("columns"), Map.of(), null, rules, rules.keySet()));
            }
        }
        return result;
    }

    /** An entry whose source names a schema: every matching table, each mapped by name. */
    private SchemaEntry schemaEntry(JsonNode s, String name, String path, Set<String> connections,
            Problems problems) {
        unknownKeys(s, SCHEMA_ENTRY_KEYS, path + ".", problems);
        String[] source = schemaSide(s.get("source"), path + ".source", connections, problems);
        String[] target = schemaSide(s.get("target"), path + ".target", connections, problems);
        List<String> tables = globs(s.get("tables"), path + ".tables", List.of("*"), problems);
        List<String> exclude = globs(s.get("exclude"), path + ".exclude", List.of(), problems);
        DeletePolicy deletes = deletes(s.get("deletes"), path + ".deletes", problems);
        Set<Operation> skip = skip(s.get("skip"), path + ".skip", problems);
        Strategy strategy = strategy(s.get("strategy"), path + ".strategy", problems);
        WriteSettings writes = writes(s, path, problems);
        Map<String, ColumnRule> rules = rules(s.get("rules"), path + ".rules", problems);
        Map<String, SchemaEntry.Override> overrides = new LinkedHashMap<>();
        JsonNode o = s.get("overrides");
        if (o != null && !o.isObject()) {
            problems.add(path + ".overrides: must be a mapping of source table name to its changes");
        } else if (o != null) {
            o.fields().forEachRemaining(e -> {
                String p = path + ".overrides." + e.getKey();
                JsonNode v = e.getValue();
                if (!v.isObject()) {
                    problems.add(p + ": must be a mapping with target, key, columns, rename, where, compare or rules");
                    return;
                }
                unknownKeys(v, OVERRIDE_KEYS, p + ".", problems);
                Optional<String> targetTable = Optional.empty();
                if (v.has("target")) {
                    JsonNode t = v.get("target");
                    if (!t.isObject() || !t.has("table") || !OVERRIDE_TARGET_KEYS.containsAll(keysOf(t))) {
                        problems.add(p + ".target: must be { table: NAME } (the target table in the target schema)");
                    } else {
                        targetTable = Optional.ofNullable(text(t, "table", p + ".target", problems, true));
                    }
                }
                Map<String, String> key = v.has("key") && !isNone(v.get("key"))
                        ? columnMap(v.get("key"), p + ".key", true, problems) : Map.of();
                boolean keyless = isNone(v.get("key"));
                Optional<Map<String, String>> columns = v.has("columns")
                        ? Optional.of(columnMap(v.get("columns"), p + ".columns", false, problems)) : Optional.empty();
                Map<String, String> rename = v.has("rename") ? columnMap(v.get("rename"), p + ".rename", false, problems)
                        : Map.of();
                Optional<String> where = Optional.ofNullable(text(v, "where", p, problems, false));
                List<String> compare = compare(v.get("compare"), p + ".compare", columns.orElse(null), problems);
                Map<String, ColumnRule> own = rules(v.get("rules"), p + ".rules", problems);
                overrides.put(e.getKey(), new SchemaEntry.Override(targetTable, key, keyless, columns, rename, where,
                        compare, own));
            });
        }
        if (name == null || source == null || target == null) {
            return null;
        }
        return new SchemaEntry(name, source[0], source[1], target[0], target[1], tables, exclude, deletes, skip,
                strategy, writes, overrides, rules);
    }

    /** {connection, schema}: the connection's name and the schema. */
    private String[] schemaSide(JsonNode node, String path, Set<String> connections, Problems problems) {
        if (node == null || !node.isObject()) {
            problems.add(path + ": required, a mapping {connection, schema}");
            return null;
        }
        unknownKeys(node, SCHEMA_SIDE_KEYS, path + ".", problems);
        String connection = text(node, "connection", path, problems, true);
        if (connection != null && !connections.isEmpty() && !connections.contains(connection)) {
            problems.add(path + ".connection: no connection named '" + connection + "' (defined: "
                    + String.join(", ", connections) + ")");
        }
        String schema = text(node, "schema", path, problems, true);
        return connection == null || schema == null ? null : new String[] {connection, schema};
    }

    /** A list of glob patterns on table names ({@code *} and {@code ?}). */
    private List<String> globs(JsonNode node, String path, List<String> absent, Problems problems) {
        if (node == null) {
            return absent;
        }
        if (!node.isArray()) {
            problems.add(path + ": must be a list of table name patterns, e.g. [\"*\"] or [\"audit_*\"]");
            return absent;
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private TableRef side(JsonNode node, String path, Set<String> allowed, Set<String> connections, Problems problems) {
        if (node == null || !node.isObject()) {
            problems.add(path + ": required, a mapping {connection, table"
                    + (allowed.contains("where") ? ", where" : "") + "}");
            return null;
        }
        unknownKeys(node, allowed, path + ".", problems);
        if (node.has("files") && allowed.contains("files")) {
            return files(node, path, problems);
        }
        FILE_KEYS.stream().filter(node::has).filter(k -> allowed.contains(k)).forEach(k -> problems.add(path + "."
                + k + ": applies to files: name them with files: PATH_OR_GLOB (instead of connection and table)"));
        String connection = text(node, "connection", path, problems, true);
        if (connection != null && !connections.isEmpty() && !connections.contains(connection)) {
            problems.add(path + ".connection: no connection named '" + connection + "' (defined: "
                    + String.join(", ", connections) + ")");
        }
        String table = text(node, "table", path, problems, true);
        String where = allowed.contains("where") ? text(node, "where", path, problems, false) : null;
        if (where != null && where.isBlank()) {
            problems.add(path + ".where: is empty; remove it or give an SQL condition");
        }
        if (connection == null || table == null) {
            return null;
        }
        return new TableRef(connection, table, Optional.ofNullable(where));
    }

    private static final java.util.regex.Pattern TYPE_NAME = java.util.regex.Pattern.compile(
            "[A-Za-z][A-Za-z0-9_ ]*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?");

    /**
     * A source of files ({@code files: "incoming/*.csv"}, a path or a glob), read by the engine
     * that reads files, in {@code format} (else the extension's): {@code header}, {@code delimiter},
     * {@code null} and {@code types} pin how a CSV is read. The table is that engine's reading of
     * them, on connection {@value #FILES_CONNECTION} (added when the file has none of that name).
     */
    private TableRef files(JsonNode node, String path, Problems problems) {
        if (node.has("connection") || node.has("table")) {
            problems.add(path + ": files takes the place of connection and table; give one or the other");
            return null;
        }
        String files = text(node, "files", path, problems, true);
        String where = text(node, "where", path, problems, false);
        if (files == null) {
            return null;
        }
        String lower = files.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.(gz|zst)$", "");
        String format = node.has("format") ? text(node, "format", path, problems, false) : lower.endsWith(".parquet")
                ? "parquet" : lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson")
                ? "json" : lower.endsWith(".csv") || lower.endsWith(".tsv") || lower.endsWith(".txt") ? "csv" : null;
        if (format == null || !Set.of("csv", "parquet", "json").contains(format)) {
            problems.add(path + ".format: " + (format == null ? "required when the files' extension does not say it"
                    : "'" + format + "' is not one of csv, parquet, json") + " (files: " + files + ")");
            return null;
        }
        Map<String, String> csvOptions = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        boolean csv = format.equals("csv");
        for (String k : List.of("header", "delimiter", "null", "types")) {
            if (node.has(k) && !csv) {
                problems.add(path + "." + k + ": applies to csv files only (" + format + " files carry their own"
                        + (format.equals("json") ? "; to pin a JSON file's types, name the reader's call as the"
                                + " table of a connection that reads files: read_json('...', columns = {...})" : "")
                        + ")");
            }
        }
        if (csv) {
            if (node.has("header")) {
                JsonNode h = node.get("header");
                if (!h.isBoolean()) {
                    problems.add(path + ".header: must be true or false");
                } else {
                    csvOptions.put("header", Boolean.toString(h.asBoolean()));
                }
            }
            if (node.has("delimiter")) {
                String d = text(node, "delimiter", path, problems, false);
                if (d != null) {
                    csvOptions.put("delimiter", d);
                }
            }
            if (node.has("null")) {
                String n = node.get("null").isNull() ? "" : text(node, "null", path, problems, false);
                csvOptions.put("null", n == null ? "" : n);
            }
            if (node.has("types")) {
                JsonNode given = node.get("types");
                if (!given.isObject() || given.isEmpty()) {
                    problems.add(path + ".types: must be a mapping of column to type, e.g. { id: bigint,"
                            + " balance: \"decimal(12,2)\" }");
                } else {
                    given.fields().forEachRemaining(e -> {
                        String type = e.getValue().isValueNode() ? e.getValue().asText() : "";
                        if (!TYPE_NAME.matcher(type).matches()) {
                            problems.add(path + ".types." + e.getKey() + ": '" + type + "' is not a type name"
                                    + " (bigint, varchar, \"decimal(12,2)\", timestamptz...)");
                        }
                        types.put(e.getKey(), type);
                    });
                }
            }
        }
        Optional<dev.recon.spi.Engine> reader = dev.recon.spi.Engines.all().stream().filter(e -> e.filesUrl() != null)
                .findFirst();
        if (reader.isEmpty()) {
            problems.add(path + ".files: no engine of this recon reads files");
            return null;
        }
        filesUrl = reader.get().filesUrl();
        String call = reader.get().fileTable(files, format, csvOptions, types);
        return new TableRef(FILES_CONNECTION, call, Optional.ofNullable(where));
    }

    /** {@code key: none}: the table has no key and is compared as a multiset. */
    private static boolean isNone(JsonNode node) {
        return node != null && node.isTextual() && node.asText().equals("none");
    }

    private Map<String, String> columnMap(JsonNode node, String path, boolean required, Problems problems) {
        Map<String, String> result = new LinkedHashMap<>();
        if (node == null) {
            if (required) {
                problems.add(path + ": required, a mapping of source column to target column, e.g. { id: id }"
                        + (path.endsWith(".key") ? ", or none for a table without a key (compared as a multiset)" : ""));
            }
            return result;
        }
        if (!node.isObject()) {
            problems.add(path + ": must be a mapping of source column (or expression) to target column"
                    + (path.endsWith(".key") ? ", or none for a table without a key (compared as a multiset)" : ""));
            return result;
        }
        Set<String> targets = new HashSet<>();
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (!v.isTextual() || v.asText().isBlank()) {
                problems.add(path + "." + e.getKey() + ": the target column must be a name");
                return;
            }
            if (!targets.add(v.asText())) {
                problems.add(path + "." + e.getKey() + ": target column '" + v.asText() + "' is mapped twice");
                return;
            }
            result.put(e.getKey(), v.asText());
        });
        if (required && result.isEmpty() && node.isEmpty()) {
            problems.add(path + ": must map at least one column");
        }
        return result;
    }

    private List<String> compare(JsonNode node, String path, Map<String, String> columns, Problems problems) {
        List<String> result = new ArrayList<>();
        if (node == null) {
            return result;
        }
        if (!node.isArray()) {
            problems.add(path + ": must be a list of mapped columns");
            return result;
        }
        for (JsonNode n : node) {
            String name = n.asText();
            if (columns != null && !columns.containsKey(name) && !columns.containsValue(name)) {
                problems.add(path + ": '" + name + "' is not a mapped column (mapped: "
                        + String.join(", ", columns.keySet()) + ")");
            } else {
                result.add(name);
            }
        }
        return result;
    }

    /**
     * {@code rules: { target_column: { tolerance, relative, precision, trim, case, empty_is_null } }}:
     * each value checked here; whether it fits the column's type is the planner's question.
     */
    private Map<String, ColumnRule> rules(JsonNode node, String path, Problems problems) {
        Map<String, ColumnRule> result = new LinkedHashMap<>();
        if (node == null) {
            return result;
        }
        if (!node.isObject()) {
            problems.add(path + ": must be a mapping of target column to its rule, e.g. { total_price: { tolerance:"
                    + " 0.005 } }");
            return result;
        }
        node.fields().forEachRemaining(e -> {
            String p = path + "." + e.getKey();
            JsonNode r = e.getValue();
            if (!r.isObject() || r.isEmpty()) {
                problems.add(p + ": must be a mapping of one or more of tolerance, relative, precision, trim, case,"
                        + " empty_is_null, time_zone");
                return;
            }
            unknownKeys(r, RULE_KEYS, p + ".", problems);
            BigDecimal tolerance = nonNegative(r.get("tolerance"), p + ".tolerance", problems);
            BigDecimal relative = nonNegative(r.get("relative"), p + ".relative", problems);
            if (relative != null && relative.compareTo(BigDecimal.ONE) >= 0) {
                problems.add(p + ".relative: " + relative + " is not below 1 (a fraction of the larger value,"
                        + " e.g. 1e-6)");
            }
            ColumnRule.Precision precision = null;
            if (r.has("precision")) {
                precision = ColumnRule.Precision.of(r.get("precision").asText());
                if (precision == null || !r.get("precision").isTextual()) {
                    problems.add(p + ".precision: must be us, ms, s or min, not '" + r.get("precision").asText()
                            + "'");
                }
            }
            boolean trim = flag(r.get("trim"), p + ".trim", problems);
            boolean empty = flag(r.get("empty_is_null"), p + ".empty_is_null", problems);
            boolean insensitive = false;
            if (r.has("case")) {
                String c = r.get("case").asText();
                if (!c.equals("insensitive") && !c.equals("sensitive")) {
                    problems.add(p + ".case: must be insensitive or sensitive, not '" + c + "'");
                }
                insensitive = c.equals("insensitive");
            }
            ZoneId zone = zone(r.get("time_zone"), p + ".time_zone", problems);
            result.put(e.getKey(), new ColumnRule(tolerance, relative, precision, trim, insensitive, empty, zone));
        });
        return result;
    }

    /** A time zone by its IANA name ({@code Europe/Paris}) or a fixed offset ({@code +02:00}, {@code UTC}). */
    private static ZoneId zone(JsonNode node, String path, Problems problems) {
        if (node == null) {
            return null;
        }
        try {
            return ZoneId.of(node.asText().trim());
        } catch (java.time.DateTimeException e) {
            problems.add(path + ": '" + node.asText() + "' is not a time zone (an IANA name such as Europe/Paris,"
                    + " or an offset such as +02:00 or UTC)");
            return null;
        }
    }

    /** A number at least 0, written as a number or as text ({@code 1e-6}, which YAML reads as text). */
    private static BigDecimal nonNegative(JsonNode node, String path, Problems problems) {
        if (node == null) {
            return null;
        }
        try {
            BigDecimal d = node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().trim());
            if (d.signum() < 0) {
                problems.add(path + ": must be 0 or more, not " + node.asText());
                return null;
            }
            return d;
        } catch (NumberFormatException e) {
            problems.add(path + ": must be a number, e.g. 0.005 or 1e-6, not '" + node.asText() + "'");
            return null;
        }
    }

    private static boolean flag(JsonNode node, String path, Problems problems) {
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            problems.add(path + ": must be true or false, not '" + node.asText() + "'");
            return false;
        }
        return node.asBoolean();
    }

    private DeletePolicy deletes(JsonNode node, String path, Problems problems) {
        if (node == null) {
            return new DeletePolicy.Delete();
        }
        if (node.isTextual()) {
            switch (node.asText()) {
                case "ignore":
                    return new DeletePolicy.Ignore();
                case "delete":
                    return new DeletePolicy.Delete();
                default:
                    break;
            }
        } else if (node.isObject() && SOFT_DELETE_KEYS.containsAll(keysOf(node)) && node.has("soft")
                && node.get("soft").isTextual()) {
            return new DeletePolicy.Soft(node.get("soft").asText());
        }
        problems.add(path + ": must be ignore, delete or { soft: column }");
        return new DeletePolicy.Delete();
    }

    private Set<Operation> skip(JsonNode node, String path, Problems problems) {
        Set<Operation> result = EnumSet.noneOf(Operation.class);
        if (node == null) {
            return result;
        }
        if (!node.isArray()) {
            problems.add(path + ": must be a list of insert, update, delete");
            return result;
        }
        for (JsonNode n : node) {
            try {
                result.add(Operation.valueOf(n.asText().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add(path + ": '" + n.asText() + "' is not one of insert, update, delete");
            }
        }
        return result;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    /** A mapping's {@code max_deletes}, {@code batch_size}, {@code max_rows_per_second} and {@code statement_timeout}. */
    private WriteSettings writes(JsonNode s, String path, Problems problems) {
        Optional<MaxDeletes> maxDeletes = Optional.empty();
        OptionalInt batchSize = OptionalInt.empty();
        OptionalDouble rate = OptionalDouble.empty();
        Optional<Duration> timeout = Optional.empty();
        JsonNode n = s.get("max_deletes");
        if (n != null) {
            try {
                maxDeletes = Optional.of(MaxDeletes.parse(n.asText()));
            } catch (IllegalArgumentException e) {
                problems.add(path + ".max_deletes: " + e.getMessage().replace("--max-deletes", "max_deletes"));
            }
        }
        n = s.get("batch_size");
        if (n != null) {
            if (n.canConvertToInt() && n.isIntegralNumber() && n.asInt() >= 1) {
                batchSize = OptionalInt.of(n.asInt());
            } else {
                problems.add(path + ".batch_size: must be a whole number of rows, at least 1, not '" + n.asText() + "'");
            }
        }
        n = s.get("max_rows_per_second");
        if (n != null) {
            if (n.isNumber() && n.asDouble() >= 0) {
                rate = OptionalDouble.of(n.asDouble());
            } else {
                problems.add(path + ".max_rows_per_second: must be a number, 0 (no limit) or more, not '" + n.asText()
                        + "'");
            }
        }
        n = s.get("statement_timeout");
        if (n != null) {
            Matcher m = DURATION.matcher(n.asText().trim());
            Optional<Duration> d = Optional.empty();
            try {
                if (m.matches()) {
                    long v = Long.parseLong(m.group(1));
                    d = Optional.of(switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(v);
                        case "s" -> Duration.ofSeconds(v);
                        case "m" -> Duration.ofMinutes(v);
                        default -> Duration.ofHours(v);
                    });
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // too many digits for a duration: refused below, as any other text that is not one
            }
            if (d.isPresent()) {
                timeout = d;
            } else {
                problems.add(path + ".statement_timeout: must be a duration such as 500ms, 30s, 5m or 2h, not '"
                        + n.asText() + "'");
            }
        }
        OptionalLong splitRows = OptionalLong.empty();
        n = s.get("split_rows");
        if (n != null) {
            if (n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 1) {
                splitRows = OptionalLong.of(n.asLong());
            } else {
                problems.add(path + ".split_rows: must be a whole number of rows per key range, at least 1, not '"
                        + n.asText() + "'");
            }
        }
        OptionalInt threads = OptionalInt.empty();
        n = s.get("threads");
        if (n != null) {
            if (n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 1 && n.asInt() <= MAX_THREADS) {
                threads = OptionalInt.of(n.asInt());
            } else {
                problems.add(path + ".threads: must be a whole number from 1 to " + MAX_THREADS + ", not '"
                        + n.asText() + "'");
            }
        }
        return new WriteSettings(maxDeletes, batchSize, rate, timeout, splitRows, threads);
    }

    /** The most key ranges of one table compared at once ({@code threads}, {@code --threads}). */
    public static final int MAX_THREADS = 64;

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, or {@code 0}; empty when it is none of them. */
    private static Optional<Duration> duration(String text) {
        if (text.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long v = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(v);
                case "s" -> Duration.ofSeconds(v);
                case "m" -> Duration.ofMinutes(v);
                default -> Duration.ofHours(v);
            };
            // a year at most: beyond it a driver's timeout in milliseconds would overflow
            return d.compareTo(Duration.ofDays(366)) > 0 ? Optional.empty() : Optional.of(d);
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private Strategy strategy(JsonNode node, String path, Problems problems) {
        if (node == null) {
            return Strategy.AUTO;
        }
        try {
            return Strategy.valueOf(node.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(path + ": '" + node.asText() + "' is not one of auto, join, merge, hash");
            return Strategy.AUTO;
        }
    }

    private String stateSchema(JsonNode node, Problems problems) {
        if (node == null) {
            return ReconConfig.DEFAULT_STATE_SCHEMA;
        }
        if (!node.isObject()) {
            problems.add("state: must be a mapping { schema: name }");
            return ReconConfig.DEFAULT_STATE_SCHEMA;
        }
        unknownKeys(node, STATE_KEYS, "state.", problems);
        String schema = text(node, "schema", "state", problems, false);
        return schema == null ? ReconConfig.DEFAULT_STATE_SCHEMA : schema;
    }

    private String text(JsonNode parent, String field, String path, Problems problems, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                problems.add(path + "." + field + ": required");
            }
            return null;
        }
        if (!n.isValueNode() || n.isBinary()) {
            problems.add(path + "." + field + ": must be a single value");
            return null;
        }
        return interpolate(n.asText(), path + "." + field, problems);
    }

    private String interpolate(String value, String path, Problems problems) {
        return new EnvInterpolator(env).interpolate(value, var -> problems.add(
                path + ": environment variable " + var + " is not set (write ${" + var + ":-default} for a default)"));
    }

    private static Set<String> keysOf(JsonNode node) {
        Set<String> keys = new HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String prefix, Problems problems) {
        if (!(node instanceof ObjectNode)) {
            return;
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                problems.add(prefix + f + ": unknown key (expected one of: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        });
    }

    /** An ordered list of problem lines. */
    private static final class Problems {
        private final List<String> list = new ArrayList<>();

        void add(String problem) {
            list.add(problem);
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        int size() {
            return list.size();
        }

        List<String> list() {
            return list;
        }
    }
}
