package dev.recon.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.DiffRequest;
import dev.recon.Recon;
import dev.recon.base.ReconException;
import dev.recon.config.MappingSchemaTest;
import dev.recon.config.ReconConfig;
import dev.recon.result.Counts;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * recon init on live catalogs: the fixture of 30 renamed tables (init/renames.txt) created in
 * PostgreSQL and MariaDB, paired into a PostgreSQL schema; the file it writes is accepted by
 * validate as written, and a diff with it finds exactly the differences planted in the rows.
 */
class InitTest {
    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    /** The application's database, for PostgreSQL to PostgreSQL across two databases. */
    @RegisterExtension
    static final PgDatabase app = new PgDatabase();

    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    @TempDir
    Path dir;

    private static final RenamesFixture FIXTURE = RenamesFixture.load();

    /** The fixture's tables in SQL; {@code types} turns a fixture type into the engine's. */
    private static List<String> ddl(String schema, List<Pairing.Table> tables, boolean keyed,
            java.util.function.UnaryOperator<String> types) {
        List<String> out = new ArrayList<>();
        for (Pairing.Table t : tables) {
            String columns = t.columns().stream().map(c -> c.name() + " " + types.apply(c.type())
                    + (t.key().contains(c.name()) ? " NOT NULL" : "")).collect(Collectors.joining(", "));
            out.add("CREATE TABLE " + schema + "." + t.name() + " (" + columns + (keyed && !t.key().isEmpty()
                    ? ", PRIMARY KEY (" + String.join(", ", t.key()) + ")" : "") + ")");
        }
        return out;
    }

    /** The rows of the planted differences: in customers 1 insert, 1 update, 1 delete; in orders 1 update; in products 1 insert. */
    private static final String SOURCE_ROWS = "INSERT INTO %1$s.tbl_cust (cust_id, cust_nm, e_mail) VALUES"
            + " (1, 'Ada', 'ada@example.com'), (2, 'Bob', NULL), (3, 'Cy', 'cy@example.com'), (4, 'Dee', 'd@example.com'),"
            + " (5, 'Eve', 'eve@example.com');\n"
            + "INSERT INTO %1$s.t_orders (ord_no, cust_id, tot_amt, curr) VALUES (10, 1, 12.50, 'EUR'), (11, 2, 7.00, 'EUR'),"
            + " (12, 3, 99.99, 'USD');\n"
            + "INSERT INTO %1$s.products (id, name, price) VALUES (1, 'pen', 1.20), (2, 'ink', 3.40);\n";
    private static final String TARGET_ROWS = "INSERT INTO %1$s.customers (customer_id, customer_name, email) VALUES"
            + " (1, 'Ada', 'ada@example.com'), (2, 'Bob', NULL), (3, 'Cy', 'cy@example.com'), (4, 'Dee', 'dee@example.com'),"
            + " (9, 'Old', 'old@example.com');\n"
            + "INSERT INTO %1$s.orders (order_number, customer_id, total_amount, currency) VALUES (10, 1, 12.50, 'EUR'),"
            + " (11, 2, 7.50, 'EUR'), (12, 3, 99.99, 'USD');\n"
            + "INSERT INTO %1$s.products (id, name, price) VALUES (1, 'pen', 1.20);\n";

    private Path written(InitRequest request) throws IOException {
        Survey survey = Recon.init(request);
        Path file = dir.resolve("recon.yaml");
        Files.writeString(file, MappingFile.render(survey, LocalDate.of(2026, 12, 7)));
        return file;
    }

    private static Map<String, Counts> counts(RunResult result) {
        Map<String, Counts> out = new LinkedHashMap<>();
        for (MappingResult m : result.mappings()) {
            out.put(m.plan().name(), m.counts());
        }
        return out;
    }

