package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.testing.PgDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A sync killed with SIGKILL in the middle of writing loses nothing: the next run converges. */
class CrashRecoveryTest {
    static final int ROWS = 200_000;

    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @TempDir
    Path dir;

    @Test
    void aSyncKilledMidwayIsFinishedByTheNextRun() throws Exception {
        db.execute("""
                CREATE TABLE src (id bigint PRIMARY KEY, payload text, amount numeric(12,2));
                CREATE TABLE dst (id bigint PRIMARY KEY, body text, total numeric(12,2));
                INSERT INTO src SELECT g, md5(g::text), g / 100.0 FROM generate_series(1, %d) g;
                """.formatted(ROWS));
        Path config = dir.resolve("recon.yaml");
        Files.writeString(config, db.connectionsYaml() + """
                syncs:
                  - name: bulk
                    source: { connection: db, table: src }
                    target: { connection: db, table: dst }
                    key: { id: id }
                    columns: { payload: body, amount: total }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "sync", "-c", config.toString(), "--batch-size", "500")
                .redirectOutput(dir.resolve("child.out").toFile())
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        long written = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive()) {
            written = db.value("SELECT count(*) FROM dst", Long.class);
            if (written >= 5_000) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("the child finished before it could be killed; "
                + Files.readString(dir.resolve("child.err"))).isTrue();
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no cleanup
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);

        long afterKill = db.value("SELECT count(*) FROM dst", Long.class);
        assertThat(afterKill).isBetween(5_000L, (long) ROWS - 1);
        assertThat(afterKill % 500).as("only whole batches commit").isZero();

        CliRun next = CliRun.run("sync", "-c", config.toString(), "--format", "json");
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(next.out()).contains("\"insert\" : " + (ROWS - afterKill));
        assertThat(CliRun.run("diff", "-c", config.toString()).exitCode()).isZero();
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(ROWS);
        assertThat(db.rows("SELECT status FROM recon.run ORDER BY id").toString())
                .isEqualTo("[{status=aborted}, {status=converged}]");
    }
}
