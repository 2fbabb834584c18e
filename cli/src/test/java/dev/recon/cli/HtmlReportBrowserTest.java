package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.testing.PgDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --format html} opened in a real headless browser from {@code file://}, as a person
 * would open it: what it shows, that a value holding markup stays text, that the filter in the
 * address works, and a screenshot (target/screenshots/). Needs Debian's chromium ({@link Chromium}).
 */
class HtmlReportBrowserTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void seed() throws IOException {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;
                CREATE TABLE customers (id int PRIMARY KEY, name text, city text, vip boolean);
                CREATE TABLE customers_copy (id int PRIMARY KEY, name text, city text, vip boolean);
                INSERT INTO customers SELECT g, 'customer ' || g, 'Lyon', false FROM generate_series(1, 40) g;
                INSERT INTO customers_copy SELECT * FROM customers WHERE id <= 36;
                UPDATE customers SET city = 'Grenoble' WHERE id = 3;
                UPDATE customers SET name = '<img src=x onerror="document.body.setAttribute(''data-pwned'',1)">'
                    WHERE id = 4;
                UPDATE customers SET name = '<script>document.title="pwned"</script>' WHERE id = 5;
                INSERT INTO customers_copy VALUES (99, 'gone', 'Paris', true);
                CREATE TABLE orders (id int PRIMARY KEY, total numeric(10,2));
                CREATE TABLE orders_copy (id int PRIMARY KEY, total numeric(10,2));
                INSERT INTO orders VALUES (1, 10.50);
                INSERT INTO orders_copy VALUES (1, 10.50);
                """);
        config = dir.resolve("recon.yaml");
        Files.writeString(config, db.connectionsYaml() + """
                syncs:
                  - name: customers
                    source: { connection: db, table: customers }
                    target: { connection: db, table: customers_copy }
                    key: { id: id }
                  - name: orders
                    source: { connection: db, table: orders }
                    target: { connection: db, table: orders_copy }
                    key: { id: id }
                """);
    }

    @Test
    void theDiffReportShowsMappingsCountsAndValuesAndRunsNoValue() throws Exception {
        Path report = dir.resolve("report.html");
        CliRun diff = CliRun.run("diff", "-c", config.toString(), "--format", "html", "-o", report.toString());
        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(1);
        String dom = Chromium.dom(report.toUri().toString(), dir);
        String text = text(dom);
        assertThat(text).contains("recon diff: differences found", "customers", "orders", "in sync",
                "public.customers → public.customers_copy");
        // the mappings table: 4 to insert (37-40), 3 to update (3, 4, 5), 1 to delete (99)
        assertThat(dom).contains("<td class=\"n\">4</td><td class=\"n\">3</td><td class=\"n\">1</td>");
        assertThat(text).contains("Lyon", "Grenoble");
        // markup in a value is text on the page: shown, never run
        assertThat(text).contains("<img src=x onerror=", "<script>document.title=\"pwned\"</script>");
        // (had either run, the body would carry data-pwned and the title would be "pwned")
        assertThat(dom).doesNotContainPattern("<body[^>]*data-pwned").doesNotContainPattern("<img[ >]")
                .contains("<title>recon diff: differences found</title>");
        Chromium.screenshot(report.toUri().toString(), Path.of("target/screenshots/report.png"), 1280, 1700, dir);
    }

    @Test
    void aFilterInTheAddressHidesTheRowsThatDoNotMatch() throws Exception {
        Path report = dir.resolve("report.html");
        assertThat(CliRun.run("diff", "-c", config.toString(), "--format", "html", "-o", report.toString()).exitCode())
                .isEqualTo(1);
        String dom = Chromium.dom(report.toUri() + "#filter=grenoble", dir);
        assertThat(count(dom, "<tbody class=\"change [a-z]+\" data-kind=\"[a-z]+\">")).isEqualTo(1);
        assertThat(count(dom, "<tbody class=\"change [a-z]+\" data-kind=\"[a-z]+\" hidden=\"\">")).isEqualTo(7);
    }

    @Test
    void theSyncReportCountsWhatWasWrittenAndWhatFailed() throws Exception {
        db.execute("ALTER TABLE customers_copy ADD CONSTRAINT no_markup CHECK (name NOT LIKE '<%')");
        Path report = dir.resolve("sync.html");
        CliRun sync = CliRun.run("sync", "-c", config.toString(), "--format", "html", "-o", report.toString());
        assertThat(sync.exitCode()).as(sync.err()).isEqualTo(1);
        String text = text(Chromium.dom(report.toUri().toString(), dir));
        assertThat(text).contains("recon sync: some rows failed", "Failed rows (retried by the next run)",
                "no_markup", "23514");
        Chromium.screenshot(report.toUri().toString(), Path.of("target/screenshots/sync-report.png"), 1280, 900, dir);
    }

    /** The page's text, roughly as it reads: tags dropped, entities decoded. */
    static String text(String dom) {
        String body = dom.replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ");
        String title = "";
        Matcher t = Pattern.compile("<title>(.*?)</title>").matcher(dom);
        if (t.find()) {
            title = t.group(1);
        }
        return (title + " " + body.replaceAll("<[^>]+>", " ")).replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&").replaceAll("[ \\t]+", " ");
    }

    private static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
