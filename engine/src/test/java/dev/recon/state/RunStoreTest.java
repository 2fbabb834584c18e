package dev.recon.state;

import dev.recon.result.RunRecord;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.Recon;
import dev.recon.config.ConfigLoader;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The state schema is migrated by Flyway only when its history is behind the migrations recon carries. */
class RunStoreTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @BeforeEach
    void seed() {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE src (id int PRIMARY KEY, v text);
                CREATE TABLE dst (id int PRIMARY KEY, v text);
                INSERT INTO src SELECT g, 'v' || g FROM generate_series(1, 3) g;
                """);
    }

    private static RunResult sync() {
        Recon recon = new Recon(new ConfigLoader(Map.of()).parse(db.connectionsYaml() + "syncs:\n  - name: m\n"
                + "    source: { connection: db, table: src }\n    target: { connection: db, table: dst }\n"
                + "    key: { id: id }\n", "test.yaml"));
        return Runs.sync(recon, SyncOptions.defaults(), dev.recon.report.ReportFormat.TEXT.writer(new StringWriter()));
    }

    @Test
    void latestMigrationIsTheHighestFileInSql() throws IOException {
        Pattern version = Pattern.compile("V(\\d+)__.*\\.sql");
        int highest;
        try (Stream<Path> files = Files.list(Path.of("..", "sql"))) {
            highest = files.map(f -> version.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        }
        assertThat(RunStore.LATEST_MIGRATION).isEqualTo(highest).isPositive();
    }

    @Test
    void aCurrentSchemaIsUsedAsItIsAndOneBehindOrDroppedIsMigrated() {
        assertThat(sync().converged()).isTrue();
        assertThat(db.value("SELECT count(*) FROM recon.schema_history WHERE success AND version IS NOT NULL", Long.class))
                .isEqualTo(RunStore.LATEST_MIGRATION);
        String applied = "SELECT string_agg(installed_rank || ':' || installed_on, ',' ORDER BY installed_rank)"
                + " FROM recon.schema_history";
        String before = db.value(applied, String.class);
        // Flyway would refuse this history (a migration's checksum changed): a current one is not shown to it
        db.execute("INSERT INTO src VALUES (4, 'v4'); UPDATE recon.schema_history SET checksum = checksum + 1"
                + " WHERE version = '1'");
        before = db.value(applied, String.class);
        assertThat(sync().converged()).isTrue();
        // current: untouched, and the run recorded
        assertThat(db.value(applied, String.class)).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM recon.run WHERE status = 'converged'", Long.class)).isEqualTo(2);

        // one migration behind: Flyway applies the missing one
        db.execute("UPDATE recon.schema_history SET checksum = checksum - 1 WHERE version = '1';"
                + " DELETE FROM recon.schema_history WHERE version IN ('3', '4');"
                + " ALTER TABLE recon.run DROP COLUMN changed_meanwhile; DROP TABLE recon.key_range_cut");
        assertThat(sync().converged()).isTrue();
        assertThat(db.value("SELECT count(*) FROM recon.schema_history WHERE version IN ('3', '4') AND success",
                Long.class)).isEqualTo(2);
        assertThat(db.value("SELECT count(*) FROM recon.run WHERE changed_meanwhile = 0", Long.class)).isEqualTo(1);

        // dropped: created again
        db.execute("DROP SCHEMA recon CASCADE");
        assertThat(sync().converged()).isTrue();
        assertThat(db.value("SELECT count(*) FROM recon.run", Long.class)).isEqualTo(1);
    }

    @Test
    void historiesGiveEachMappingItsOwnLatestRuns() {
        Recon recon = new Recon(new ConfigLoader(Map.of()).parse(db.connectionsYaml() + "syncs:\n  - name: m\n"
                + "    source: { connection: db, table: src }\n    target: { connection: db, table: dst }\n"
                + "    key: { id: id }\n  - name: other\n"
                + "    source: { connection: db, table: src }\n    target: { connection: db, table: dst }\n"
                + "    key: { id: id }\n", "test.yaml"));
        assertThat(recon.histories(List.of("m", "other"), 3)).isEmpty();
        for (int i = 0; i < 4; i++) {
            sync();
        }
        db.execute("INSERT INTO recon.run (sync_name, status, strategy) VALUES ('other', 'converged', 'join')");
        Map<String, List<RunRecord>> h = recon.histories(List.of("m", "other", "nope"), 3);
        assertThat(h.keySet()).containsExactly("m", "other");
        List<Long> ids = db.rows("SELECT id FROM recon.run WHERE sync_name = 'm' ORDER BY id DESC LIMIT 3").stream()
                .map(r -> ((Number) r.get("id")).longValue()).toList();
        assertThat(h.get("m")).extracting(RunRecord::id).containsExactlyElementsOf(ids);
        assertThat(h.get("other")).extracting(RunRecord::sync).containsExactly("other");
    }
}
