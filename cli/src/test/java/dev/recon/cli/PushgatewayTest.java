package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.testing.PgDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --pushgateway}, against a real Pushgateway: what it serves after the push. */
class PushgatewayTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @RegisterExtension
    static final Pushgateway gateway = new Pushgateway();

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void seed() throws Exception {
        gateway.deleteAll();
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE src (id int PRIMARY KEY, n int);
                CREATE TABLE dst (id int PRIMARY KEY, amount int CHECK (amount <> 7));
                CREATE TABLE dst2 (id int PRIMARY KEY, amount int);
                INSERT INTO src SELECT g, g FROM generate_series(1, 10) g;
                INSERT INTO dst SELECT g, g * 10 FROM generate_series(2, 9) g;
                INSERT INTO dst VALUES (11, 11), (12, 12);
                INSERT INTO dst2 SELECT g, g FROM generate_series(1, 10) g;
                """);
        config = dir.resolve("recon.yaml");
        Files.writeString(config, db.connectionsYaml() + """
                syncs:
                  - name: nums
                    source: { connection: db, table: src }
                    target: { connection: db, table: dst }
                    key: { id: id }
                    columns: { n: amount }
                  - name: copy
                    source: { connection: db, table: src }
                    target: { connection: db, table: dst2 }
                    key: { id: id }
                    columns: { n: amount }
                """);
    }

    private static String key(String name, String labels) {
        return name + "{instance=,job=recon," + labels + "}";
    }

    @Test
    void thePushgatewayServesTheReportsNumbersOneGroupPerMapping() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        CliRun run = CliRun.run("sync", "-c", config.toString(), "--format", "json", "--force",
                "--pushgateway", gateway.url());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        JsonNode nums = new ObjectMapper().readTree(run.out()).get("syncs").get(0);
        assertThat(nums.get("counts").toString()).isEqualTo("{\"insert\":2,\"update\":8,\"delete\":2}");

        Map<String, Double> m = gateway.samples();
        for (String op : List.of("insert", "update", "delete")) {
            assertThat(m.get(key("recon_differences", "operation=" + op + ",strategy=join,sync=nums")))
                    .isEqualTo(nums.get("counts").get(op).asDouble());
            assertThat(m.get(key("recon_rows_applied", "operation=" + op + ",sync=nums")))
                    .isEqualTo(nums.get("applied").get(op).asDouble());
        }
        assertThat(m.get(key("recon_rows_applied", "operation=update,sync=nums"))).isEqualTo(7.0);
        assertThat(m.get(key("recon_rows_failed", "sync=nums"))).isEqualTo(1.0);
        assertThat(m.get(key("recon_converged", "sync=nums"))).isEqualTo(0.0);
        assertThat(m.get(key("recon_error", "sync=nums"))).isEqualTo(0.0);
        assertThat(m).doesNotContainKey(key("recon_last_converged_timestamp_seconds", "sync=nums"));
        // the second mapping was already equal: its own group, converged
        assertThat(m.get(key("recon_converged", "sync=copy"))).isEqualTo(1.0);
        assertThat(m.get(key("recon_differences", "operation=update,strategy=join,sync=copy"))).isEqualTo(0.0);
        assertThat(m.get(key("recon_last_converged_timestamp_seconds", "sync=copy")))
                .isBetween(before - 5.0, before + 60.0);
        // the Pushgateway's own record of each group's push
        assertThat(m.keySet()).contains(key("push_time_seconds", "sync=nums"), key("push_time_seconds", "sync=copy"));

        // the next push replaces the group's values
        db.execute("ALTER TABLE dst DROP CONSTRAINT dst_amount_check");
        assertThat(CliRun.run("sync", "-c", config.toString(), "--sync", "nums", "--pushgateway", gateway.url())
                .exitCode()).isZero();
        Map<String, Double> after = gateway.samples();
        assertThat(after.get(key("recon_converged", "sync=nums"))).isEqualTo(1.0);
        assertThat(after.get(key("recon_rows_applied", "operation=update,sync=nums"))).isEqualTo(1.0);
        assertThat(after.get(key("recon_rows_failed", "sync=nums"))).isEqualTo(0.0);
    }

    @Test
    void aMappingThatEndsInAnErrorIsPushedAsAnError() throws Exception {
        db.execute("INSERT INTO dst2 SELECT g, g FROM generate_series(100, 200) g");
        CliRun run = CliRun.run("sync", "-c", config.toString(), "--sync", "copy", "--pushgateway", gateway.url());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("mapping 'copy': the sync would delete 101 of 111 rows");
        Map<String, Double> m = gateway.samples();
        assertThat(m.get(key("recon_error", "sync=copy"))).isEqualTo(1.0);
        assertThat(m).doesNotContainKey(key("recon_converged", "sync=copy"));
    }

    @Test
    void anUnreachablePushgatewayIsAnErrorThatKeepsItsPasswordSecret() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRun run = CliRun.run("sync", "-c", config.toString(), "--format", "json", "--force",
                "--pushgateway", "http://ops:s3cr3t-pw@127.0.0.1:" + closed);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: cannot push the metrics to the Pushgateway at http://127.0.0.1:"
                + closed + " (the run itself finished; its report is complete)", "mapping 'nums': ",
                "mapping 'copy': ");
        assertThat(run.out() + run.err()).doesNotContain("s3cr3t-pw");
        // the run itself happened and its report was written
        assertThat(new ObjectMapper().readTree(run.out()).get("syncs")).hasSize(2);
    }
}