    /** Every mapping in sync but the planted ones. */
    private static void assertPlanted(RunResult result, int mappings) {
        assertThat(result.errors()).isEmpty();
        Map<String, Counts> counts = counts(result);
        assertThat(counts).hasSize(mappings);
        assertThat(counts.get("customers")).isEqualTo(new Counts(1, 1, 1));
        assertThat(counts.get("orders")).isEqualTo(new Counts(0, 1, 0));
        Map<String, Counts> rest = new LinkedHashMap<>(counts);
        rest.remove("customers");
        rest.remove("orders");
        // in the schema entry of equal-named tables, named after the source schema
        String products = counts.keySet().stream().filter(n -> n.endsWith(".products")).findFirst().orElseThrow();
        assertThat(rest.remove(products)).isEqualTo(new Counts(1, 0, 0));
        assertThat(rest.values()).allMatch(c -> c.equals(Counts.ZERO));
    }

    /** Two databases: compared across servers (hash), each mapping as the one database would compare it. */
    @Test
    void postgresqlToPostgresql() throws IOException {
        List<String> sql = new ArrayList<>(List.of("CREATE SCHEMA legacy"));
        sql.addAll(ddl("legacy", FIXTURE.sources(), false, t -> t));
        pg.execute(String.join(";\n", sql) + ";\n" + String.format(SOURCE_ROWS, "legacy"));
        List<String> target = new ArrayList<>(List.of("CREATE SCHEMA app"));
        target.addAll(ddl("app", FIXTURE.targets(), true, t -> t));
        app.execute(String.join(";\n", target) + ";\n" + String.format(TARGET_ROWS, "app"));

        Path file = written(new InitRequest(pg.url(), app.url(), Optional.of("legacy"), Optional.of("app")));
        String text = Files.readString(file);
        assertThat(text).contains("  - name: legacy\n", "    tables: [products, projects]\n",
                "    source: { connection: source, table: legacy.tbl_cust }\n",
                "    target: { connection: target, table: app.customers }\n",
                "      cust_nm: customer_name", "# 0.9", "# Source tables paired with none: tmp_import_2019\n",
                "# Target tables paired with none: feature_flags, schema_migrations\n",
                "  # not comparable: payload -> payload: columns: source column 'payload' (text) cannot be compared"
                        + " with target column 'payload' (jsonb)",
                "  # Not written, as no source column pairs with the target's key column effective_from;",
                "  # source columns paired with none: memo\n").doesNotContain("password:");
        assertThat(MappingSchemaTest.schemaErrors(text)).isEmpty();
        ReconConfig config = Recon.load(file);
        Recon recon = new Recon(config);
        assertThat(recon.validate(List.of(), false)).hasSize(29); // price_history is commented out
        RunResult result = recon.diff(DiffRequest.of(List.of()));
        assertPlanted(result, 29);
        assertThat(result.mappings()).extracting(MappingResult::strategy).containsOnly("hash");
    }

    @Test
    void mariadbToPostgresql() throws IOException {
        // MariaDB spells the legacy types its way; its DATETIME meets timestamptz only with a time_zone
        List<String> source = ddl(maria.name(), FIXTURE.sources(), false, t -> t.equals("timestamp") ? "datetime"
                : t.equals("boolean") ? "tinyint(1)" : t);
        maria.execute(String.join(";\n", source) + ";\n" + String.format(SOURCE_ROWS, maria.name()));
        List<String> sql = new ArrayList<>(List.of("CREATE SCHEMA app"));
        sql.addAll(ddl("app", FIXTURE.targets(), true, t -> t));
        pg.execute("DROP SCHEMA IF EXISTS app CASCADE;\n" + String.join(";\n", sql));
        pg.execute(String.format(TARGET_ROWS, "app"));

        Path file = written(new InitRequest(maria.url(), pg.url(), Optional.empty(), Optional.of("app")));
        String text = Files.readString(file);
        // the default schema of a MariaDB URL is its database; no pair the rules refuse is proposed
        assertThat(text).contains("source: { connection: source, table: " + maria.name() + ".tbl_cust }",
                "  # not comparable: crt_dt -> created_at: columns: ").doesNotContain("      crt_dt: created_at");
        assertThat(MappingSchemaTest.schemaErrors(text)).isEmpty();
        Recon recon = new Recon(Recon.load(file));
        assertThat(recon.validate(List.of(), false)).hasSize(29);
        assertPlanted(recon.diff(DiffRequest.of(List.of())), 29);
    }

