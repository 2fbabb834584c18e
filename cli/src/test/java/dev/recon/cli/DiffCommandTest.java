package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.testing.PgDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void seed() throws IOException {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;
                CREATE TABLE src (id int PRIMARY KEY, v text);
                CREATE TABLE dst (id int PRIMARY KEY, value text);
                CREATE TABLE src2 (id int PRIMARY KEY, v text);
                CREATE TABLE dst2 (id int PRIMARY KEY, value text);
                INSERT INTO src VALUES (1, 'a'), (2, 'b');
                INSERT INTO dst VALUES (1, 'a'), (2, 'B'), (3, 'c');
                """);
        config = dir.resolve("recon.yaml");
        Files.writeString(config, db.connectionsYaml() + """
                syncs:
                  - name: one
                    source: { connection: db, table: src }
                    target: { connection: db, table: dst }
                    key: { id: id }
                    columns: { v: value }
                  - name: two
                    source: { connection: db, table: src2 }
                    target: { connection: db, table: dst2 }
                    key: { id: id }
                    columns: { v: value }
                """);
    }

    @Test
    void withoutColumnsEveryColumnBothTablesHaveIsCompared() throws IOException {
        // the trap a new user fell into: a mapping without columns compared only its key
        db.execute("""
                CREATE TABLE people (id int PRIMARY KEY, name text, city text, only_here int);
                CREATE TABLE people_copy (id int PRIMARY KEY, name text, city text, only_there int,
                    shout text GENERATED ALWAYS AS (upper(name)) STORED, gone boolean NOT NULL DEFAULT false);
                INSERT INTO people VALUES (1, 'Ada', 'London', 1), (2, 'Alan', 'Wilmslow', 2);
                INSERT INTO people_copy (id, name, city, only_there) VALUES (1, 'Ada', 'London', 9), (2, 'Alan T', 'Wilmslow', 9);
                """);
        Path shared = dir.resolve("shared.yaml");
        Files.writeString(shared, db.connectionsYaml() + """
                syncs:
                  - name: people
                    source: { connection: db, table: people }
                    target: { connection: db, table: people_copy }
                    key: { id: id }
                  - name: keys_only
                    source: { connection: db, table: people }
                    target: { connection: db, table: people_copy }
                    key: { id: id }
                    columns: {}
                  - name: soft
                    source: { connection: db, table: people }
                    target: { connection: db, table: people_copy }
                    key: { id: id }
                    deletes: { soft: gone }
                """);
        CliRun diff = CliRun.run("diff", "-c", shared.toString(), "--sync", "people");
        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(1);
        assertThat(diff.out()).contains("  0 to insert, 1 to update, 0 to delete\n", "    id=2\n",
                "      name: \"Alan T\" -> Alan\n");
        assertThat(CliRun.run("diff", "-c", shared.toString(), "--sync", "keys_only").exitCode()).isZero();
        CliRun validate = CliRun.run("validate", "-c", shared.toString());
        assertThat(validate.exitCode()).as(validate.err()).isZero();
        assertThat(validate.out()).contains("ok  people: public.people -> public.people_copy, strategy join, key (id),"
                + " 2 columns (2 compared), deletes delete\n    columns by name: name, city\n"
                + "    left alone: only in the source: only_here; only in the target: only_there, shout, gone\n");
        // the soft-delete marker is written by recon: not left alone
        assertThat(validate.out()).contains("ok  soft: public.people -> public.people_copy, strategy join, key (id),"
                + " 2 columns (2 compared), deletes soft(gone)\n    columns by name: name, city\n"
                + "    left alone: only in the source: only_here; only in the target: only_there, shout\n");
        assertThat(validate.out()).contains("ok  keys_only: public.people -> public.people_copy, strategy join, key"
                + " (id), 0 columns (0 compared), deletes delete\n").doesNotContain("keys_only: columns by name");
    }

    @Test
    void aMappingThatFailsWhileComparingExitsTwoAndTheOthersAreStillReported() throws IOException {
        // two source rows share the key 5: the mapping fails, the other one is still compared
        db.execute("CREATE TABLE dup (id int, v text); INSERT INTO dup VALUES (5, 'x'), (5, 'y')");
        String broken = db.connectionsYaml() + """
                syncs:
                  - name: dup
                    source: { connection: db, table: dup }
                    target: { connection: db, table: dst }
                    key: { id: id }
                    columns: { v: value }
                  - name: one
                    source: { connection: db, table: src }
                    target: { connection: db, table: dst }
                    key: { id: id }
                    columns: { v: value }
                """;
        Files.writeString(config, broken);
        CliRun failed = CliRun.run("diff", "-c", config.toString());
        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.out()).contains("one: public.src -> public.dst", "0 to insert, 1 to update, 1 to delete",
                "error: mapping 'dup': the source has 2 rows with key (id=5)",
                "2 mappings, 0 in sync, 1 with differences, 1 ended in an error");
        // the text report on stdout lists the error; stderr does not repeat it
        assertThat(failed.err()).doesNotContain("the source has 2 rows");
    }

    @Test
    void exitsOneWithDifferencesAndZeroWhenInSync() {
        CliRun differs = CliRun.run("diff", "-c", config.toString());
        assertThat(differs.exitCode()).isEqualTo(1);
        // one line per mapping first, then the details of the one that differs
        assertThat(differs.out()).startsWith("one  differences  0 to insert, 1 to update, 1 to delete  ")
                .contains("\ntwo  in sync", "one: public.src -> public.dst", "0 to insert, 1 to update, 1 to delete",
                        "      value: B -> b", "2 mappings, 1 in sync, 1 with differences")
                .doesNotContain("two: public.src2 -> public.dst2");
        // nothing on stderr but the least-privilege warning, which the first diff of the JVM as a superuser says
        assertThat(differs.err().lines().filter(l -> !l.contains("recon only needs SELECT on the source")))
                .isEmpty();

        CliRun inSync = CliRun.run("diff", "-c", config.toString(), "--sync", "two");
        assertThat(inSync.exitCode()).isZero();
        assertThat(inSync.out()).doesNotContain("one:").contains("1 mapping, 1 in sync, 0 with differences");
    }

    @Test
    void writesTheChosenFormatToTheOutputFileOnly() throws IOException {
        Path report = dir.resolve("report.json");
        CliRun run = CliRun.run("diff", "-c", config.toString(), "--format", "json", "--output", report.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("status").asText()).isEqualTo("differences");
        assertThat(json.get("syncs").get(0).get("counts").toString())
                .isEqualTo("{\"insert\":0,\"update\":1,\"delete\":1}");
        assertThat(json.get("syncs").get(1).get("status").asText()).isEqualTo("in_sync");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("recon.yaml", "report.json");
        }
    }

    @Test
    void theOutputFollowsALinkWritesThroughAPipeAndDashIsStdout() throws Exception {
        // a symbolic link: its target gets the report, the link stays a link
        Path real = Files.createDirectories(dir.resolve("real")).resolve("report.txt");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("real", "report.txt"));
        assertThat(CliRun.run("diff", "-c", config.toString(), "-o", link.toString()).exitCode()).isEqualTo(1);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).contains("one: public.src -> public.dst");
        // a FIFO (as a device would be): written to, never replaced by a file
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        var read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(CliRun.run("diff", "-c", config.toString(), "-o", fifo.toString()).exitCode()).isEqualTo(1);
        assertThat(read.get(30, java.util.concurrent.TimeUnit.SECONDS)).contains("one: public.src -> public.dst");
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(Files.exists(fifo)).isTrue();
        CliRun dash = CliRun.run("diff", "-c", config.toString(), "-o", "-");
        assertThat(dash.out()).contains("one: public.src -> public.dst");
        assertThat(Files.exists(Path.of("-"))).isFalse();
        // a directory that does not exist: said so, exit 2, before anything runs
        CliRun missing = CliRun.run("diff", "-c", config.toString(), "-o", dir.resolve("nope/r.txt").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot write the report to " + dir.resolve("nope/r.txt") + ": directory "
                + dir.resolve("nope") + " does not exist");
    }

    @Test
    void aKeyThatFitsNoMappingNamesEveryMapping() {
        CliRun run = CliRun.run("diff", "-c", config.toString(), "--key", "code=1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mapping 'one' has no key column 'code' (its key: id)",
                "mapping 'two' has no key column 'code' (its key: id)");
    }

    @Test
    void csvRowsKeepTheMappingsOrderWithSeveralJobs() throws IOException {
        // the first mapping has 20,000 differences, the second one: the second finishes first
        db.execute("INSERT INTO src SELECT g, 'x' || g FROM generate_series(10, 20009) g;"
                + " INSERT INTO src2 VALUES (1, 'a')");
        CliRun run = CliRun.run("diff", "-c", config.toString(), "--format", "csv", "--jobs", "2");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        List<String> mappings = run.out().lines().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList();
        assertThat(mappings).hasSize(20_003);
        // every row of 'one', then the one row of 'two'
        assertThat(mappings.indexOf("two")).isEqualTo(20_002);
        assertThat(mappings.subList(0, 20_002)).containsOnly("one");
        // whole rows: the update's changed column and both sides, the delete's target row
        CliRun one = CliRun.run("diff", "-c", config.toString(), "--format", "csv", "--jobs", "1");
        assertThat(run.out()).isEqualTo(one.out()).contains("one,update,\"{\"\"id\"\":\"\"2\"\"}\",value,"
                + "\"{\"\"id\"\":\"\"2\"\",\"\"value\"\":\"\"b\"\"}\",\"{\"\"id\"\":\"\"2\"\",\"\"value\"\":\"\"B\"\"}\"",
                "one,delete,\"{\"\"id\"\":\"\"3\"\"}\",,,\"{\"\"id\"\":\"\"3\"\",\"\"value\"\":\"\"c\"\"}\"");
    }

    @Test
    void aFailedRunLeavesNoReportFile() throws IOException {
        db.execute("DROP TABLE dst2");
        Path report = dir.resolve("report.csv");
        CliRun run = CliRun.run("diff", "-c", config.toString(), "--format", "csv", "-o", report.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(report).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(1);
        }
    }

    @Test
    void problemsExitTwoWithEveryProblemAndNoStackTrace() throws IOException {
        Files.writeString(config, db.connectionsYaml() + """
                syncs:
                  - name: one
                    source: { connection: db, table: src }
                    target: { connection: db, table: dst }
                    key: { id: id }
                    columns: { v: valu, w: value }
                """);
        CliRun run = CliRun.run("diff", "-c", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("""
                error: the mappings cannot run as written (2 problems); nothing was read or written:
                  - mapping 'one': columns: target table public.dst has no column 'valu' (columns: id, value)
                  - mapping 'one': columns: source table public.src has no column 'w' (columns: id, v)
                """);
    }

    @Test
    void aRunThatFailsBeforeComparingStillWritesItsJsonAndSqlReport() throws IOException {
        ObjectMapper json = new ObjectMapper();
        // a server that cannot be reached: each command that reports, json on stdout or in --output
        Path down = dir.resolve("down.yaml");
        Files.writeString(down, Files.readString(config).replace(db.url(), "jdbc:postgresql://127.0.0.1:1/x"));
        Path file = dir.resolve("report.json");
        for (String[] args : new String[][] {{"diff"}, {"sync"}, {"sync", "--dry-run"}, {"diff", "-o", file.toString()}}) {
            List<String> line = new java.util.ArrayList<>(List.of(args));
            line.addAll(List.of("-c", down.toString(), "--format", "json"));
            CliRun run = CliRun.run(line.toArray(String[]::new));
            assertThat(run.exitCode()).as(line.toString()).isEqualTo(2);
            assertThat(run.err()).startsWith("error: cannot connect to connection 'db'; nothing was read or written:");
            JsonNode doc = json.readTree(args.length > 1 && args[1].equals("-o") ? Files.readString(file) : run.out());
            assertThat(doc.get("status").asText()).isEqualTo("error");
            assertThat(doc.get("message").asText()).isEqualTo("cannot connect to connection 'db'; nothing was read or"
                    + " written");
            assertThat(doc.get("errors")).hasSize(2);
            assertThat(doc.get("errors").get(0).asText()).startsWith("mapping 'one': source: cannot connect to"
                    + " connection 'db' (jdbc:postgresql://127.0.0.1:1/x): ").endsWith("[SQLSTATE 08001]");
            assertThat(doc.get("errors").get(1).asText()).startsWith("mapping 'two': source: cannot connect to"
                    + " connection 'db' (jdbc:postgresql://127.0.0.1:1/x): ");
            assertThat(doc.get("syncs")).isEmpty();
        }
        // a configuration problem, and a mapping file that is not there
        Files.writeString(down, Files.readString(config).replace("columns: { v: value }", "columns: { v: valu }"));
        CliRun wrong = CliRun.run("diff", "-c", down.toString(), "--format", "json", "--sync", "one");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(json.readTree(wrong.out()).toString()).isEqualTo("{\"status\":\"error\",\"message\":\"the mappings"
                + " cannot run as written (1 problem); nothing was read or written\",\"errors\":[\"mapping 'one': columns:"
                + " target table public.dst has no column 'valu' (columns: id, value)\"],\"syncs\":[]}");
        CliRun missing = CliRun.run("diff", "-c", dir.resolve("nope.yaml").toString(), "--format", "json");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(json.readTree(missing.out()).get("errors").toString()).isEqualTo("[\"mapping file "
                + dir.resolve("nope.yaml").toString().replace("\\", "\\\\") + " does not exist; pass another with -c FILE\"]");
        // sql: comments, no statement; text, csv, markdown and html: stderr alone
        CliRun sql = CliRun.run("diff", "-c", down.toString(), "--format", "sql", "--sync", "one");
        assertThat(sql.exitCode()).isEqualTo(2);
        assertThat(sql.out()).isEqualTo("""
                -- error: the mappings cannot run as written (1 problem); nothing was read or written
                -- error: mapping 'one': columns: target table public.dst has no column 'valu' (columns: id, value)
                -- nothing was compared; no statement to run
                """);
        for (String format : List.of("text", "csv", "markdown", "html")) {
            CliRun other = CliRun.run("diff", "-c", down.toString(), "--format", format, "--sync", "one");
            assertThat(other.exitCode()).isEqualTo(2);
            assertThat(other.out()).as(format).isEmpty();
            assertThat(other.err()).as(format).contains("has no column 'valu'");
        }
    }

    @Test
    void verboseShowsTheStackTrace() throws IOException {
        Files.writeString(config, "syncs: []\n");
        CliRun run = CliRun.run("diff", "-v", "-c", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: mapping file " + config + " has 2 problems:")
                .contains("\tat dev.recon.config.ConfigLoader");
    }

    @Test
    void badArgumentsExitTwo() {
        CliRun format = CliRun.run("diff", "-c", config.toString(), "--format", "xml");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).startsWith("error: Invalid value for option '--format': must be one of text, json, csv,"
                + " markdown, sql, html; not 'xml'");

        CliRun missing = CliRun.run("diff", "-c", dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("error: mapping file " + dir.resolve("nope.yaml")
                + " does not exist; pass another with -c FILE\n");

        CliRun unknown = CliRun.run("diff", "-c", config.toString(), "--sync", "three");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("error: --sync names a mapping the file does not define:\n  - no mapping named 'three' (defined: one, two)\n");

        assertThat(CliRun.run("frobnicate").exitCode()).isEqualTo(2);
    }

    @Test
    void validateListsEachMappingAndChecksWritability() throws IOException {
        CliRun ok = CliRun.run("validate", "-c", config.toString());
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).isEqualTo("""
                ok  one: public.src -> public.dst, strategy join, key (id), 1 column (1 compared), deletes delete
                ok  two: public.src2 -> public.dst2, strategy join, key (id), 1 column (1 compared), deletes delete
                """);
        db.execute("ALTER TABLE dst ADD COLUMN required text NOT NULL DEFAULT 'x'; "
                + "ALTER TABLE dst ALTER COLUMN required DROP DEFAULT");
        CliRun bad = CliRun.run("validate", "-c", config.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("target column 'required' of public.dst is NOT NULL without a default");
        assertThat(CliRun.run("validate", "--diff-only", "-c", config.toString()).exitCode()).isZero();
    }

    @Test
    void secretsNeverReachTheOutput() throws IOException {
        Files.writeString(config, """
                connections:
                  db: { url: "jdbc:postgresql://127.0.0.1:1/x", user: u, password: "${SECRET:-hunter2-secret}" }
                syncs:
                  - name: one
                    source: { connection: db, table: src }
                    target: { connection: db, table: dst }
                    key: { id: id }
                """);
        for (String cmd : new String[] {"diff", "validate"}) {
            CliRun run = CliRun.run(cmd, "-v", "-c", config.toString());
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("cannot connect to connection 'db'").doesNotContain("hunter2-secret");
            assertThat(run.out()).doesNotContain("hunter2-secret");
        }
    }
}
