package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.testing.PgDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MetricsFileTest {
    private static final Pattern SAMPLE = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\",?)*})? -?[0-9.]+(E[0-9]+)?");

    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void seed() throws IOException {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE src (id int PRIMARY KEY, n int);
                CREATE TABLE dst (id int PRIMARY KEY, amount int CHECK (amount <> 7));
                INSERT INTO src SELECT g, g FROM generate_series(1, 10) g;
                INSERT INTO dst SELECT g, g * 10 FROM generate_series(2, 9) g;
                INSERT INTO dst VALUES (11, 11), (12, 12);
                """);
        config = dir.resolve("recon.yaml");
        Files.writeString(config, db.connectionsYaml() + """
                syncs:
                  - name: nums
                    source: { connection: db, table: src }
                    target: { connection: db, table: dst }
                    key: { id: id }
                    columns: { n: amount }
                """);
    }

    /** The samples of a Prometheus text file, after checking every line's syntax. */
    private static Map<String, Double> samples(Path file) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            assertThat(line).as("a Prometheus sample line").matches(SAMPLE);
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    @Test
    void theMetricsFileCarriesTheReportsNumbers() throws IOException {
        Path metrics = dir.resolve("recon.prom");
        CliRun run = CliRun.run("sync", "-c", config.toString(), "--format", "json", "--force",
                "--metrics-file", metrics.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        JsonNode sync = new ObjectMapper().readTree(run.out()).get("syncs").get(0);
        Map<String, Double> m = samples(metrics);

        for (String op : List.of("insert", "update", "delete")) {
            assertThat(m.get("recon_differences{operation=\"" + op + "\",strategy=\"join\",sync=\"nums\"}"))
                    .isEqualTo(sync.get("counts").get(op).asDouble());
            assertThat(m.get("recon_rows_applied{operation=\"" + op + "\",sync=\"nums\"}"))
                    .isEqualTo(sync.get("applied").get(op).asDouble());
        }
        // 2 inserts (1, 10), 8 updates (2..9, of which 7 is refused), 2 deletes (11, 12)
        assertThat(sync.get("counts").toString()).isEqualTo("{\"insert\":2,\"update\":8,\"delete\":2}");
        assertThat(m.get("recon_rows_failed{sync=\"nums\"}")).isEqualTo(1.0);
        assertThat(m.get("recon_converged{sync=\"nums\"}")).isEqualTo(0.0);
        assertThat(m.get("recon_phase_seconds{phase=\"apply\",sync=\"nums\"}"))
                .isEqualTo(sync.get("strategy_details").get("apply_ms").asDouble() / 1000.0);
        assertThat(m).doesNotContainKey("recon_last_converged_timestamp_seconds{sync=\"nums\"}");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("recon.prom", "recon.yaml");
        }

        db.execute("ALTER TABLE dst DROP CONSTRAINT dst_amount_check");
        long before = System.currentTimeMillis() / 1000;
        assertThat(CliRun.run("sync", "-c", config.toString(), "--metrics-file", metrics.toString()).exitCode())
                .isZero();
        Map<String, Double> after = samples(metrics);
        assertThat(after.get("recon_converged{sync=\"nums\"}")).isEqualTo(1.0);
        assertThat(after.get("recon_rows_applied{operation=\"update\",sync=\"nums\"}")).isEqualTo(1.0);
        assertThat(after.get("recon_last_converged_timestamp_seconds{sync=\"nums\"}"))
                .isBetween(before - 5.0, before + 60.0);
    }

    @Test
    void aDiffWritesWhetherEachMappingIsInSync() throws IOException {
        Path metrics = dir.resolve("diff.prom");
        assertThat(CliRun.run("diff", "-c", config.toString(), "--metrics-file", metrics.toString()).exitCode())
                .isEqualTo(1);
        Map<String, Double> m = samples(metrics);
        assertThat(m.get("recon_in_sync{sync=\"nums\"}")).isEqualTo(0.0);
        assertThat(m.get("recon_differences{operation=\"update\",strategy=\"join\",sync=\"nums\"}")).isEqualTo(8.0);
        assertThat(m).doesNotContainKey("recon_rows_applied{operation=\"update\",sync=\"nums\"}");
    }

    /**
     * A report that cannot be written (a full disk: /dev/full) costs the report, not the run's
     * figures: the metrics file is still written and says so, stderr says the sync converged,
     * and nothing is left beside the files (an operator's probe found the metrics lost).
     */
    @Test
    void aReportThatCannotBeWrittenStillWritesTheMetricsAndSaysWhatTheSyncDid() throws IOException {
        db.execute("ALTER TABLE dst DROP CONSTRAINT dst_amount_check");
        Path metrics = dir.resolve("full.prom");
        CliRun run = CliRun.run("sync", "-c", config.toString(), "--force", "-o", "/dev/full", "--metrics-file",
                metrics.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("the report could not be written (",
                "the sync itself converged: every difference was applied");
        Map<String, Double> m = samples(metrics);
        assertThat(m.get("recon_report_failed")).isEqualTo(1.0);
        assertThat(m.get("recon_converged{sync=\"nums\"}")).isEqualTo(1.0);
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(10L);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("full.prom", "recon.yaml");
        }
    }
}