    /** Mixed-case and spaced names, a table without columns in common and a keyless target: written so that they read back. */
    @Test
    void oddNamesReadBackAsWritten() throws IOException {
        pg.execute("""
                DROP SCHEMA IF EXISTS "Odd" CASCADE; DROP SCHEMA IF EXISTS odd_app CASCADE;
                CREATE SCHEMA "Odd"; CREATE SCHEMA odd_app;
                CREATE TABLE "Odd"."Order Items" ("OrderNo" int, "Line No" int, "Unit Price" numeric(8,2), "yes" text);
                CREATE TABLE odd_app.order_items (order_number int, line_number int, unit_price numeric(8,2),
                    "yes" text, PRIMARY KEY (order_number, line_number));
                CREATE TABLE "Odd".log (at timestamp, what text);
                CREATE TABLE odd_app.log (at timestamp, what text);
                INSERT INTO "Odd"."Order Items" VALUES (1, 1, 2.50, 'y'), (1, 2, 3.00, NULL);
                INSERT INTO odd_app.order_items VALUES (1, 1, 2.50, 'y'), (1, 2, 3.10, NULL);
                INSERT INTO "Odd".log VALUES ('2026-01-01', 'a'), ('2026-01-01', 'a');
                INSERT INTO odd_app.log VALUES ('2026-01-01', 'a');
                """);
        Path file = written(new InitRequest(pg.url(), pg.url(), Optional.of("Odd"), Optional.of("odd_app")));
        String text = Files.readString(file);
        assertThat(text).contains("    source: { connection: db, table: \"\\\"Odd\\\".\\\"Order Items\\\"\" }\n",
                "      OrderNo: order_number", "      \"\\\"Line No\\\"\": line_number", "      \"yes\": \"yes\"\n", "      \"\\\"Unit Price\\\"\": unit_price",
                "  - name: Odd\n", "    tables: [log]\n");
        assertThat(MappingSchemaTest.schemaErrors(text)).isEmpty();
        Recon recon = new Recon(Recon.load(file));
        Map<String, Counts> counts = counts(recon.diff(DiffRequest.of(List.of())));
        // the log is a multiset: its row twice in the source, once in the target
        assertThat(counts).containsOnly(Map.entry("order_items", new Counts(0, 1, 0)),
                Map.entry("Odd.log", new Counts(1, 0, 0)));
    }

    @Test
    void whatCannotBeReadIsAClearError() {
        assertThatThrownBy(() -> Recon.init(new InitRequest("jdbc:nosuch://x", pg.url(), Optional.empty(),
                Optional.empty()))).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe())
                        .contains("--source 'jdbc:nosuch://x' is not a JDBC URL recon knows"));
        assertThatThrownBy(() -> Recon.init(new InitRequest(pg.url(), pg.url(), Optional.of("nosuch"),
                Optional.empty()))).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe())
                        .contains("--source-schema: there is no schema 'nosuch' on the source connection"));
        assertThatThrownBy(() -> Recon.init(new InitRequest(pg.url(), pg.url(), Optional.empty(),
                Optional.empty()))).isInstanceOf(ReconException.class)
                .satisfies(e -> assertThat(((ReconException) e).describe()).contains("the source and the target are both"
                        + " schema 'public' of one database"));
        assertThatThrownBy(() -> Recon.init(new InitRequest("jdbc:postgresql://127.0.0.1:1/x?connectTimeout=2",
                pg.url(), Optional.empty(), Optional.empty())))
                .isInstanceOf(ReconException.class).satisfies(e -> assertThat(((ReconException) e).describe())
                        .contains("source: cannot connect to connection 'source'"));
    }
}
