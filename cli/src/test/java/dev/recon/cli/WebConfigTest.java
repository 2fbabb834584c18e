package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.base.ReconException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * serve's --web-config: HTTPS with a self-signed certificate made here (openssl), basic
 * authentication against bcrypt hashes, paths matched whole (an operator's probe was served
 * /metrics for /metrics%00 and saw row values on an open port).
 */
class WebConfigTest {
    @TempDir
    Path dir;

    private Path certificate() throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(), "-days", "1", "-subj",
                "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("openssl: " + out).isZero();
        return dir.resolve("cert.pem");
    }

    /** A client that trusts exactly the test's certificate. */
    private static HttpClient trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("recon", c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private static int status(HttpClient client, String url, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void overHttpsOnlyAUserWithItsPasswordGetsIn() throws Exception {
        Path cert = certificate();
        // htpasswd writes $2y$: the exporter-toolkit's files carry such hashes
        String hash = BCrypt.hashpw("s3cret", BCrypt.gensalt(10)).replaceFirst("^\\$2a\\$", "\\$2y\\$");
        Path config = dir.resolve("web.yml");
        Files.writeString(config, "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                + "basic_auth_users:\n  ops: " + hash + "\n");
        WebConfig web = WebConfig.load(config);
        try (StatusServer server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> "recon_up 1\n", () -> Map.of("status", "up"), () -> "<html><body>dash</body></html>",
                (sync, id) -> Optional.empty(), web)) {
            HttpClient client = trusting(cert);
            String base = "https://127.0.0.1:" + server.port();
            assertThat(status(client, base + "/metrics", null, null)).isEqualTo(401);
            assertThat(status(client, base + "/metrics", "ops", "wrong")).isEqualTo(401);
            assertThat(status(client, base + "/metrics", "nobody", "s3cret")).isEqualTo(401);
            assertThat(status(client, base + "/metrics", "ops", "s3cret")).isEqualTo(200);
            assertThat(status(client, base + "/", "ops", "s3cret")).isEqualTo(200);
            assertThat(status(client, base + "/health", null, null)).isEqualTo(401);
            // paths are matched whole
            assertThat(status(client, base + "/metrics%00", "ops", "s3cret")).isEqualTo(404);
            assertThat(status(client, base + "/metricsX", "ops", "s3cret")).isEqualTo(404);
            assertThat(status(client, base + "/health/x", "ops", "s3cret")).isEqualTo(404);
            // plain HTTP to the TLS port gets nowhere
            assertThatThrownBy(() -> status(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.port()
                    + "/metrics", "ops", "s3cret")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void withoutAWebConfigPathsAreMatchedWholeToo() throws Exception {
        try (StatusServer server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> "recon_up 1\n", () -> Map.of("status", "up"))) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            assertThat(status(client, base + "/metrics", null, null)).isEqualTo(200);
            assertThat(status(client, base + "/metrics%00", null, null)).isEqualTo(404);
            assertThat(status(client, base + "/health%2F", null, null)).isEqualTo(404);
        }
    }

    @Test
    void aBadWebConfigIsAnErrorNamingTheFileAndKey() throws Exception {
        Path config = dir.resolve("web.yml");
        Files.writeString(config, "basic_auth_users:\n  ops: plaintext\n");
        assertThatThrownBy(() -> WebConfig.load(config)).isInstanceOf(ReconException.class)
                .hasMessage("--web-config " + config + ": basic_auth_users.ops is not a bcrypt hash ($2y$10$...; make"
                        + " one with htpasswd -nbBC 10 USER PASSWORD)");
        Files.writeString(config, "tls_server_config:\n  cert_file: none.pem\n  key_file: none.pem\n  extra: 1\n");
        assertThatThrownBy(() -> WebConfig.load(config)).isInstanceOf(ReconException.class)
                .hasMessage("--web-config " + config + ": tls_server_config.extra: unknown key (expected one of:"
                        + " cert_file, key_file)");
        Files.writeString(config, "tls_server_config:\n  cert_file: none.pem\n  key_file: none.pem\n");
        assertThatThrownBy(() -> WebConfig.load(config)).isInstanceOf(ReconException.class)
                .hasMessage("--web-config " + config + ": tls_server_config: no such file: " + dir.resolve("none.pem"));
        // a bcrypt cost no library takes, and a key that is not the certificate's (a probe's finds)
        Files.writeString(config, "basic_auth_users:\n  ops: $2b$99$" + "a".repeat(53) + "\n");
        assertThatThrownBy(() -> WebConfig.load(config)).isInstanceOf(ReconException.class)
                .hasMessageContaining("basic_auth_users.ops is not a bcrypt hash");
        certificate();
        Process p = new ProcessBuilder("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                "-out", dir.resolve("other.pem").toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        Files.writeString(config, "tls_server_config:\n  cert_file: cert.pem\n  key_file: other.pem\n");
        assertThatThrownBy(() -> WebConfig.load(config)).isInstanceOf(ReconException.class)
                .hasMessage("--web-config " + config + ": tls_server_config: " + dir.resolve("other.pem")
                        + " is not the key of the certificate in " + dir.resolve("cert.pem"));
        assertThatThrownBy(() -> new Durations().convert("99999999999999h"))
                .hasMessageContaining("longer than recon waits for anything");
    }
}
