package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.testing.PgDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
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
                "{\"insert\":1,\"update\":0,\"delete\":0,\"failed\":0,\"changed_meanwhile\":0,\"changed_meanwhile_keys\":[],\"failed_rows\":[],\"stuck_rows\":[]}");
        assertThat(CliRun.run("diff", "-c", config.toString()).exitCode()).isZero();

        CliRun history = CliRun.run("history", "-c", config.toString(), "--format", "json");
        assertThat(history.exitCode()).isZero();
        JsonNode runs = readJson(history.out()).get("runs");
        assertThat(runs.size()).isEqualTo(2);
        assertThat(runs.get(0).get("status").asText()).isEqualTo("converged");
        assertThat(runs.get(1).get("status").asText()).isEqualTo("failed_rows");
        assertThat(runs.get(1).get("applied").toString())
                .isEqualTo("{\"insert\":0,\"update\":1,\"delete\":1,\"failed\":1,\"changed_meanwhile\":0}");
        CliRun text = CliRun.run("history", "-c", config.toString(), "--sync", "things", "--limit", "1");
        assertThat(text.out().lines().toList()).hasSize(2);
        assertThat(text.out()).contains(" things ").contains(" converged ");
    }

    @Test
    void stuckRowsAreLoggedTenByNameThenCounted() {
        // 12 rows the target refuses run after run
        db.execute("UPDATE dst SET amount = 0 WHERE id <= 12; ALTER TABLE dst ADD CONSTRAINT zero"
                + " CHECK (amount = 0 OR id > 12)");
        CliRun third = null;
        for (int i = 0; i < 3; i++) {
            third = sync("--max-deletes", "1");
            assertThat(third.exitCode()).isEqualTo(1);
        }
        List<String> stuck = third.err().lines().filter(l -> l.contains("STUCK")).toList();
        assertThat(stuck).hasSize(11);
        assertThat(stuck.get(0)).contains("things - STUCK: update of key id=1 refused 3 runs in a row");
        assertThat(stuck.get(10)).contains("things - STUCK: 2 more rows refused run after run; recon history"
                + " --sync things --failed lists them all");
    }

    @Test
    void aCompositeKeyReadsTheSameInTheReportTheLogAndHistory() throws IOException {
        db.execute("""
                CREATE TABLE src2 (a int, b text, v int, PRIMARY KEY (a, b));
                CREATE TABLE dst2 (a int, b text, v int CHECK (v < 9), PRIMARY KEY (a, b));
                INSERT INTO src2 VALUES (1, 'two words', 12), (2, 'x', 1);
                """);
        Files.writeString(config, db.connectionsYaml() + """
                syncs:
                  - name: pairs
                    source: { connection: db, table: src2 }
                    target: { connection: db, table: dst2 }
                    key: { a: a, b: b }
                """);
        CliRun run = null;
        for (int i = 0; i < 3; i++) {
            run = sync();
            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        }
        assertThat(run.out()).contains("    insert a=1 b=\"two words\": new row for relation \"dst2\" violates check"
                + " constraint \"dst2_v_check\" [SQLSTATE 23514]");
        assertThat(run.err()).contains("pairs - STUCK: insert of key a=1 b=\"two words\" refused 3 runs in a row");
        CliRun failed = CliRun.run("history", "-c", config.toString(), "--failed");
        assertThat(failed.out().lines().toList()).containsExactly(
                "RUN    MAPPING              OPERATION KEY                       RUNS SQLSTATE ERROR",
                "3      pairs                insert    a=1 b=\"two words\"            3 23514    new row for relation"
                        + " \"dst2\" violates check constraint \"dst2_v_check\" (STUCK)");
    }

    @Test
    void historyFailedListsTheRowsTheTargetRefusedAndHowManyRunsInARow() {
        db.execute("UPDATE dst SET amount = 0 WHERE id IN (9, 10); ALTER TABLE dst ADD CONSTRAINT small"
                + " CHECK (amount NOT IN (9, 10, 20))");
        for (int i = 0; i < 3; i++) {
            assertThat(sync("--max-deletes", "1").exitCode()).isEqualTo(1);
        }
        CliRun failed = CliRun.run("history", "-c", config.toString(), "--failed", "--sync", "things", "--sync",
                "things");
        assertThat(failed.exitCode()).as(failed.err()).isZero();
        // keys by value (9 before 10 before 20), named by the target's key column
        assertThat(failed.out().lines().toList()).containsExactly(
                "RUN    MAPPING              OPERATION KEY                       RUNS SQLSTATE ERROR",
                "3      things               update    id=9                         3 23514    new row for relation"
                        + " \"dst\" violates check constraint \"small\" (STUCK)",
                "3      things               update    id=10                        3 23514    new row for relation"
                        + " \"dst\" violates check constraint \"small\" (STUCK)",
                "3      things               insert    id=20                        3 23514    new row for relation"
                        + " \"dst\" violates check constraint \"small\" (STUCK)");
        CliRun first = CliRun.run("history", "-c", config.toString(), "--failed", "--run", "1", "--format", "json");
        assertThat(readJson(first.out()).get("failed_rows").get(0).get("runs_in_a_row").asInt()).isEqualTo(1);
        assertThat(CliRun.run("history", "-c", config.toString(), "--failed", "--run", "99").exitCode()).isEqualTo(2);
    }

    @Test
    void historyShowsOnlyThisFilesMappingsAndNamesSoftDeletes() throws IOException {
        db.execute("ALTER TABLE dst ADD COLUMN gone boolean NOT NULL DEFAULT false");
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, Files.readString(config).replace("name: things", "name: others"));
        assertThat(CliRun.run("sync", "-c", other.toString()).exitCode()).isZero();
        Files.writeString(config, Files.readString(config) + "    deletes: { soft: gone }\n");
        db.execute("INSERT INTO dst VALUES (22, 'gone too', 22)");
        assertThat(sync().exitCode()).isZero();
        CliRun history = CliRun.run("history", "-c", config.toString());
        assertThat(history.exitCode()).as(history.err()).isZero();
        List<String> lines = history.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("2      things ").endsWith(" converged           0         0    1 soft       0");
        JsonNode json = readJson(CliRun.run("history", "-c", config.toString(), "--format", "json").out());
        assertThat(json.get("runs").get(0).get("deletes").asText()).isEqualTo("soft");
    }

    @Test
    void tooManyDeletesExitTwoAndWriteNothing() {
        String before = db.rows("SELECT * FROM dst ORDER BY id").toString();
        CliRun run = sync("--max-deletes", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("error: mapping 'things': the sync would delete 1 of 20 rows of public.dst,"
                + " more than --max-deletes 0 allows (0); nothing was written. If the source really lost these"
                + " rows, run again with --max-deletes 1 or --force; if not, check the job that fills public.src\n");
        // printed once: the text report on stdout carries it
        assertThat(run.err()).isEmpty();
        // with a machine format on stdout, the message goes to stderr
        CliRun json = sync("--max-deletes", "0", "--format", "json");
        assertThat(json.err()).contains("error: mapping 'things': the sync would delete 1 of 20 rows");
        assertThat(db.rows("SELECT * FROM dst ORDER BY id").toString()).isEqualTo(before);
    }

    @Test
    void theGuardCountsOnlyRowsNotSoftDeletedYet() throws IOException {
        db.execute("ALTER TABLE dst ADD COLUMN gone boolean NOT NULL DEFAULT false; UPDATE dst SET gone = true"
                + " WHERE id <= 15; TRUNCATE src");
        Files.writeString(config, Files.readString(config) + "    deletes: { soft: gone }\n");
        String before = db.rows("SELECT * FROM dst ORDER BY id").toString();
        String refusal = "error: mapping 'things': the sync would soft-delete every one of the 5 live rows of"
                + " public.dst (is public.src empty, or its filter wrong?); nothing was written.";
        CliRun dry = sync("--dry-run");
        assertThat(dry.exitCode()).isEqualTo(2);
        assertThat(dry.out()).contains(refusal).doesNotContain("would write");
        CliRun run = sync();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains(refusal);
        assertThat(db.rows("SELECT * FROM dst ORDER BY id").toString()).isEqualTo(before);
        // the refused run's history keeps what it would have done
        JsonNode planned = readJson(CliRun.run("history", "-c", config.toString(), "--format", "json").out())
                .get("runs").get(0).get("planned");
        assertThat(planned.toString()).isEqualTo("{\"insert\":0,\"update\":0,\"delete\":5}");
    }

    @Test
    void aBadOptionSaysWhatIsWrongInOneLineAndEverySubcommandPrintsTheVersion() {
        CliRun bad = sync("--max-deletes", "abc");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().lines().toList()).hasSizeLessThanOrEqualTo(3).last().isEqualTo("(see: recon sync --help)");
        CliRun typo = sync("--dry-rnu");
        assertThat(typo.err()).contains("Unknown option: '--dry-rnu'", "--dry-run");
        for (String command : new String[] {"diff", "sync", "history", "validate", "serve", "bench", "demo"}) {
            CliRun v = CliRun.run(command, "-V");
            assertThat(v.exitCode()).isZero();
            assertThat(v.out()).as(command).startsWith("recon ");
        }
    }

    @Test
    void dryRunIsTheDiffAndWritesNothing() {
        String before = db.rows("SELECT * FROM dst ORDER BY id").toString();
        CliRun run = sync("--dry-run");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("1 to insert, 1 to update, 1 to delete\n",
                "  would write: 1 insert and 1 update (1 batch), 1 to delete (1 batch); batches of up to 5000 rows,"
                        + " one transaction each\n").doesNotContain("applied");
        JsonNode plan = readJson(sync("--dry-run", "--format", "json", "--batch-size", "1",
                "--max-rows-per-second", "2").out()).get("syncs").get(0).get("write_plan");
        assertThat(plan.toString()).isEqualTo("{\"initial_load\":false,\"insert\":1,\"update\":1,\"delete\":1,"
                + "\"batch_size\":1,\"batches\":3,\"max_rows_per_second\":2.0}");
        db.execute("TRUNCATE dst");
        assertThat(sync("--dry-run").out()).contains("  would write: 20 rows into the empty target by COPY (an"
                + " initial load, 1 batch); batches of up to 5000 rows, one transaction each\n");
        db.execute("INSERT INTO dst SELECT g, 'v' || g, g FROM generate_series(1, 19) g; UPDATE dst SET value = 'old'"
                + " WHERE id = 5; INSERT INTO dst VALUES (21, 'gone', 21)");
        assertThat(db.rows("SELECT * FROM dst ORDER BY id").toString()).isEqualTo(before);
        assertThat(db.value("SELECT to_regclass('recon.run') IS NULL", Boolean.class)).isTrue();
    }

    @Test
    void dryRunTellsWhetherTheSyncWouldRefuse() {
        String before = db.rows("SELECT * FROM dst ORDER BY id").toString();
        CliRun refused = sync("--dry-run", "--max-deletes", "0");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out()).contains("1 to insert, 1 to update, 1 to delete",
                "error: mapping 'things': the sync would delete 1 of 20 rows of public.dst, more than --max-deletes 0");
        // the real sync agrees
        assertThat(sync("--max-deletes", "0").exitCode()).isEqualTo(2);
        assertThat(db.rows("SELECT * FROM dst ORDER BY id").toString()).isEqualTo(before);
    }

    @Test
    void theDefaultGuardLetsASmallTableLoseAFewRowsButNeverEmptiesIt() {
        db.execute("DELETE FROM src WHERE id > 5; DELETE FROM dst WHERE id > 7");
        // 2 of 7 rows: more than 10%, fewer than 100
        CliRun few = sync();
        assertThat(few.exitCode()).as(few.out() + few.err()).isZero();
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(5L);
        // a truncated source would empty the target: refused, unless --force
        db.execute("TRUNCATE src");
        CliRun all = sync();
        assertThat(all.exitCode()).isEqualTo(2);
        assertThat(all.out()).contains("error: mapping 'things': the sync would delete every one of the 5 rows of"
                + " public.dst (is public.src empty, or its filter wrong?); nothing was written. If the source really"
                + " lost them all, run again with --force");
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(5L);
        assertThat(sync("--force").exitCode()).isZero();
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isZero();
    }

    @Test
    void aMappingsOwnWriteSettingsApplyUnlessAFlagSaysOtherwise() throws IOException {
        Files.writeString(config, Files.readString(config) + "    max_deletes: 0\n    batch_size: 1\n");
        CliRun guarded = sync();
        assertThat(guarded.exitCode()).isEqualTo(2);
        assertThat(guarded.out()).contains("more than the mapping's max_deletes 0 allows (0); nothing was written."
                + " If the source really lost these rows, run again with --max-deletes 1 or --force (or raise"
                + " max_deletes)");
        CliRun flagged = sync("--max-deletes", "5", "--format", "json");
        assertThat(flagged.exitCode()).as(flagged.err()).isZero();
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(20L);
        Files.writeString(config, Files.readString(config).replace("batch_size: 1", "batch_size: none"));
        CliRun bad = sync();
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("syncs[0] (things).batch_size: must be a whole number of rows, at least 1,"
                + " not 'none'");
    }

    @Test
    void reportAndMetricsFilesHonourTheUmask() throws IOException {
        Path report = dir.resolve("report.json");
        Path metrics = dir.resolve("recon.prom");
        assertThat(sync("--dry-run", "-o", report.toString(), "--format", "json", "--metrics-file",
                metrics.toString()).exitCode()).isEqualTo(1);
        // what this process's umask gives any new file (0644 under the usual 022)
        Path plain = Files.createFile(dir.resolve("plain"));
        var expected = Files.getPosixFilePermissions(plain);
        Assumptions.assumeTrue(
                expected.contains(PosixFilePermission.OTHERS_READ),
                "this process's umask makes every file private, so the check could not tell");
        assertThat(Files.getPosixFilePermissions(report)).isEqualTo(expected);
        assertThat(Files.getPosixFilePermissions(metrics)).isEqualTo(expected);
        // a file that exists keeps its permissions: a report kept private stays private
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-------"));
        assertThat(sync("--dry-run", "-o", report.toString(), "--format", "json").exitCode()).isEqualTo(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report)))
                .isEqualTo("rw-------");
    }

    @Test
    void badOptionsAndUnwritableMappingsExitTwoBeforeWriting() throws IOException {
        assertThat(sync("--max-deletes", "lots").err())
                .startsWith("error: --max-deletes takes a number of rows (500) or a percentage of the target (10%),"
                        + " not 'lots'");
        assertThat(sync("--batch-size", "0").exitCode()).isEqualTo(2);
        assertThat(sync("--lock-timeout", "soon").exitCode()).isEqualTo(2);

        db.execute("ALTER TABLE dst ADD COLUMN doubled int GENERATED ALWAYS AS (amount * 2) STORED");
        Files.writeString(config, Files.readString(config).replace("n: amount", "n: doubled"));
        String before = db.rows("SELECT * FROM dst ORDER BY id").toString();
        CliRun run = sync("--force");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("""
                error: the mappings cannot run as written (1 problem); nothing was read or written:
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
