package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recon serve}'s dashboard ({@code GET /}) and the run reports it links to, in a child
 * JVM, read over HTTP and in a real headless browser ({@link Chromium}).
 */
class DashboardBrowserTest {
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

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDashboardShowsEachMappingsRunsStuckRowsAndLinksToTheirReports() throws Exception {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE src (id int PRIMARY KEY, label text);
                CREATE TABLE dst (id int PRIMARY KEY, label text CHECK (label NOT LIKE '%<%'));
                INSERT INTO src SELECT g, 'row ' || g FROM generate_series(1, 20) g;
                INSERT INTO dst SELECT g, 'row ' || g FROM generate_series(1, 15) g;
                UPDATE src SET label = '<b onmouseover=alert(1)>bold</b>' WHERE id = 2;
                """);
        Path config = dir.resolve("recon.yaml");
        Files.writeString(config, db.connectionsYaml() + """
                syncs:
                  - name: labels
                    source: { connection: db, table: src }
                    target: { connection: db, table: dst }
                    key: { id: id }
                """);
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        child = ChildRecon.start(dir, "serve", "-c", config.toString(), "--schedule", "*/2 * * * * *", "--bind",
                "127.0.0.1", "--port", String.valueOf(port), "--keep-reports", "2");
        // the row with markup is refused on every run: after three it is stuck
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Map<String, Double> m = Map.of();
        while (System.nanoTime() < deadline
                && m.getOrDefault("recon_runs_total{outcome=failed_rows,sync=labels}", 0.0) < 3) {
            assertThat(child.process().isAlive()).as(child.stderr()).isTrue();
            try {
                m = PromText.parse(get("/metrics").body());
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        assertThat(m.getOrDefault("recon_runs_total{outcome=failed_rows,sync=labels}", 0.0)).as(child.stderr())
                .isGreaterThanOrEqualTo(3);

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).startsWith("default-src 'none'");
        String html = page.body();
        assertThat(html).contains("<title>recon serve: up · 1 mapping with failed rows · 1 row stuck</title>",
                "<header class=\"status diff\">", "<a href=\"#m-0\">labels</a>",
                "<h4>Stuck rows (refused run after run)</h4>", "label_check", "23514",
                "rows on a log scale (lines at 1, 10, 100, …)", "class=\"count\">1</text>");
        // reports are kept for the last two runs only: two links, and an older run's report is gone
        Matcher links = Pattern.compile("<a href=\"(/runs/(\\d+)\\?sync=labels)\">report</a>").matcher(html);
        assertThat(links.find()).isTrue();
        String newest = links.group(1);
        assertThat(links.find()).isTrue();
        assertThat(links.find()).isFalse();
        HttpResponse<String> report = get(newest);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("<title>recon sync: some rows failed</title>",
                "&lt;b onmouseover=alert(1)&gt;bold&lt;/b&gt;");
        assertThat(get("/runs/1?sync=labels").statusCode()).isEqualTo(404);
        assertThat(get(newest.replace("sync=labels", "sync=other")).statusCode()).isEqualTo(404);
        assertThat(get(newest.replace("?sync=labels", "")).body()).contains("needs the mapping");
        assertThat(get("/runs/x").statusCode()).isEqualTo(404);

        String dom = Chromium.dom("http://127.0.0.1:" + port + "/", dir);
        String text = HtmlReportBrowserTest.text(dom);
        assertThat(text).contains("recon serve: up", "labels", "failed rows", "Stuck rows (refused run after run)",
                "differences found");
        // the report as served, opened from a file: serve keeps two runs' reports and runs every two
        // seconds, so by the time a browser has started the served one may be gone
        Path served = dir.resolve("served-report.html");
        Files.writeString(served, report.body());
        String reportDom = Chromium.dom(served.toUri().toString(), dir);
        assertThat(HtmlReportBrowserTest.text(reportDom)).contains("<b onmouseover=alert(1)>bold</b>");
        assertThat(reportDom).doesNotContain("<b onmouseover");
        Chromium.screenshot("http://127.0.0.1:" + port + "/", Path.of("target/screenshots/dashboard.png"), 1280, 900,
                dir);

        child.process().destroy();
        assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
}
