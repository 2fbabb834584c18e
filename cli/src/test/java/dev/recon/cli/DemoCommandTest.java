package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first command in README.md: an embedded PostgreSQL, nothing installed. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoShowsARealReconciliationOnAnEmbeddedServer() throws IOException {
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
    }
}
