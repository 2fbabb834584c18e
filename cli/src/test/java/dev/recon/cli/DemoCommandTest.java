package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first command in README.md: an embedded PostgreSQL, nothing installed. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoShowsARealReconciliationOnAnEmbeddedServerAndAHintThatWorks() throws Exception {
        CliRun run = CliRun.run("demo", "--dir", dir.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(
                "orders: recon_demo.source_order -> recon_demo.destination_order (strategy join",
                "  2 to insert, 3 to update, 2 to delete",
                "    code=ORD-1006\n    code=ORD-1008\n",
                "      total_price: 12.00 -> 12.50",
                "      number_of_items: 4 -> 5",
                "      email: old@example.com -> NULL",
                "    code=ORD-0999\n    code=ORD-1007\n");
        assertThat(Files.readString(dir.resolve("recon.yaml"))).contains("key: { reference: code }");
        assertThat(Files.readString(dir.resolve("report.txt"))).contains("2 to insert, 3 to update, 2 to delete");
        assertThat(run.out()).endsWith("""
                Report written to %1$s/report.txt. The embedded PostgreSQL stops now, so %1$s/recon.yaml has no\
                 server to reach. Next:
                  ./recon demo --keep --dir %1$s
                keeps it running until Ctrl-C; then, in another terminal:
                  ./recon sync -c %1$s/recon.yaml --dry-run
                Or use a PostgreSQL of yours: ./recon demo --url JDBC_URL. The rest of the tour is in README.md.
                """.formatted(dir));
        theHintWorks(run.out());
    }

    /**
     * Runs the commands the demo printed, as a reader would: the first (the demo again, with
     * --keep) in a process of its own until it says the server keeps running, the second from
     * "another terminal"; a dry run with changes to write exits 1 (docs/cli.md).
     */
    private void theHintWorks(String out) throws IOException, InterruptedException {
        List<List<String>> commands = out.lines().filter(l -> l.startsWith("  ./recon "))
                .map(l -> List.of(l.substring("  ./recon ".length()).split(" "))).toList();
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0)).startsWith("demo", "--keep");
        Path child = Files.createDirectories(dir.resolve("child"));
        ChildRecon kept = ChildRecon.start(child, commands.get(0).toArray(String[]::new));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(kept.out()).contains("keeps running at")) {
                assertThat(kept.process().isAlive()).as(kept.stderr()).isTrue();
                assertThat(System.nanoTime()).as("the kept demo started").isLessThan(deadline);
                Thread.sleep(100);
            }
            CliRun next = CliRun.run(commands.get(1).toArray(String[]::new));
            assertThat(next.exitCode()).as(next.err()).isEqualTo(1);
            assertThat(next.out()).contains("  2 to insert, 3 to update, 2 to delete",
                    "would write: 2 inserts and 3 updates (1 batch), 2 to delete (1 batch)");
        } finally {
            kept.process().destroy();
            assertThat(kept.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(kept.out())).contains("Stopping the embedded PostgreSQL.");
    }
}
