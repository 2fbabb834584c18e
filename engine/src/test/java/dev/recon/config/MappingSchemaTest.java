package dev.recon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.recon.spi.Engine;
import dev.recon.spi.Engines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mapping file's JSON Schema ({@code recon.schema.json}, what {@code recon schema} prints)
 * and {@link ConfigLoader} agree:
 *
 * <ul>
 * <li><b>Keys.</b> At each place of the file (top level, a connection, a mapping, its source
 * and target, a rule, a schema entry, its sides, an override, its target, a soft delete,
 * {@code state}) the schema's properties are exactly the loader's key set, read from the
 * loader's own constants; every object of the schema with properties is one of these places,
 * rejects other keys ({@code additionalProperties: false}, as the loader does) and describes
 * each property.
 * <li><b>The docs' examples.</b> Every fenced {@code ```yaml} block of README.md and docs/*.md
 * (its common indentation removed) is classified by its top level: a <i>whole file</i> has
 * {@code connections} or {@code syncs} (a missing {@code connections} is filled with one stub
 * connection per name the mappings use, a missing {@code syncs} with one stub mapping); a list
 * whose items have a {@code name} is <i>mapping entries</i> (put under {@code syncs}, with stub
 * connections); an object whose keys are all keys of a mapping is <i>a piece of one
 * mapping</i> (merged into a stub mapping). Every other block (Kubernetes, Prometheus, the web
 * config) is skipped. Each example that is not skipped must validate against the schema and
 * load with the loader (every {@code ${VAR}} it names set); at least {@link #MIN_EXAMPLES} are
 * checked, so a rule that skipped everything fails.
 * <li><b>Edges.</b> Files that use every key and the loader's lenient forms ({@code JOIN},
 * {@code 1e-6} as text, {@code ${VAR}} where text is read) validate and load; files with an
 * unknown key, a wrong enumerated value or a wrong type fail both.
 * </ul>
 */
public class MappingSchemaTest {
    /** The examples README.md and docs/configuration.md hold today (2 and 7): fewer means a rule skips them. */
    private static final int MIN_EXAMPLES = 9;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern FENCE = Pattern.compile("(?m)^([ \\t]*)```yaml[ \\t]*\\n(.*?)^[ \\t]*```[ \\t]*$",
            Pattern.DOTALL);

