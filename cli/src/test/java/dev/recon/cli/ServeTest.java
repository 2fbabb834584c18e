package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.testing.PgDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code recon serve} in a child JVM: runs on a seconds-level schedule, never overlaps a mapping, stops on SIGTERM. */
class ServeTest {
    static final int ROWS = 200_000;

    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    int port;
    ChildRecon child;

    @AfterEach
    void stopChild() {
        if (child != null) {
            child.process().destroyForcibly();
        }
    }

    private Path config(String table) throws IOException {
        Path config = dir.resolve("recon.yaml");
        Files.writeString(config, db.connectionsYaml() + """
                syncs:
                  - name: nums
                    source: { connection: db, table: %s }
                    target: { connection: db, table: dst }
                    key: { id: id }
                    columns: { n: amount }
                """.formatted(table));
        return config;
    }

    private void serve(Path config, String schedule, String... more) throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] args = {"serve", "-c", config.toString(), "--schedule", schedule, "--bind", "127.0.0.1",
                "--port", String.valueOf(port)};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        child = ChildRecon.start(dir, all);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls /metrics until {@code until} holds; returns those samples. */
    private Map<String, Double> metricsWhen(Predicate<Map<String, Double>> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(child.process().isAlive()).as(child.stderr()).isTrue();
            try {
                Map<String, Double> m = PromText.parse(get("/metrics").body());
                if (until.test(m)) {
                    return m;
                }
            } catch (IOException notListeningYet) {
                // the child is still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the metrics never got there; stderr:\n" + child.stderr());
    }

    private int sigterm() throws Exception {
        child.process().destroy();
        assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).as(child.stderr()).isTrue();
        return child.process().exitValue();
    }

    @Test
    void runsOnItsScheduleServingMetricsAndHealthAndStopsOnSigterm() throws Exception {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE src (id int PRIMARY KEY, n int);
                CREATE TABLE dst (id int PRIMARY KEY, amount int);
                INSERT INTO src SELECT g, g FROM generate_series(1, 10) g;
                INSERT INTO dst SELECT g, g FROM generate_series(3, 12) g;
                """);
        // every other second: a cold child's first run (JVM start, state schema) may take longer than one
        serve(config("src"), "*/2 * * * * *", "--force");

        Map<String, Double> m = metricsWhen(s -> s.getOrDefault("recon_runs_total{outcome=converged,sync=nums}", 0.0)
                >= 2);
        // the first run applied 2 inserts and 2 deletes; the later ones found nothing to do
        assertThat(m.get("recon_converged{sync=nums}")).isEqualTo(1.0);
        assertThat(m.get("recon_differences{operation=insert,strategy=join,sync=nums}")).isEqualTo(0.0);
        assertThat(m.get("recon_runs_total{outcome=error,sync=nums}")).as(child.stderr()).isEqualTo(0.0);
        // (a cold first run on a busy machine may outlast two seconds and make the next one skip:
        // skipping is the second test's subject, so it is not counted here)
        assertThat(m).containsKey("recon_runs_skipped_total{sync=nums}");
        assertThat(m.get("recon_last_converged_timestamp_seconds{sync=nums}"))
                .isCloseTo(System.currentTimeMillis() / 1000.0, Offset.offset(30.0));
        assertThat(m).containsKey("recon_next_run_timestamp_seconds");
        assertThat(db.rows("SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM dst").toString())
                .isEqualTo("[{n=10, lo=1, hi=10}]");

        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode h = new ObjectMapper().readTree(health.body());
        assertThat(h.get("status").asText()).isEqualTo("up");
        assertThat(h.get("schedule").asText()).isEqualTo("*/2 * * * * *");
        assertThat(h.get("syncs").get("nums").get("last_outcome").asText()).isEqualTo("converged");
        assertThat(get("/nothing").statusCode()).isEqualTo(404);

        assertThat(sigterm()).isZero();
        assertThat(child.stderr()).contains("SIGTERM: no new runs", "INFO  ServeCommand - stopped");
        assertThat(db.rows("SELECT DISTINCT status FROM recon.run").toString()).isEqualTo("[{status=converged}]");
    }

    @Test
    void healthStaysUpWhileRowsAreStuckAndReadySaysSo() throws Exception {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE src (id int PRIMARY KEY, n int);
                CREATE TABLE dst (id int PRIMARY KEY, amount int CONSTRAINT small CHECK (amount < 9));
                INSERT INTO src SELECT g, g FROM generate_series(1, 10) g;
                """);
        serve(config("src"), "* * * * * *");
        // rows 9 and 10 are refused run after run: stuck after three
        metricsWhen(s -> s.getOrDefault("recon_rows_stuck{sync=nums}", 0.0) >= 2);
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).as("liveness").isEqualTo(200);
        JsonNode h = new ObjectMapper().readTree(health.body());
        assertThat(h.get("status").asText()).isEqualTo("up");
        assertThat(h.get("ready").asBoolean()).isFalse();
        assertThat(h.get("failed_rows").asLong()).isEqualTo(2);
        assertThat(h.get("stuck_rows").asLong()).isEqualTo(2);
        assertThat(h.get("not_ready").toString()).isEqualTo("[\"nums: 2 stuck rows (refused 3 or more runs in a row;"
                + " recon history --sync nums --failed)\"]");
        assertThat(h.get("syncs").get("nums").get("failed_rows").asLong()).isEqualTo(2);
        assertThat(h.get("syncs").get("nums").get("stuck_rows").asLong()).isEqualTo(2);
        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(new ObjectMapper().readTree(ready.body()).get("stuck_rows").asLong()).isEqualTo(2);

        // the target takes them: ready again once a run converges
        db.execute("ALTER TABLE dst DROP CONSTRAINT small");
        metricsWhen(s -> s.getOrDefault("recon_converged{sync=nums}", 0.0) == 1.0);
        HttpResponse<String> again = get("/ready");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode r = new ObjectMapper().readTree(again.body());
        assertThat(r.get("ready").asBoolean()).isTrue();
        assertThat(r.get("not_ready")).isEmpty();
        assertThat(r.get("failed_rows").asLong()).isZero();
        assertThat(r.get("stuck_rows").asLong()).isZero();
        assertThat(sigterm()).isZero();
    }

    @Test
    void aMappingStillRunningIsSkippedAndSigtermStopsItAfterTheBatchInFlight() throws Exception {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE big (id int PRIMARY KEY, n int);
                CREATE TABLE dst (id int PRIMARY KEY, amount int);
                INSERT INTO big SELECT g, g FROM generate_series(1, %d) g;
                """.formatted(ROWS));
        // paced to about 10 s, so that ticks come while the first run is still writing
        serve(config("big"), "* * * * * *", "--batch-size", "500", "--max-rows-per-second", "20000");

        Map<String, Double> m = metricsWhen(s -> s.getOrDefault("recon_runs_skipped_total{sync=nums}", 0.0) >= 2);
        assertThat(m.get("recon_run_in_progress{sync=nums}")).isEqualTo(1.0);
        assertThat(new ObjectMapper().readTree(get("/health").body()).get("syncs").get("nums").get("running")
                .asBoolean()).isTrue();
        assertThat(child.stderr()).contains("nums - skipped this run: the previous one, started at ");
        // the ticks may come while a slow first run still compares: stop it once it writes
        for (int i = 0; i < 100 && db.value("SELECT count(*) FROM dst", Long.class) < 500; i++) {
            Thread.sleep(100);
        }

        assertThat(sigterm()).as(child.stderr()).isZero();
        long written = db.value("SELECT count(*) FROM dst", Long.class);
        assertThat(written).isBetween(500L, ROWS - 1L);
        assertThat(written % 500).as("only whole batches commit").isZero();
        // one run in all, despite the ticks while it ran, and it says where it stopped
        assertThat(db.rows("SELECT status, inserted FROM recon.run").toString())
                .isEqualTo("[{status=stopped, inserted=" + written + "}]");

        CliRun next = CliRun.run("sync", "-c", dir.resolve("recon.yaml").toString());
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(ROWS);
    }

    @Test
    void badSchedulesAndUnknownMappingsAreRefusedBeforeServing() throws Exception {
        Path config = config("src");
        CliRun fourFields = CliRun.run("serve", "-c", config.toString(), "--schedule", "0 2 * *");
        assertThat(fourFields.exitCode()).isEqualTo(2);
        assertThat(fourFields.err()).contains("--schedule '0 2 * *' has 4 fields; expected 5 (minute hour"
                + " day-of-month month day-of-week, as in crontab) or 6 (seconds first)");
        CliRun badHour = CliRun.run("serve", "-c", config.toString(), "--schedule", "0 25 * * *");
        assertThat(badHour.exitCode()).isEqualTo(2);
        assertThat(badHour.err()).contains("--schedule '0 25 * * *' is not a valid cron expression");
        CliRun unknown = CliRun.run("serve", "-c", config.toString(), "--schedule", "0 2 * * *", "--sync", "nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("error: --sync names no mapping of " + config + ": nope (mappings: nums)");
    }
}
