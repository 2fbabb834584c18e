package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.testing.PgDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recon init} as a user runs it: docs/init.md's example is what it writes, validate
 * accepts it (for diffs; the example's NOT NULL column nothing fills is the one problem of a
 * sync, as the file says), an existing file is kept, --dry-run prints the table, passwords stay out.
 */
class InitCommandTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @TempDir
    Path dir;

    @BeforeEach
    void seed() {
        // the tables of docs/init.md's example
        db.execute("""
                DROP SCHEMA IF EXISTS legacy CASCADE; DROP SCHEMA IF EXISTS app CASCADE;
                CREATE SCHEMA legacy; CREATE SCHEMA app;
                CREATE TABLE legacy.tbl_cust (cust_id integer PRIMARY KEY, cust_nm varchar(100), e_mail varchar(200),
                    fax_no varchar(30), crt_dt timestamp);
                CREATE TABLE app.customers (customer_id bigint PRIMARY KEY, customer_name text, contact_name text,
                    email text, created_at timestamp, loyalty_tier text NOT NULL);
                CREATE TABLE legacy.products (id integer PRIMARY KEY, name text, price numeric(10,2), descr text);
                CREATE TABLE app.products (id integer PRIMARY KEY, name text, price numeric(10,2), description text);
                CREATE TABLE legacy.audit_log (at timestamp, msg text);
                CREATE TABLE app.events (at timestamp, message text);
                CREATE TABLE legacy.tmp_import (line text);
                INSERT INTO legacy.tbl_cust VALUES (1, 'Ada', 'ada@example.com', NULL, NULL), (2, 'Bob', NULL, NULL, NULL);
                INSERT INTO app.customers VALUES (1, 'Ada', NULL, 'ada@example.com', NULL, 'gold');
                """);
    }

    private String[] init(String... more) {
        String[] base = {"init", "--source", db.url(), "--target", db.url(), "--source-schema", "legacy",
            "--target-schema", "app"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void writesTheFileOfTheDocsAndValidateAcceptsIt() throws IOException {
        Path file = dir.resolve("recon.yaml");
        CliRun run = CliRun.run(init("-o", file.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("Wrote " + file + ": 3 table pairs, 10 column pairs (6 of them by likeness",
                "1 source and 0 target tables paired with none", "Next: recon validate -c " + file);
        String written = Files.readString(file);
        Matcher example = Pattern.compile("(?s)```yaml\\n(# yaml-language-server.*?)```")
                .matcher(Files.readString(Path.of("..", "docs", "init.md")));
        assertThat(example.find()).isTrue();
        assertThat(written).isEqualTo(example.group(1)
                .replace("2026-12-07", LocalDate.now().toString())
                .replace("jdbc:postgresql://127.0.0.1:5432/test?user=postgres", db.url()));

        CliRun validate = CliRun.run("validate", "--diff-only", "-c", file.toString());
        assertThat(validate.exitCode()).as(validate.err()).isZero();
        // a sync needs the NOT NULL column the file names mapped, and says so
        CliRun sync = CliRun.run("validate", "-c", file.toString());
        assertThat(sync.exitCode()).isEqualTo(Main.ERROR);
        assertThat(sync.err()).contains("'loyalty_tier'", "NOT NULL without a default and is not mapped");
        CliRun diff = CliRun.run("diff", "-c", file.toString(), "--sync", "customers", "--samples", "0");
        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(Main.DIFFERENCES);
        assertThat(diff.out()).contains("1 to insert, 0 to update, 0 to delete");
    }

    @Test
    void anExistingFileIsKeptUnlessForced() throws IOException {
        Path file = dir.resolve("recon.yaml");
        Files.writeString(file, "mine\n");
        CliRun refused = CliRun.run(init("-o", file.toString()));
        assertThat(refused.exitCode()).isEqualTo(Main.ERROR);
        assertThat(refused.err()).contains("-o " + file + ": the file exists; give --force to overwrite it");
        assertThat(Files.readString(file)).isEqualTo("mine\n");
        CliRun forced = CliRun.run(init("-o", file.toString(), "--force"));
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Files.readString(file)).contains("  - name: customers\n");
        assertThat(dir.toFile().list()).containsExactly("recon.yaml"); // nothing left beside it
    }

    @Test
    void dryRunPrintsThePairingAndWritesNothing() {
        CliRun both = CliRun.run(init("--dry-run", "-o", dir.resolve("x.yaml").toString()));
        assertThat(both.exitCode()).isEqualTo(Main.ERROR);
        assertThat(both.err()).contains("--dry-run prints the pairing and writes no file");
        CliRun run = CliRun.run(init("--dry-run"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("legacy (db) -> app (db): 3 table pairs, 10 column pairs\n",
                "tbl_cust    customers            0.88        products 0.26\n",
                "  cust_nm     customer_name      0.93        contact_name 0.57\n", "tmp_import  -\n");
        assertThat(dir.resolve("x.yaml")).doesNotExist();
    }

    /** As a report is written: a link followed, a device written to as it is, a missing directory an error. */
    @Test
    void theOutputIsWrittenAsReportsAre() throws IOException {
        Path real = dir.resolve("real.yaml");
        Files.writeString(real, "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), real);
        CliRun forced = CliRun.run(init("-o", link.toString(), "--force"));
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).contains("  - name: customers\n");
        CliRun device = CliRun.run(init("-o", "/dev/null"));
        assertThat(device.exitCode()).as(device.err()).isZero();
        assertThat(Path.of("/dev/null")).satisfies(p -> assertThat(Files.isRegularFile(p)).isFalse());
        CliRun missing = CliRun.run(init("-o", dir.resolve("no/such/dir/recon.yaml").toString()));
        assertThat(missing.exitCode()).isEqualTo(Main.ERROR);
        assertThat(missing.err()).contains("directory " + dir.resolve("no/such/dir") + " does not exist");
        assertThat(dir.resolve("no")).doesNotExist();
    }

    @Test
    void aPasswordIsNamedNeverWritten() {
        String withPassword = db.url() + "&password=s3cret";
        CliRun run = CliRun.run("init", "--source", withPassword, "--target", db.url(), "--source-schema", "legacy",
                "--target-schema", "app", "-o", "-");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("  source:\n    url: \"" + db.url() + "\"\n    password: ${RECON_SOURCE_PASSWORD}\n",
                "  target:\n    url: \"" + db.url() + "\"\n").doesNotContain("s3cret");
    }

    @Test
    void badInputIsAClearError() {
        CliRun url = CliRun.run("init", "--source", "postgres://x", "--target", db.url());
        assertThat(url.exitCode()).isEqualTo(Main.ERROR);
        assertThat(url.err()).contains("--source 'postgres://x' is not a JDBC URL recon knows")
                .doesNotContain("Exception");
        CliRun schema = CliRun.run(init("--source-schema", "nope").clone());
        assertThat(schema.exitCode()).isEqualTo(Main.ERROR);
        CliRun missing = CliRun.run("init", "--source", db.url());
        assertThat(missing.exitCode()).isEqualTo(Main.ERROR);
        assertThat(missing.err()).contains("Missing required option: '--target=JDBC_URL'");
        // a password in the URL is not repeated by the driver's error
        CliRun leak = CliRun.run("init", "--source", "jdbc:postgresql://probe:urlpw@127.0.0.1:5432/x", "--target",
                db.url());
        assertThat(leak.exitCode()).isEqualTo(Main.ERROR);
        assertThat(leak.err()).contains("cannot connect to connection 'source'").doesNotContain("urlpw");
        CliRun mariadb = CliRun.run("init", "--source", "jdbc:mariadb://root:urlpw@127.0.0.1:3306/x?sslMode=disable",
                "--target", db.url());
        assertThat(mariadb.exitCode()).isEqualTo(Main.ERROR);
        assertThat(mariadb.err()).doesNotContain("urlpw");
    }
}