    private static final String SCHEMA_TEXT = ConfigLoader.schema();
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SCHEMA_TEXT, InputFormat.JSON);

    /** Each place of the file: the loader's key set and the schema's object for it. */
    private static final Map<String, Place> PLACES = places();

    private record Place(Set<String> keys, String pointer) {}

    private static Map<String, Place> places() {
        Map<String, Place> p = new LinkedHashMap<>();
        p.put("top level", new Place(ConfigLoader.TOP_KEYS, ""));
        p.put("connection", new Place(ConfigLoader.CONNECTION_KEYS, "/$defs/connection"));
        p.put("state", new Place(ConfigLoader.STATE_KEYS, "/$defs/state"));
        p.put("mapping", new Place(ConfigLoader.SYNC_KEYS, "/$defs/mapping"));
        p.put("mapping source", new Place(ConfigLoader.SOURCE_KEYS, "/$defs/source"));
        p.put("mapping target", new Place(ConfigLoader.TARGET_KEYS, "/$defs/target"));
        p.put("soft delete", new Place(ConfigLoader.SOFT_DELETE_KEYS, "/$defs/softDelete"));
        p.put("rule", new Place(ConfigLoader.RULE_KEYS, "/$defs/rule"));
        p.put("schema entry", new Place(ConfigLoader.SCHEMA_ENTRY_KEYS, "/$defs/schemaEntry"));
        p.put("schema entry side", new Place(ConfigLoader.SCHEMA_SIDE_KEYS, "/$defs/schemaSide"));
        p.put("override", new Place(ConfigLoader.OVERRIDE_KEYS, "/$defs/override"));
        p.put("override target", new Place(ConfigLoader.OVERRIDE_TARGET_KEYS, "/$defs/overrideTarget"));
        return p;
    }

    private static JsonNode schemaTree() {
        try {
            return JSON.readTree(SCHEMA_TEXT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theSchemaIsADraft202012Schema() {
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
        assertThat(meta.validate(SCHEMA_TEXT, InputFormat.JSON)).isEmpty();
        assertThat(schemaTree().path("$schema").asText()).isEqualTo(SpecificationVersion.DRAFT_2020_12.getDialectId());
    }

    @Test
    void eachPlaceHasTheLoadersKeysExactlyAndRejectsOthers() {
        JsonNode schema = schemaTree();
        List<String> problems = new ArrayList<>();
        PLACES.forEach((name, place) -> {
            JsonNode object = schema.at(place.pointer());
            Set<String> inSchema = new TreeSet<>();
            object.path("properties").fieldNames().forEachRemaining(inSchema::add);
            Set<String> onlyLoader = new TreeSet<>(place.keys());
            onlyLoader.removeAll(inSchema);
            Set<String> onlySchema = new TreeSet<>(inSchema);
            onlySchema.removeAll(place.keys());
            if (!onlyLoader.isEmpty() || !onlySchema.isEmpty()) {
                problems.add(name + " (" + place.pointer() + "): only the loader accepts " + onlyLoader
                        + ", only the schema has " + onlySchema);
            }
            if (!object.path("additionalProperties").isBoolean() || object.path("additionalProperties").asBoolean()) {
                problems.add(name + " (" + place.pointer() + "): additionalProperties is not false");
            }
            object.path("properties").fields().forEachRemaining(e -> {
                if (description(schema, e.getValue()).isBlank()) {
                    problems.add(name + "." + e.getKey() + ": no description");
                }
            });
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyObjectOfTheSchemaIsAPlaceOfTheLoader() {
        Set<String> withProperties = new TreeSet<>();
        objects(schemaTree(), "", withProperties);
        assertThat(withProperties).containsExactlyInAnyOrderElementsOf(
                PLACES.values().stream().map(Place::pointer).toList());
    }

    /** The pointers of the subschemas that list properties; the {@code if} that tells entries apart is a test. */
    private static void objects(JsonNode schema, String pointer, Set<String> out) {
        if (!schema.isObject()) {
            return;
        }
        if (schema.has("properties")) {
            out.add(pointer);
        }
        for (String map : List.of("properties", "$defs")) {
            schema.path(map).fields().forEachRemaining(e -> objects(e.getValue(), pointer + "/" + map + "/"
                    + e.getKey(), out));
        }
        for (String one : List.of("additionalProperties", "items", "then", "else", "not")) {
            objects(schema.path(one), pointer + "/" + one, out);
        }
        for (String many : List.of("anyOf", "oneOf", "allOf")) {
            for (int i = 0; i < schema.path(many).size(); i++) {
                objects(schema.path(many).get(i), pointer + "/" + many + "/" + i, out);
            }
        }
    }

    /** A property's description, its own or that of the definition it refers to. */
    private static String description(JsonNode schema, JsonNode property) {
        if (property.hasNonNull("description")) {
            return property.get("description").asText();
        }
        if (property.has("$ref")) {
            return description(schema, schema.at(property.get("$ref").asText().substring(1)));
        }
        return "";
    }

    @Test
    void everyExampleInTheDocsValidatesAndLoads() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("..", "README.md")));
        try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
            docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher m = FENCE.matcher(text);
            while (m.find()) {
                String where = file.getFileName() + ":" + (text.substring(0, m.start()).split("\n", -1).length);
                String yaml = dedent(m.group(2));
                String example = example(yaml);
                if (example == null) {
                    continue;
                }
                checked++;
                List<String> errors = schemaErrors(example);
                if (!errors.isEmpty()) {
                    problems.add(where + ": the schema refuses it: " + errors);
                }
                try {
                    new ConfigLoader(env(example)).parse(example, where);
                } catch (ConfigException e) {
                    problems.add(where + ": the loader refuses it: " + e.getMessage() + " " + e.problems());
                }
            }
        }
        assertThat(problems).isEmpty();
        System.out.println("MappingSchemaTest: " + checked + " examples of the docs checked");
        assertThat(checked).as("examples checked").isGreaterThanOrEqualTo(MIN_EXAMPLES);
    }

    /** The block without the indentation all its lines share. */
    private static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
        return sb.toString();
    }

    /** The block as a whole mapping file (the class comment's rule), or null when it is not recon's. */
    private static String example(String yaml) throws IOException {
        JsonNode node = YAML.readTree(yaml);
        ObjectNode file;
        if (node instanceof ObjectNode o && (o.has("connections") || o.has("syncs"))) {
            if (o.has("connections") && o.has("syncs")) {
                return yaml;
            }
            file = o.deepCopy();
        } else if (node instanceof ArrayNode a && !a.isEmpty() && a.get(0).has("name")) {
            file = JSON.createObjectNode();
            file.set("syncs", a);
        } else if (node instanceof ObjectNode o && !o.isEmpty() && keys(o).stream()
                .allMatch(ConfigLoader.SYNC_KEYS::contains)) {
            ObjectNode mapping = stubMapping("stub");
            mapping.setAll(o);
            file = JSON.createObjectNode();
            file.set("syncs", JSON.createArrayNode().add(mapping));
        } else {
            return null;
        }
        if (!file.has("connections")) {
            ObjectNode connections = file.putObject("connections");
            Set<String> names = new LinkedHashSet<>(file.findValuesAsText("connection"));
            (names.isEmpty() ? Set.of("stub") : names).forEach(n -> connections.putObject(n)
                    .put("url", "jdbc:postgresql://localhost:5432/stub"));
        }
        if (!file.has("syncs")) {
            file.putArray("syncs").add(stubMapping(file.get("connections").fieldNames().next()));
        }
        return YAML.writeValueAsString(file);
    }

    private static ObjectNode stubMapping(String connection) {
        ObjectNode m = JSON.createObjectNode().put("name", "stub");
        m.putObject("source").put("connection", connection).put("table", "s");
        m.putObject("target").put("connection", connection).put("table", "t");
        m.putObject("key").put("id", "id");
        return m;
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Every variable the text names, set: a URL where the name says so, else a word. */
    private static Map<String, String> env(String yaml) {
        Map<String, String> env = new HashMap<>();
        Matcher m = VAR.matcher(yaml);
        while (m.find()) {
            env.put(m.group(1), m.group(1).endsWith("URL") ? "jdbc:postgresql://localhost:5432/db" : "x");
        }
        return env;
    }

    /** What the schema finds wrong with a mapping file (for other tests: recon init's files). */
    public static List<String> schemaErrors(String yaml) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            return SCHEMA.validate(JSON.writeValueAsString(tree), InputFormat.JSON).stream()
                    .map(Error::toString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- edges: files built from one mapping, each line replacing the base's line of the same key

    private static final String CONNECTIONS = """
            connections:
              a: { url: "jdbc:postgresql://localhost:5432/a" }
              m: { url: "jdbc:mariadb://localhost:3306/m" }
            """;
    private static final List<String> BASE = List.of("name: orders", "source: { connection: a, table: s }",
            "target: { connection: a, table: t }", "key: { id: id }");

    /** A whole file with one mapping: the base's lines, each replaced by a given line of the same key. */
    static String mapping(String... lines) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String l : BASE) {
            byKey.put(l.substring(0, l.indexOf(':')), l);
        }
        for (String l : lines) {
            byKey.put(l.substring(0, l.indexOf(':')), l);
        }
        byKey.values().removeIf(l -> l.endsWith(": REMOVE"));
        StringBuilder sb = new StringBuilder(CONNECTIONS).append("syncs:\n");
        String first = "  - ";
        for (String l : byKey.values()) {
            sb.append(first).append(l).append('\n');
            first = "    ";
        }
        return sb.toString();
    }

    /** The base mapping's {@code syncs:}, to follow other connections. */
    private static final String SYNCS = mapping().substring(CONNECTIONS.length());

    private static final String SCHEMA_ENTRY = CONNECTIONS + """
            syncs:
              - name: app
                source: { connection: a, schema: public }
                target: { connection: a, schema: mirror }
            """;

    static Stream<String> valid() {
        return Stream.of(
                // every key of every place
                """
                connections:
                  a:
                    url: ${A_URL}
                    user: recon
                    password: ${A_PASSWORD:-secret}
                    properties: { sslmode: disable, loginTimeout: 60, tcpKeepAlive: true }
                    time_zone: Europe/Paris
                    stall_timeout: 30s
                  m: { url: "jdbc:mysql://localhost:3306/m", zero_dates: null, stall_timeout: 0 }
                state: { schema: recon_state }
                syncs:
                  - name: ${SYNC_NAME}
                    source: { connection: a, table: public.s, where: "status <> 'draft'" }
                    target: { connection: m, table: t }
                    key: { id: id }
                    columns: { price: total, "lower(mail)": mail }
                    compare: [price]
                    deletes: { soft: deleted_at }
                    skip: [Insert, DELETE]
                    strategy: HASH
                    max_deletes: "5%"
                    batch_size: 1000
                    max_rows_per_second: 2.5
                    statement_timeout: 500ms
                    split_rows: 5000000
                    threads: 4
                    rules:
                      total: { tolerance: 0.005, relative: 1e-6 }
                      at: { precision: ms, time_zone: "+02:00" }
                      mail: { trim: true, case: insensitive, empty_is_null: false }
                  - name: app
                    source: { connection: a, schema: public }
                    target: { connection: a, schema: mirror }
                    tables: ["*"]
                    exclude: ["audit_*", "tmp_?"]
                    deletes: ignore
                    skip: [update]
                    strategy: join
                    max_deletes: 500
                    batch_size: 10
                    max_rows_per_second: 0
                    statement_timeout: 2h
                    split_rows: 100000
                    threads: 2
                    rules: { note: { trim: true } }
                    overrides:
                      customers:
                        target: { table: clients }
                        rename: { email: email_address }
                        rules: { email_address: { case: sensitive } }
                      orders:
                        where: "status <> 'draft'"
                        columns: { "price * 100": price_cents }
                        key: { order_no: order_no }
                        compare: [price_cents]
                      events: { key: none }
                  - name: feed
                    source: { files: "in/*.csv", format: csv, header: true, delimiter: ";", null: "",
                              types: { id: bigint, balance: "decimal(12,2)" }, where: "id > 0" }
                    target: { connection: a, table: public.feed }
                    key: { id: id }
                """,
                mapping("key: none"),
                mapping("target: { files: \"yesterday/*.parquet\" }"),
                mapping("target: { connection: a, table: t, where: \"created_at >= current_date - 7\" }"),
                mapping("name: 42"),
                mapping("deletes: delete"),
                mapping("max_deletes: 100%"),
                mapping("max_deletes: \" 10.5% \""),
                mapping("columns: {}"),
                mapping("rules: { price: { tolerance: \"+.5e2\" } }"),
                mapping("source: { connection: a, table: s, where: }"),
                CONNECTIONS.replace("a: {", "x: { url: \"jdbc:postgresql://h/x\", password: 1234, user: }\n  a: {")
                        + "syncs:\n  - { name: o, source: { connection: x, table: s }, target: { connection: a,"
                        + " table: t }, key: { id: id } }\n",
                SCHEMA_ENTRY.replace("mirror }", "mirror }\n    overrides: { t: { key: { id: id } } }"));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void bothAccept(String yaml) {
        assertThat(schemaErrors(yaml)).as("schema errors of%n%s", yaml).isEmpty();
        new ConfigLoader(env(yaml)).parse(yaml, "valid");
    }

    @Test
    void theValidFilesUseEveryKeyOfTheLoader() {
        Set<String> used = new TreeSet<>();
        valid().forEach(yaml -> {
            try {
                collectKeys(YAML.readTree(yaml), used);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Set<String> all = new TreeSet<>();
        PLACES.values().forEach(p -> all.addAll(p.keys()));
        assertThat(used).containsAll(all);
    }

    private static void collectKeys(JsonNode node, Set<String> out) {
        node.fields().forEachRemaining(e -> {
            out.add(e.getKey());
            collectKeys(e.getValue(), out);
        });
        if (node.isArray()) {
            node.forEach(n -> collectKeys(n, out));
        }
    }

    static Stream<String> invalid() {
        return Stream.of(
                // unknown keys, at each place
                CONNECTIONS + "mappings: []\n" + SYNCS,
                mapping("colums: { a: b }"),
                mapping("source: { connection: a, table: s, schema: public }"),
                mapping("target: { connection: a, table: t, filter: \"x > 1\" }"),
                // files: instead of connection and table, never beside them; a format recon reads
                mapping("source: { files: in.csv, connection: a }"),
                mapping("source: { files: in.data, format: xml }"),
                mapping("target: { files: out.csv, table: t }"),
                mapping("rules: { price: { tolerence: 0.1 } }"),
                mapping("deletes: { soft: gone, at: now }"),
                CONNECTIONS.replace("a: {", "a: { passwd: x,") + SYNCS,
                mapping().replace("connections:", "state: { schema: r, table: x }\nconnections:"),
                SCHEMA_ENTRY.replace("mirror }", "mirror }\n    overides: {}"),
                SCHEMA_ENTRY.replace("mirror }", "mirror }\n    where: \"x > 1\""),
                SCHEMA_ENTRY.replace("mirror }", "mirror }\n    overrides: { t: { target: { table: u, schema: s } } }"),
                SCHEMA_ENTRY.replace("mirror }", "mirror }\n    overrides: { t: { deletes: ignore } }"),
                SCHEMA_ENTRY.replace("schema: public }", "schema: public, table: x }"),
                // enumerated values
                mapping("strategy: fastest"),
                mapping("deletes: soft"),
                mapping("skip: [truncate]"),
                mapping("rules: { price: { precision: ns } }"),
                mapping("rules: { price: { case: upper } }"),
                mapping("key: all"),
                CONNECTIONS.replace("localhost:3306/m\"", "localhost:3306/m\", zero_dates: maybe") + SYNCS,
                // types and forms
                mapping("batch_size: ${BATCH}"),
                mapping("batch_size: 0"),
                mapping("split_rows: 0"),
                mapping("split_rows: many"),
                mapping("threads: 65"),
                mapping("threads: 0"),
                mapping("max_rows_per_second: fast"),
                mapping("max_deletes: 150%"),
                mapping("max_deletes: 2.5"),
                mapping("statement_timeout: 30"),
                mapping("statement_timeout: 0"),
                mapping("rules: { price: { tolerance: -1 } }"),
                mapping("rules: { price: { relative: 1 } }"),
                mapping("rules: { price: { trim: yes please } }"),
                mapping("rules: { price: {} }"),
                mapping("key: {}"),
                mapping("key: REMOVE"),
                mapping("name: bad name"),
                mapping("columns: { a: [b] }"),
                mapping("source: { connection: a, schema: public }"),
                CONNECTIONS.replace("localhost:3306/m\"", "localhost:3306/m\", stall_timeout: 10") + SYNCS,
                CONNECTIONS.replace("\"jdbc:postgresql", "\"postgresql") + SYNCS,
                CONNECTIONS,
                "connections: {}\n" + SYNCS,
                CONNECTIONS + "syncs: []\n");
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void bothRefuse(String yaml) {
        assertThat(schemaErrors(yaml)).as("schema errors of%n%s", yaml).isNotEmpty();
        assertThatThrownBy(() -> new ConfigLoader(env(yaml)).parse(yaml, "invalid"))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void everyEnginesUrlValidates() {
        for (Engine engine : Engines.all()) {
            String url = engine.urlExample().split(" ")[0];
            String yaml = CONNECTIONS.replace("\"jdbc:postgresql://localhost:5432/a\"", "\"" + url + "\"")
                    + SYNCS;
            assertThat(schemaErrors(yaml)).as(url).isEmpty();
        }
        assertThat(Arrays.asList("jdbc:postgresql:", "JDBC:MySQL:")).allSatisfy(prefix -> assertThat(
                schemaErrors(CONNECTIONS.replace("\"jdbc:postgresql:", "\"" + prefix) + SYNCS)).isEmpty());
    }
}
