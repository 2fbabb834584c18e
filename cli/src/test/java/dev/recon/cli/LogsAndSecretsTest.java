package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.testing.PgDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Log formats, and the password of a connection in no output of any command, format or log level. */
class LogsAndSecretsTest {
    private static final String SECRET = "hunter2-secret";

    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void seed() throws Exception {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE src (id int PRIMARY KEY, n int);
                CREATE TABLE dst (id int PRIMARY KEY, amount int);
                INSERT INTO src SELECT g, g FROM generate_series(1, 10) g;
                INSERT INTO dst SELECT g, g FROM generate_series(3, 10) g;
                """);
        config = dir.resolve("recon.yaml");
        // The server trusts local connections, so it never asks for this password; recon still holds it.
        Files.writeString(config, """
                connections:
                  db: { url: "%s", password: "${RECON_TEST_PW:-%s}" }
                syncs:
                  - name: nums
                    source: { connection: db, table: src }
                    target: { connection: db, table: dst }
                    key: { id: id }
                    columns: { n: amount }
                """.formatted(db.url(), SECRET));
    }

    @Test
    void jsonLogsAreOneObjectPerLineNamingTheMapping() throws Exception {
        CliRun run = CliRun.run("sync", "-c", config.toString(), "-v", "--log-format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : run.err().split("\n")) {
            lines.add(json.readTree(line));
        }
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l.has("@timestamp") && l.has("level")
                && l.has("logger_name") && l.has("message")).as(l.toString()).isTrue());
        JsonNode applied = lines.stream().filter(l -> l.get("message").asText().contains("applied")).findFirst()
                .orElseThrow();
        assertThat(applied.get("level").asText()).isEqualTo("INFO");
        assertThat(applied.get("sync").asText()).isEqualTo("nums");
        assertThat(applied.get("message").asText()).isEqualTo("nums - applied 2 inserts, 0 updates, 0 deletes; 0 failed");

        // a mapping's error during the run is an event naming the mapping in its "sync" field
        Path dividing = dir.resolve("dividing.yaml");
        Files.writeString(dividing, Files.readString(config).replace("columns: { n: amount }",
                "columns: { \"10 / (n - n)\": amount }"));
        CliRun divided = CliRun.run("diff", "-c", dividing.toString(), "--log-format", "json", "--format", "json");
        assertThat(divided.exitCode()).as(divided.err()).isEqualTo(2);
        JsonNode mappingError = json.readTree(divided.err().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(mappingError.get("level").asText()).isEqualTo("ERROR");
        assertThat(mappingError.get("sync").asText()).isEqualTo("nums");
        assertThat(mappingError.get("message").asText()).startsWith("mapping 'nums': ").contains("division by zero");

        // errors, stack traces included, are JSON events too
        Files.writeString(config, Files.readString(config).replace(db.url(), "jdbc:postgresql://127.0.0.1:1/x"));
        CliRun failing = CliRun.run("sync", "-c", config.toString(), "-v", "--log-format", "json");
        assertThat(failing.exitCode()).isEqualTo(2);
        List<JsonNode> errors = new ArrayList<>();
        for (String line : failing.err().split("\n")) {
            errors.add(json.readTree(line));
        }
        JsonNode error = errors.get(errors.size() - 1);
        assertThat(error.get("level").asText()).isEqualTo("ERROR");
        assertThat(error.get("message").asText()).startsWith("cannot connect to connection 'db'; nothing was read or written:")
                .contains("mapping 'nums': source: cannot connect to connection 'db'");
        assertThat(error.get("stack_trace").asText()).startsWith("dev.recon.base.PlanException");
    }

    @Test
    void textLogsAreLinesWithTimeLevelAndLogger() {
        CliRun run = CliRun.run("diff", "-c", config.toString(), "-v");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines().filter(l -> l.contains("DiffRunner")).findFirst().orElseThrow())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d{4}) INFO  DiffRunner - nums - diff by"
                        + " join found 2 to insert, 0 to update, 0 to delete in \\d+ ms");
        assertThat(CliRun.run("diff", "-c", config.toString(), "--log-format", "yaml").err())
                .contains("Invalid value for option '--log-format': must be one of text, json; not 'yaml'");
    }

    @Test
    void thePasswordAppearsInNoOutput() throws Exception {
        List<String> outputs = new ArrayList<>();
        for (String format : List.of("text", "json", "csv", "markdown", "sql")) {
            CliRun diff = CliRun.run("diff", "-c", config.toString(), "-vv", "--format", format);
            assertThat(diff.exitCode()).as(diff.err()).isEqualTo(1);
            outputs.add(diff.out() + diff.err());
        }
        Path metrics = dir.resolve("recon.prom");
        for (String logFormat : List.of("text", "json")) {
            CliRun validate = CliRun.run("validate", "-c", config.toString(), "-vv", "--log-format", logFormat);
            assertThat(validate.exitCode()).as(validate.err()).isZero();
            outputs.add(validate.out() + validate.err());
        }
        CliRun sync = CliRun.run("sync", "-c", config.toString(), "-vv", "--log-format", "json", "--format", "json",
                "--metrics-file", metrics.toString());
        assertThat(sync.exitCode()).as(sync.err()).isZero();
        outputs.add(sync.out() + sync.err() + Files.readString(metrics));
        CliRun history = CliRun.run("history", "-c", config.toString(), "-vv", "--format", "json");
        assertThat(history.exitCode()).as(history.err()).isZero();
        outputs.add(history.out() + history.err());

        // a connection that fails, at every log level and format, with the password also in its URL
        Files.writeString(config, Files.readString(config).replace(db.url(),
                "jdbc:postgresql://127.0.0.1:1/x?user=app&password=" + SECRET));
        for (String logFormat : List.of("text", "json")) {
            CliRun failing = CliRun.run("sync", "-c", config.toString(), "-vv", "--log-format", logFormat);
            assertThat(failing.exitCode()).isEqualTo(2);
            assertThat(failing.err()).contains("cannot connect to connection 'db'");
            outputs.add(failing.out() + failing.err());
        }

        assertThat(outputs).hasSize(11).allSatisfy(o -> assertThat(o).isNotBlank().doesNotContain(SECRET));
        assertThat(String.join("", outputs)).contains(" INFO ", "\"level\":\"INFO\"");
    }
}
