package dev.recon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private static final String VALID = """
            connections:
              warehouse:
                url: jdbc:postgresql://127.0.0.1:5432/dw
                user: recon
                password: ${WAREHOUSE_PASSWORD}
              app:
                url: jdbc:postgresql://127.0.0.1:5432/app
            syncs:
              - name: orders
                source: { connection: warehouse, table: public.source_order, where: "status <> 'draft'" }
                target: { connection: app, table: public.destination_order }
                key: { reference: code }
                columns:
                  price: total_price
                  item_count: number_of_items
                  "lower(customer_email)": email
                compare: [price, item_count]
                deletes: { soft: is_deleted }
                skip: [update]
                strategy: merge
            """;

    private static ReconConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env).parse(yaml, "test.yaml");
    }

    /** A file with one mapping, t, from table a to table b keyed by id. */
    private static final String ONE_MAPPING = """
            connections: { db: { url: "jdbc:postgresql://h/db" } }
            syncs:
              - name: t
                source: { connection: db, table: a }
                target: { connection: db, table: b }
                key: { id: id }
            """;

    /** {@link #ONE_MAPPING} with this line added to its mapping. */
    private static String oneMappingWith(String line) {
        return ONE_MAPPING + "    " + line + "\n";
    }

    private static List<String> problems(String yaml) {
        try {
            parse(yaml, Map.of());
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void readsEveryPartOfAMapping() {
        ReconConfig config = parse(VALID, Map.of("WAREHOUSE_PASSWORD", "s3cret"));

        assertThat(config.connections()).containsOnlyKeys("warehouse", "app");
        ConnectionConfig warehouse = config.connection("warehouse");
        assertThat(warehouse.user()).isEqualTo("recon");
        assertThat(warehouse.password()).isEqualTo("s3cret");
        MappingConfig orders = config.mappings().get(0);
        assertThat(orders.name()).isEqualTo("orders");
        assertThat(orders.source()).isEqualTo(new TableRef("warehouse", "public.source_order",
                Optional.of("status <> 'draft'")));
        assertThat(orders.target().where()).isEmpty();
        assertThat(orders.key()).containsExactly(Map.entry("reference", "code"));
        assertThat(orders.columns()).containsExactly(Map.entry("price", "total_price"),
                Map.entry("item_count", "number_of_items"), Map.entry("lower(customer_email)", "email"));
        assertThat(orders.compare()).containsExactly("price", "item_count");
        assertThat(orders.deletes()).isEqualTo(new DeletePolicy.Soft("is_deleted"));
        assertThat(orders.skip()).isEqualTo(Set.of(Operation.UPDATE));
        assertThat(orders.strategy()).isEqualTo(Strategy.MERGE);
        assertThat(config.stateSchema()).isEqualTo("recon");
    }

    @Test
    void defaultsAreDeleteAutoAndCompareEverything() {
        ReconConfig config = parse(ONE_MAPPING, Map.of());
        MappingConfig t = config.mappings().get(0);
        assertThat(t.deletes()).isEqualTo(new DeletePolicy.Delete());
        assertThat(t.strategy()).isEqualTo(Strategy.AUTO);
        assertThat(t.compare()).isEmpty();
        assertThat(t.columns()).isEmpty();
        assertThat(t.skip()).isEmpty();
    }

    @Test
    void zeroDatesAreAnErrorUnlessAMariaDbConnectionReadsThemAsNull() {
        String yaml = """
                connections:
                  a: { url: "jdbc:mariadb://h/db" }
                  b: { url: "jdbc:mysql://h/db", zero_dates: null }
                  c: { url: "jdbc:mariadb://h/db", zero_dates: "null" }
                  d: { url: "jdbc:mariadb://h/db", zero_dates: error }
                  p: { url: "jdbc:postgresql://h/db" }
                syncs:
                  - { name: x, source: { connection: a, table: t }, target: { connection: p, table: u }, key: { id: id } }
                """;
        var connections = new ConfigLoader(Map.of()).parse(yaml, "t.yaml").connections();
        assertThat(connections.values().stream().map(c -> c.name() + " " + c.zeroDatesAsNull()).toList())
                .containsExactly("a false", "b true", "c true", "d false", "p false");
        assertThat(problems("""
                connections:
                  m: { url: "jdbc:mariadb://h/db", zero_dates: zero }
                  p: { url: "jdbc:postgresql://h/db", zero_dates: null }
                syncs:
                  - { name: x, source: { connection: m, table: t }, target: { connection: p, table: u }, key: { id: id } }
                """)).containsExactly("connections.m.zero_dates: must be error (the default: reading a zero date"
                        + " 0000-00-00 fails the mapping) or null (zero dates are read as NULL), not \"zero\"",
                "connections.p.zero_dates: only for a connection to an engine with zero dates (MariaDB/MySQL);"
                        + " PostgreSQL has none");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPlace() {
        List<String> problems = problems("""
                connections:
                  db: { url: "jdbc:oracle:thin:@h:1521/db", pasword: x }
                syncs:
                  - name: orders
                    source: { connection: db, tabel: a }
                    target: { connection: nowhere, table: b }
                    key: { id: id }
                    columns: { price: total, amount: total }
                    compare: [colour]
                    deletes: purge
                    skip: [upsert]
                    strategy: fastest
                  - name: orders
                    source: { connection: db, table: a }
                    target: { connection: db, table: b }
                extra: 1
                """);
        assertThat(problems).containsExactlyInAnyOrder(
                "extra: unknown key (expected one of: connections, state, syncs)",
                "connections.db.pasword: unknown key (expected one of: password, properties, stall_timeout, time_zone, url, user, zero_dates)",
                "connections.db.url: 'jdbc:oracle:thin:@h:1521/db' is not a JDBC URL recon knows (expected"
                        + " jdbc:postgresql://host:port/database for PostgreSQL, or jdbc:mariadb://host:port/database"
                        + " (or jdbc:mysql://...) for MariaDB/MySQL, or jdbc:duckdb:/path/file.duckdb (jdbc:duckdb: for files"
                        + " alone) for DuckDB)",
                "syncs[0] (orders).source.tabel: unknown key (expected one of: connection, delimiter, files, format,"
                        + " header, null, table, types, where)",
                "syncs[0] (orders).source.table: required",
                "syncs[0] (orders).target.connection: no connection named 'nowhere' (defined: db)",
                "syncs[0] (orders).columns.amount: target column 'total' is mapped twice",
                "syncs[0] (orders).compare: 'colour' is not a mapped column (mapped: price)",
                "syncs[0] (orders).deletes: must be ignore, delete or { soft: column }",
                "syncs[0] (orders).skip: 'upsert' is not one of insert, update, delete",
                "syncs[0] (orders).strategy: 'fastest' is not one of auto, join, merge, hash",
                "syncs[1] (orders).name: 'orders' is used by more than one mapping",
                "syncs[1] (orders).key: required, a mapping of source column to target column, e.g. { id: id }, or none for a table without a key (compared as a multiset)");
    }

    @Test
    void anUndefinedEnvironmentVariableIsNamed() {
        assertThatThrownBy(() -> parse(VALID, Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "connections.warehouse.password: environment variable WAREHOUSE_PASSWORD is not set"
                                + " (write ${WAREHOUSE_PASSWORD:-default} for a default)"));
    }

    @Test
    void environmentDefaultsAndEscapesAreHonoured() {
        ReconConfig config = parse(VALID.replace("${WAREHOUSE_PASSWORD}", "${NOPE:-fallback}$${literal}"), Map.of());
        assertThat(config.connection("warehouse").password()).isEqualTo("fallback${literal}");
    }

    @Test
    void theKeyCannotAlsoBeAMappedColumn() {
        assertThat(problems(oneMappingWith("columns: { other_id: id }"))).containsExactly("syncs[0] (t).columns: target column 'id' is already mapped by key");
    }

    @Test
    void aSchemaMappedToATableIsOneProblemThatSaysWhatToWrite() {
        assertThat(problems("""
                connections: { db: { url: "jdbc:postgresql://h/db" } }
                syncs:
                  - name: t
                    source: { connection: db, schema: a }
                    target: { connection: db, table: b }
                """)).containsExactly("syncs[0] (t): the source names a schema and the target a table; a schema entry"
                + " maps a schema to a schema (source: { connection, schema }, target: { connection, schema };"
                + " another target table for one source table goes in overrides: { TABLE: { target: { table: NAME }"
                + " } }), a mapping maps a table to a table");
    }

    @Test
    void aStatementTimeoutTooLargeForADurationIsAProblemNotACrash() {
        assertThat(problems(oneMappingWith("statement_timeout: 99999999999999999999s"))).containsExactly("syncs[0] (t).statement_timeout: must be a duration such as 500ms, 30s, 5m or"
                + " 2h, not '99999999999999999999s'");
    }

    /** Parsing {@code tail} after a mapping that is otherwise fine: not valid YAML, with {@code reason}. */
    private static void notValidYaml(String tail, String reason) {
        String yaml = "connections:\n  pg: { url: \"jdbc:postgresql://h/db\" }\nsyncs:\n  - name: t\n"
                + "    source: { connection: pg, table: a }\n    target: { connection: pg, table: b }\n"
                + "    key: { id: id }\n" + tail;
        assertThatThrownBy(() -> parse(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("mapping file test.yaml is not valid YAML: " + reason);
    }

    @Test
    void aKeyGivenTwiceInOneMappingIsAnErrorNotTheLastOneSilently() {
        notValidYaml("    columns: { x: x }\n    columns: { y: y }\n",
                "key 'columns' is given twice in one mapping (line 9, column 5)");
    }

    @Test
    void aSecondDocumentIsAnErrorNotIgnored() {
        notValidYaml("---\nsyncs:\n  - name: u\n",
                "a second YAML document ('---') follows the first; a mapping file is one document (line 9, column 1)");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertThatThrownBy(() -> parse("connections: [\n  a: b", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("mapping file test.yaml is not valid YAML")
                .hasMessageContaining("line ");
    }

    @Test
    void passwordsNeverAppearInDescriptions() {
        ConnectionConfig c = new ConnectionConfig("x", "jdbc:postgresql://u:hunter2@h/db?password=hunter2&ssl=true",
                "u", "hunter2", Map.of());
        assertThat(c.toString()).doesNotContain("hunter2").contains("password=***").contains("ssl=true");
        assertThat(c.redactedUrl()).isEqualTo("jdbc:postgresql://u:***@h/db?password=***&ssl=true");
    }
}
