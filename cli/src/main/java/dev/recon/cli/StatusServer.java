package dev.recon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text) and {@code /health} (JSON: 200 while scheduling, 503
 * once stopping) over HTTP, on the JDK's own server.
 */
final class StatusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "recon-http");
        t.setDaemon(true);
        return t;
    });

    StatusServer(InetSocketAddress address, Supplier<String> metrics, Supplier<Map<String, Object>> health)
            throws IOException {
        server = HttpServer.create(address, 16);
        server.setExecutor(threads);
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.createContext("/health", exchange -> {
            Map<String, Object> body = health.get();
            respond(exchange, "up".equals(body.get("status")) ? 200 : 503, "application/json",
                    JSON.writeValueAsString(body) + "\n");
        });
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain; charset=utf-8",
                "recon serve: try /metrics or /health\n"));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
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
