package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.testing.PgDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void seed() throws IOException {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE src (id int PRIMARY KEY, v text, n int);
                CREATE TABLE dst (id int PRIMARY KEY, value text, amount int);
                INSERT INTO src SELECT g, 'v' || g, g FROM generate_series(1, 20) g;
                INSERT INTO dst SELECT g, 'v' || g, g FROM generate_series(1, 19) g;
                UPDATE dst SET value = 'old' WHERE id = 5;
                INSERT INTO dst VALUES (21, 'gone', 21);
                """);
        config = dir.resolve("recon.yaml");
        Files.writeString(config, db.connectionsYaml() + """
                syncs:
                  - name: things
                    source: { connection: db, table: src }
                    target: { connection: db, table: dst }
                    key: { id: id }
                    columns: { v: value, n: amount }
                """);
    }

    private CliRun sync(String... extra) {
        String[] args = new String[3 + extra.length];
        args[0] = "sync";
        args[1] = "-c";
        args[2] = config.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        return CliRun.run(args);
    }

    @Test
    void exitsOneWhileRowsFailAndZeroOnceTheyAreApplied() {
        db.execute("ALTER TABLE dst ADD CONSTRAINT small CHECK (amount <> 20)");
        CliRun first = sync("--max-deletes", "1");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
        assertThat(first.out()).contains(
                "  applied: 0 inserted, 1 updated, 1 deleted, 1 failed (run 1)",
                "    insert id=20: new row for relation \"dst\" violates check constraint \"small\" [SQLSTATE 23514]",
                "1 mapping, 0 converged, 1 with failed rows (retried by the next run)");

        db.execute("ALTER TABLE dst DROP CONSTRAINT small");
        CliRun second = sync("--format", "json");
        assertThat(second.exitCode()).as(second.err()).isZero();
        JsonNode json = readJson(second.out());
        assertThat(json.get("status").asText()).isEqualTo("converged");
        assertThat(json.get("syncs").get(0).get("applied").toString()).isEqualTo(
                "{\"insert\":1,\"update\":0,\"delete\":0,\"failed\":0,\"failed_rows\":[],\"stuck_rows\":[]}");
        assertThat(CliRun.run("diff", "-c", config.toString()).exitCode()).isZero();

        CliRun history = CliRun.run("history", "-c", config.toString(), "--format", "json");
        assertThat(history.exitCode()).isZero();
        JsonNode runs = readJson(history.out()).get("runs");
        assertThat(runs.size()).isEqualTo(2);
        assertThat(runs.get(0).get("status").asText()).isEqualTo("converged");
        assertThat(runs.get(1).get("status").asText()).isEqualTo("failed_rows");
        assertThat(runs.get(1).get("applied").toString())
                .isEqualTo("{\"insert\":0,\"update\":1,\"delete\":1,\"failed\":1}");
        CliRun text = CliRun.run("history", "-c", config.toString(), "--sync", "things", "--limit", "1");
        assertThat(text.out().lines().toList()).hasSize(2);
        assertThat(text.out()).contains(" things ").contains(" converged ");
    }

    @Test
    void tooManyDeletesExitTwoAndWriteNothing() {
        String before = db.rows("SELECT * FROM dst ORDER BY id").toString();
        CliRun run = sync("--max-deletes", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("error: mapping 'things': the sync would delete 1 of 20 rows");
        assertThat(run.err()).isEqualTo("error: mapping 'things': the sync would delete 1 of 20 rows of public.dst,"
                + " more than --max-deletes 0 allows (0); nothing was written. If the source really lost these"
                + " rows, run again with --max-deletes 1 or --force; if not, check the job that fills public.src\n");
        assertThat(db.rows("SELECT * FROM dst ORDER BY id").toString()).isEqualTo(before);
    }

    @Test
    void dryRunIsTheDiffAndWritesNothing() {
        String before = db.rows("SELECT * FROM dst ORDER BY id").toString();
        CliRun run = sync("--dry-run");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("1 to insert, 1 to update, 1 to delete").doesNotContain("applied");
        assertThat(db.rows("SELECT * FROM dst ORDER BY id").toString()).isEqualTo(before);
        assertThat(db.value("SELECT to_regclass('recon.run') IS NULL", Boolean.class)).isTrue();
    }

    @Test
    void badOptionsAndUnwritableMappingsExitTwoBeforeWriting() throws IOException {
        assertThat(sync("--max-deletes", "lots").err())
                .startsWith("--max-deletes takes a number of rows (500) or a percentage of the target (10%), not 'lots'");
        assertThat(sync("--batch-size", "0").exitCode()).isEqualTo(2);
        assertThat(sync("--lock-timeout", "soon").exitCode()).isEqualTo(2);

        db.execute("ALTER TABLE dst ADD COLUMN doubled int GENERATED ALWAYS AS (amount * 2) STORED");
        Files.writeString(config, Files.readString(config).replace("n: amount", "n: doubled"));
        String before = db.rows("SELECT * FROM dst ORDER BY id").toString();
        CliRun run = sync("--force");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("""
                error: the mappings do not fit the tables (1 problem); nothing was read or written:
                  - mapping 'things': target column 'doubled' of public.dst is a generated column and cannot be\
                 written; remove it from the mapping
                """);
        assertThat(db.rows("SELECT * FROM dst ORDER BY id").toString()).isEqualTo(before);
    }

    @Test
    void historyBeforeAnyRunSaysSo() {
        CliRun run = CliRun.run("history", "-c", config.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("no runs recorded yet\n");
    }

    private static JsonNode readJson(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
