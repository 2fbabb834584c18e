package dev.recon.cli;

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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Prometheus Pushgateway (Debian's prometheus-pushgateway) started on a free
 * loopback port for one test class. Found at $RECON_PUSHGATEWAY_BIN or
 * /usr/bin/prometheus-pushgateway; when it is missing the tests are skipped, unless
 * RECON_REQUIRE_PUSHGATEWAY=1 (as in CI), which makes that a failure.
 */
final class Pushgateway implements BeforeAllCallback, AfterAllCallback {
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path binary = Path.of(System.getenv().getOrDefault("RECON_PUSHGATEWAY_BIN", "/usr/bin/prometheus-pushgateway"));
        if (!Files.isExecutable(binary)) {
            if ("1".equals(System.getenv("RECON_REQUIRE_PUSHGATEWAY"))) {
                throw new IllegalStateException("RECON_REQUIRE_PUSHGATEWAY=1 but there is no Pushgateway at " + binary
                        + " (apt-get install prometheus-pushgateway)");
            }
            Assumptions.abort("no Pushgateway at " + binary + "; apt-get install prometheus-pushgateway");
        }
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        process = new ProcessBuilder(binary.toString(), "--web.listen-address=127.0.0.1:" + port,
                        "--web.enable-admin-api")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("the Pushgateway did not start on port " + port, notYet);
                }
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Every sample the Pushgateway now serves (see {@link PromText}). */
    Map<String, Double> samples() throws IOException, InterruptedException {
        return PromText.parse(get("/metrics").body());
    }

    void deleteAll() throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/admin/wipe")).PUT(HttpRequest.BodyPublishers
                .noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
