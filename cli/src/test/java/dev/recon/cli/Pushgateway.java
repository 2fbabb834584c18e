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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

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

    /** Every sample the Pushgateway now serves, keyed "name{label=value,...}" with the labels sorted. */
    Map<String, Double> samples() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/metrics");
        Map<String, Double> out = new TreeMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("not a Prometheus sample: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.put(m.group(1) + labels.toString().replace(", ", ","), Double.parseDouble(m.group(3)));
        }
        return out;
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
