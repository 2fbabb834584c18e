package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.testing.PgDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync killed with SIGKILL in the middle of writing loses nothing, and one sent SIGTERM
 * stops after the batch in flight and says so: either way the next run converges.
 */
class CrashRecoveryTest {
    static final int ROWS = 200_000;

    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @TempDir
    Path dir;

    private Path seed() throws Exception {
        db.execute("""
                DROP TABLE IF EXISTS src, dst; DROP FUNCTION IF EXISTS slow_batch(); DROP SCHEMA IF EXISTS recon CASCADE;
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
        return config;
    }

    /** Waits until the child has committed at least {@code rows} rows. */
    private void awaitWrites(ChildRecon child, long rows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.process().isAlive()) {
            if (db.value("SELECT count(*) FROM dst", Long.class) >= rows) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(child.process().isAlive()).as("the child finished before it could be signalled; "
                + child.stderr()).isTrue();
    }

    @Test
    void aSyncKilledMidwayIsFinishedByTheNextRun() throws Exception {
        Path config = seed();
        // each batch takes at least 20 ms (400 batches: 8 s), so however fast the machine, the kill
        // lands while the initial load is still writing
        db.execute("""
                CREATE FUNCTION slow_batch() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(0.02); RETURN NULL; END $$;
                CREATE TRIGGER slow_batch AFTER INSERT ON dst FOR EACH STATEMENT EXECUTE FUNCTION slow_batch();
                """);
        ChildRecon child = ChildRecon.start(dir, "sync", "-c", config.toString(), "--batch-size", "500");
        awaitWrites(child, 5_000);
        child.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no cleanup
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.process().exitValue()).isEqualTo(137);
        db.execute("DROP TRIGGER slow_batch ON dst; DROP FUNCTION slow_batch()");

        long afterKill = db.value("SELECT count(*) FROM dst", Long.class);
        assertThat(afterKill).isBetween(5_000L, (long) ROWS - 1);
        assertThat(afterKill % 500).as("only whole batches commit").isZero();

        CliRun next = CliRun.run("sync", "-c", config.toString(), "--format", "json");
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(next.out()).contains("\"insert\" : " + (ROWS - afterKill));
        assertThat(CliRun.run("diff", "-c", config.toString()).exitCode()).isZero();
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(ROWS);
        // each batch counted itself in the history within its own transaction: the killed run's count is exact
        assertThat(db.rows("SELECT status, inserted FROM recon.run ORDER BY id").toString())
                .isEqualTo("[{status=aborted, inserted=" + afterKill + "}, {status=converged, inserted="
                        + (ROWS - afterKill) + "}]");
    }

    @Test
    void aSyncSentSigtermStopsAfterTheBatchInFlight() throws Exception {
        Path config = seed();
        // paced, so that the run is still writing when the signal arrives
        ChildRecon child = ChildRecon.start(dir, "sync", "-c", config.toString(), "--batch-size", "500",
                "--max-rows-per-second", "20000");
        awaitWrites(child, 5_000);
        child.process().destroy(); // SIGTERM on Linux
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        String err = child.stderr();
        assertThat(child.process().exitValue()).as(err).isEqualTo(Main.ERROR);

        long afterStop = db.value("SELECT count(*) FROM dst", Long.class);
        assertThat(afterStop).isBetween(5_000L, (long) ROWS - 1);
        assertThat(afterStop % 500).as("only whole batches commit").isZero();
        assertThat(err).contains("SIGTERM: stopping after the batch in flight");
        // the text report on stdout says where it stopped (once: stderr does not repeat it)
        assertThat(Files.readString(child.out())).contains("error: mapping 'bulk': stopped"
                + " (SIGTERM) after committing " + afterStop + " inserts, 0 updates and 0 deletes of " + ROWS
                + " differences; the next run applies the rest");
        assertThat(db.rows("SELECT status, inserted FROM recon.run ORDER BY id").toString())
                .isEqualTo("[{status=stopped, inserted=" + afterStop + "}]");

        CliRun next = CliRun.run("sync", "-c", config.toString(), "--format", "json");
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(next.out()).contains("\"insert\" : " + (ROWS - afterStop));
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(ROWS);
    }

    @Test
    void oneStopDeliveredTwiceAtOnceIsOneStop() throws Exception {
        Path config = seed();
        ChildRecon child = ChildRecon.start(dir, "sync", "-c", config.toString(), "--batch-size", "500",
                "--max-rows-per-second", "20000");
        awaitWrites(child, 5_000);
        // as a stop of the whole process group reaches the JVM and the launcher, which passes it on
        child.process().destroy();
        child.process().destroy();
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        String err = child.stderr();
        assertThat(child.process().exitValue()).as(err).isEqualTo(Main.ERROR);
        assertThat(err).contains("SIGTERM: stopping after the batch in flight").doesNotContain("stopping now");
        long afterStop = db.value("SELECT count(*) FROM dst", Long.class);
        assertThat(afterStop % 500).as("only whole batches commit").isZero();
        assertThat(db.rows("SELECT status, inserted FROM recon.run ORDER BY id").toString())
                .isEqualTo("[{status=stopped, inserted=" + afterStop + "}]");
    }
}
