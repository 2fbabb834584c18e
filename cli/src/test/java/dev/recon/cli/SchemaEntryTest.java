package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.testing.PgDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One entry for a whole schema: every table found, keyed and mapped by name, overrides and excludes applied. */
class SchemaEntryTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void seed() throws IOException {
        db.execute("""
                DROP SCHEMA IF EXISTS prod CASCADE; DROP SCHEMA IF EXISTS mirror CASCADE;
                DROP SCHEMA IF EXISTS recon CASCADE; CREATE SCHEMA prod; CREATE SCHEMA mirror;
                CREATE TABLE prod.orders (id int PRIMARY KEY, customer text, total numeric(10,2), note text,
                    src_only int);
                CREATE TABLE mirror.orders (id int PRIMARY KEY, customer text, total numeric(12,2), note text,
                    tgt_only int, total_x2 numeric GENERATED ALWAYS AS (total * 2) STORED);
                INSERT INTO prod.orders VALUES (1, 'ada', 10.00, 'a', 1), (2, 'alan', 20.00, 'b', 2),
                    (3, 'grace', 30.00, 'c', 3);
                INSERT INTO mirror.orders (id, customer, total, note, tgt_only) VALUES (1, 'ada', 10.00, 'a', 9),
                    (2, 'alan', 20.00, 'old', 9), (4, 'ken', 40.00, 'd', 9);
                CREATE TABLE prod.customers (id uuid PRIMARY KEY, email text, name text);
                CREATE TABLE mirror.clients (id uuid PRIMARY KEY, email_address text, name text);
                INSERT INTO prod.customers VALUES ('00000000-0000-0000-0000-000000000001', 'ada@x', 'Ada'),
                    ('00000000-0000-0000-0000-000000000002', 'alan@x', 'Alan');
                INSERT INTO mirror.clients VALUES ('00000000-0000-0000-0000-000000000001', 'ada@x', 'Ada'),
                    ('00000000-0000-0000-0000-000000000002', 'alan@old', 'Alan');
                CREATE TABLE prod."Order Items" (order_id int, line int, sku text, PRIMARY KEY (order_id, line));
                CREATE TABLE mirror."Order Items" (order_id int, line int, sku text, PRIMARY KEY (order_id, line));
                INSERT INTO prod."Order Items" VALUES (1, 1, 'pen'), (1, 2, 'ink'), (2, 1, 'pad');
                INSERT INTO mirror."Order Items" VALUES (1, 1, 'pen'), (1, 2, 'INK'), (2, 1, 'pad');
                CREATE TABLE prod.tags (code text PRIMARY KEY, label text);
                CREATE TABLE mirror.tags (code text PRIMARY KEY, label text);
                INSERT INTO prod.tags VALUES ('a-1', 'one'), ('a1', 'two');
                INSERT INTO mirror.tags VALUES ('a-1', 'one');
                CREATE TABLE prod.audit_log (id int PRIMARY KEY, msg text);
                INSERT INTO prod.audit_log VALUES (1, 'never compared');
                CREATE TABLE prod.events (kind text, at int);
                CREATE TABLE mirror.events (kind text, at int);
                INSERT INTO prod.events VALUES ('x', 1), ('x', 1), ('y', 2), (NULL, 3), (NULL, 3);
                INSERT INTO mirror.events VALUES ('x', 1), ('y', 2), ('y', 2), (NULL, 3), (NULL, 3);
                CREATE TABLE prod.orphan (id int PRIMARY KEY);
                """);
        config = dir.resolve("recon.yaml");
        Files.writeString(config, db.connectionsYaml() + """
                syncs:
                  - name: app
                    source: { connection: db, schema: prod }
                    target: { connection: db, schema: mirror }
                    exclude: ["audit_*"]
                    deletes: delete
                    overrides:
                      customers:
                        target: { table: clients }
                        rename: { email: email_address }
                """);
    }

    private static JsonNode json(String text) throws IOException {
        return new ObjectMapper().readTree(text);
    }

    private static List<String> summary(JsonNode report) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : report.get("syncs")) {
            JsonNode c = s.get("counts");
            out.add(s.get("name").asText() + " " + s.get("status").asText() + (c == null ? "" : " " + c.get("insert")
                    + "/" + c.get("update") + "/" + c.get("delete")));
        }
        return out;
    }

    @Test
    void everyTableIsComparedByItsKeyAndTheOnesThatCannotBeAreErrorsOfTheirOwn() throws IOException {
        CliRun diff = CliRun.run("diff", "-c", config.toString(), "--format", "json");
        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(2);
        JsonNode report = json(diff.out());
        // the schema's tables in the order the entry found them, the one without a target in its place
        assertThat(summary(report)).containsExactly(
                "app.Order Items differences 0/1/0",
                "app.customers differences 0/1/0",
                "app.events differences 1/0/1",
                "app.orders differences 1/1/1",
                "app.orphan error",
                "app.tags differences 1/0/0");
        List<String> errors = new ArrayList<>();
        report.get("errors").forEach(e -> errors.add(e.asText()));
        assertThat(errors).hasSize(1);
        // no key: a multiset, one ('x', 1) too few and one ('y', 2) too many; the equal NULL rows pair up
        JsonNode events = report.get("syncs").get(2);
        assertThat(events.get("key").asText()).isEqualTo("none (multiset)");
        assertThat(events.get("samples").toString()).isEqualTo("[{\"operation\":\"insert\",\"key\":{\"kind\":\"x\","
                + "\"at\":\"1\",\"copy#\":\"2\"},\"values\":{\"kind\":\"x\",\"at\":\"1\",\"copy#\":\"2\"}},"
                + "{\"operation\":\"delete\",\"key\":{\"kind\":\"y\",\"at\":\"2\",\"copy#\":\"2\"},\"values\":"
                + "{\"kind\":\"y\",\"at\":\"2\",\"copy#\":\"2\"}}]");

        // four tables at once: the same counts, in the same order
        CliRun parallel = CliRun.run("diff", "-c", config.toString(), "--format", "json", "--jobs", "4");
        assertThat(parallel.exitCode()).as(parallel.err()).isEqualTo(2);
        assertThat(summary(json(parallel.out()))).isEqualTo(summary(report));

        CliRun one = CliRun.run("diff", "-c", config.toString(), "--sync", "app.tags");
        assertThat(one.exitCode()).as(one.err()).isEqualTo(1);
        assertThat(one.out()).startsWith("app.tags: prod.tags -> mirror.tags (strategy join");
        // a name the file does not define: the list of those it does has the refused table too
        CliRun nope = CliRun.run("diff", "-c", config.toString(), "--sync", "app.nope");
        assertThat(nope.exitCode()).isEqualTo(2);
        assertThat(nope.err()).contains("no mapping named 'app.nope' (defined: ").contains("app.orphan, app.tags")
                .contains(", app)");

        CliRun validate = CliRun.run("validate", "-c", config.toString());
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err()).contains("mapping 'app.orphan'").doesNotContain("app.events");
        CliRun validateEvents = CliRun.run("validate", "-c", config.toString(), "--sync", "app.events");
        assertThat(validateEvents.exitCode()).as(validateEvents.err()).isZero();
        assertThat(validateEvents.out()).contains("ok  app.events: prod.events -> mirror.events, strategy join, key none"
                + " (multiset: equal rows counted), 2 columns (2 compared), deletes delete");
    }

    @Test
    void aSyncConvergesTheTablesItCanAndNamesTheOthers() throws IOException {
        CliRun sync = CliRun.run("sync", "-c", config.toString(), "--sync", "app", "--format", "json", "--jobs", "3");
        assertThat(sync.exitCode()).as(sync.err()).isEqualTo(2);
        assertThat(summary(json(sync.out()))).containsExactly(
                "app.Order Items converged 0/1/0",
                "app.customers converged 0/1/0",
                "app.events converged 1/0/1",
                "app.orders converged 1/1/1",
                "app.orphan error",
                "app.tags converged 1/0/0");
        Files.writeString(config, Files.readString(config).replace("exclude: [\"audit_*\"]",
                "exclude: [\"audit_*\", \"orph?n\"]"));
        CliRun again = CliRun.run("diff", "-c", config.toString());
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("5 mappings, 5 in sync, 0 with differences");
        // equal as multisets: every row as often in the target as in the source
        assertThat(db.value("SELECT count(*) FROM ((SELECT * FROM prod.events EXCEPT ALL SELECT * FROM mirror.events)"
                + " UNION ALL (SELECT * FROM mirror.events EXCEPT ALL SELECT * FROM prod.events)) AS d", Long.class))
                .isZero();
        assertThat(db.value("SELECT count(*) FROM mirror.events", Long.class)).isEqualTo(5L);
        assertThat(db.value("SELECT email_address FROM mirror.clients WHERE name = 'Alan'", String.class))
                .isEqualTo("alan@x");
        assertThat(db.value("SELECT tgt_only FROM mirror.orders WHERE id = 1", Integer.class)).isEqualTo(9);
        assertThat(db.value("SELECT count(*) FROM recon.run WHERE sync_name LIKE 'app.%'", Long.class)).isEqualTo(5L);
    }

    @Test
    void aTableThatFailsItsChecksIsItsOwnErrorAndPatternsThatMatchNothingAreAnError() throws IOException {
        db.execute("ALTER TABLE mirror.tags ADD COLUMN must text NOT NULL DEFAULT 'x'; ALTER TABLE mirror.tags"
                + " ALTER COLUMN must DROP DEFAULT");
        CliRun sync = CliRun.run("sync", "-c", config.toString(), "--dry-run", "--format", "json");
        assertThat(sync.exitCode()).as(sync.err()).isEqualTo(2);
        assertThat(summary(json(sync.out()))).containsExactly(
                "app.Order Items differences 0/1/0",
                "app.customers differences 0/1/0",
                "app.events differences 1/0/1",
                "app.orders differences 1/1/1",
                "app.orphan error",
                "app.tags error");
        assertThat(sync.err()).contains("mapping 'app.tags': target column 'must' of mirror.tags is NOT NULL");
        // a dry run records nothing; a sync records the table that could not run as an error in its history
        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'recon' AND tablename = 'run'",
                Long.class) == 0 || db.value("SELECT count(*) FROM recon.run WHERE sync_name = 'app.tags'", Long.class)
                == 0).isTrue();
        CliRun real = CliRun.run("sync", "-c", config.toString(), "--format", "json");
        assertThat(real.exitCode()).as(real.err()).isEqualTo(2);
        assertThat(db.value("SELECT status || ': ' || left(error, 67) FROM recon.run WHERE sync_name = 'app.tags'",
                String.class)).isEqualTo("error: mapping 'app.tags': target column 'must' of mirror.tags is NOT NULL");

        Files.writeString(config, Files.readString(config).replace("exclude: [\"audit_*\"]", "tables: [\"Zzz*\"]"));
        CliRun none = CliRun.run("diff", "-c", config.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("schema entry 'app': no table of schema 'prod' on connection 'db' matches"
                + " tables [Zzz*] (patterns are case-sensitive; the schema holds Order Items, audit_log, customers,");
    }

    @Test
    void shardsSplitTheTablesWithoutOverlap() throws IOException {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> first = shardNames(i);
            // the same names on every run: a hash of each name, not of the order or the machine
            assertThat(shardNames(i)).isEqualTo(first);
            seen.addAll(first);
        }
        assertThat(seen).containsExactlyInAnyOrder("app.Order Items", "app.customers", "app.orders", "app.tags",
                "app.events", "app.orphan");
        CliRun bad = CliRun.run("diff", "-c", config.toString(), "--shard", "3/3");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--shard INDEX/COUNT needs 0 <= INDEX < COUNT, not '3/3'");
    }

    /** The tables shard {@code index} of 3 compares (none: the command says so and exits 0). */
    private List<String> shardNames(int index) throws IOException {
        CliRun shard = CliRun.run("diff", "-c", config.toString(), "--format", "json", "--shard", index + "/3");
        List<String> names = new ArrayList<>();
        if (shard.out().startsWith("shard ")) {
            assertThat(shard.exitCode()).isZero();
            assertThat(shard.out()).isEqualTo("shard " + index + "/3 holds none of the mappings; nothing to do\n");
            return names;
        }
        for (JsonNode s : json(shard.out()).get("syncs")) {
            names.add(s.get("name").asText());
        }
        return names;
    }
}
