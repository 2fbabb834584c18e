package dev.recon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /metrics} (Prometheus text), {@code /health} (liveness, JSON: 200 while scheduling,
 * 503 once stopping) and {@code /ready} (the same JSON: 200 while its {@code ready} is true)
 * over HTTP, on the JDK's own server.
 */
final class StatusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "recon-http");
        t.setDaemon(true);
        return t;
    });

    /** The dashboard forbids the browser every request but to this server, and every inline resource but its own. */
    static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'none'; form-action 'none'; frame-ancestors 'none'";

    StatusServer(InetSocketAddress address, Supplier<String> metrics, Supplier<Map<String, Object>> health)
            throws IOException {
        this(address, metrics, health, null, (sync, id) -> Optional.empty());
    }

    /**
     * With {@code dashboard} (the html of {@code GET /}) and {@code reports} (a mapping's run's
     * kept html report, {@code GET /runs/ID?sync=NAME}: run ids are per target database).
     */
    StatusServer(InetSocketAddress address, Supplier<String> metrics, Supplier<Map<String, Object>> health,
            Supplier<String> dashboard, BiFunction<String, Long, Optional<String>> reports) throws IOException {
        this(address, metrics, health, dashboard, reports, null);
    }

    /**
     * The same, with {@code web} ({@code --web-config}, or null): over HTTPS with its
     * certificate, and every request with a user's password when it names users.
     */
    StatusServer(InetSocketAddress address, Supplier<String> metrics, Supplier<Map<String, Object>> health,
            Supplier<String> dashboard, BiFunction<String, Long, Optional<String>> reports, WebConfig web)
            throws IOException {
        if (web != null && web.tls()) {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(address, 16);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(web.sslContext()));
            server = https;
        } else {
            server = HttpServer.create(address, 16);
        }
        server.setExecutor(threads);
        // a context matches a path's prefix ("/metrics%00", "/metricsX"): each page checks its path whole
        server.createContext("/metrics", guarded(web, exchange -> {
            if (!exact(exchange, "/metrics")) {
                return;
            }
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
        }));
        server.createContext("/health", guarded(web, exchange -> {
            if (!exact(exchange, "/health")) {
                return;
            }
            Map<String, Object> body = health.get();
            respond(exchange, "up".equals(body.get("status")) ? 200 : 503, "application/json",
                    JSON.writeValueAsString(body) + "\n");
        }));
        // readiness: the same document, 200 only while nothing needs a person (its "ready")
        server.createContext("/ready", guarded(web, exchange -> {
            if (!exact(exchange, "/ready")) {
                return;
            }
            Map<String, Object> body = health.get();
            respond(exchange, Boolean.TRUE.equals(body.get("ready")) ? 200 : 503, "application/json",
                    JSON.writeValueAsString(body) + "\n");
        }));
        server.createContext("/", guarded(web, exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            if (dashboard != null && path.equals("/")) {
                String page;
                try {
                    page = dashboard.get();
                } catch (RuntimeException e) {
                    respond(exchange, 500, "text/plain; charset=utf-8", "recon serve: the dashboard failed: " + e
                            + "\n");
                    return;
                }
                respond(exchange, 200, HTML, page);
                return;
            }
            Matcher run = RUN.matcher(path);
            if (dashboard != null && run.matches()) {
                String sync = query(exchange.getRequestURI().getRawQuery(), "sync");
                Optional<String> report = sync == null ? Optional.empty()
                        : reports.apply(sync, Long.parseLong(run.group(1)));
                if (report.isPresent()) {
                    respond(exchange, 200, HTML, report.get());
                } else {
                    respond(exchange, 404, "text/plain; charset=utf-8", "recon serve: the report of run " + run.group(1)
                            + (sync == null ? " needs the mapping: /runs/ID?sync=NAME" : " of " + sync
                            + " is not kept (serve keeps the last --keep-reports runs of each mapping since it"
                            + " started)") + "\n");
                }
                return;
            }
            respond(exchange, 404, "text/plain; charset=utf-8", "recon serve: try " + (dashboard != null ? "/, " : "")
                    + "/metrics, /health or /ready\n");
        }));
        server.start();
    }

    /** True when the request's raw path is {@code path} itself; otherwise answers 404. */
    private static boolean exact(HttpExchange exchange, String path) throws IOException {
        if (exchange.getRequestURI().getRawPath().equals(path)) {
            return true;
        }
        respond(exchange, 404, "text/plain; charset=utf-8", "recon serve: try /, /metrics, /health or /ready\n");
        return false;
    }

    /** {@code handler}, behind {@code web}'s basic authentication when it names users. */
    private static com.sun.net.httpserver.HttpHandler guarded(WebConfig web,
            com.sun.net.httpserver.HttpHandler handler) {
        if (web == null || !web.authenticates()) {
            return handler;
        }
        return exchange -> {
            if (!web.authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"recon\", charset=\"UTF-8\"");
                respond(exchange, 401, "text/plain; charset=utf-8", "recon serve: a user and password are needed\n");
                return;
            }
            handler.handle(exchange);
        };
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static final String HTML = "text/html; charset=utf-8";

    /** One parameter of a raw query string, decoded; null when absent. */
    static String query(String raw, String name) {
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                try {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
    private static final Pattern RUN = Pattern.compile("/runs/(\\d{1,18})");

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            if (type.equals(HTML)) {
                exchange.getResponseHeaders().set("Content-Security-Policy", POLICY);
                exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
            }
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(1);
        threads.shutdownNow();
    }
}
