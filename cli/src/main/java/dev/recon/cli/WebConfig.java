package dev.recon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;
import dev.recon.base.ReconException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * {@code serve --web-config FILE}, in the Prometheus exporter-toolkit's format: TLS
 * ({@code tls_server_config: { cert_file, key_file }}, PEM files, the key in PKCS#8, paths
 * relative to the file) and basic authentication ({@code basic_auth_users: { name: bcrypt
 * hash }}). Every other key is an error naming the file.
 */
final class WebConfig {
    private static final Set<String> TOP = Set.of("tls_server_config", "basic_auth_users");
    private static final Set<String> TLS = Set.of("cert_file", "key_file");

    private final Path file;
    private final Path cert;
    private final Path key;
    private final Map<String, String> users;

    private WebConfig(Path file, Path cert, Path key, Map<String, String> users) {
        this.file = file;
        this.cert = cert;
        this.key = key;
        this.users = users;
    }

    static WebConfig load(Path file) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ReconException("--web-config " + file + ": no such file");
        } catch (IOException e) {
            throw new ReconException("--web-config " + file + ": cannot read it: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new ReconException("--web-config " + file + ": must be a mapping with tls_server_config and/or"
                    + " basic_auth_users");
        }
        unknown(file, "", root, TOP);
        Path cert = null;
        Path key = null;
        JsonNode tls = root.get("tls_server_config");
        if (tls != null) {
            unknown(file, "tls_server_config.", tls, TLS);
            cert = path(file, tls, "cert_file");
            key = path(file, tls, "key_file");
        }
        Map<String, String> users = new LinkedHashMap<>();
        JsonNode auth = root.get("basic_auth_users");
        if (auth != null) {
            if (!auth.isObject()) {
                throw new ReconException("--web-config " + file + ": basic_auth_users must map each user to a bcrypt"
                        + " hash");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = auth.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String hash = e.getValue().asText();
                if (!hash.matches("\\$2[aby]?\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}")) {
                    throw new ReconException("--web-config " + file + ": basic_auth_users." + e.getKey() + " is not a"
                            + " bcrypt hash ($2y$10$...; make one with htpasswd -nbBC 10 USER PASSWORD)");
                }
                users.put(e.getKey(), hash);
            }
        }
        WebConfig config = new WebConfig(file, cert, key, users);
        if (cert != null) {
            config.sslContext(); // a bad certificate or key is an error at start, not at the first request
        }
        return config;
    }

    private static void unknown(Path file, String prefix, JsonNode node, Set<String> known) {
        if (!node.isObject()) {
            throw new ReconException("--web-config " + file + ": " + prefix + " must be a mapping");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new ReconException("--web-config " + file + ": " + prefix + name + ": unknown key (expected one"
                        + " of: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        });
    }

    private static Path path(Path file, JsonNode tls, String name) {
        JsonNode v = tls.get(name);
        if (v == null || v.asText().isBlank()) {
            throw new ReconException("--web-config " + file + ": tls_server_config." + name + " is required");
        }
        Path dir = file.toAbsolutePath().getParent();
        return dir.resolve(v.asText());
    }

    boolean tls() {
        return cert != null;
    }

    boolean authenticates() {
        return !users.isEmpty();
    }

    /** The server's TLS context: its certificate chain and key from the PEM files. */
    SSLContext sslContext() {
        try {
            Collection<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(cert)) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + cert);
            }
            String pem = Files.readString(key, StandardCharsets.US_ASCII);
            if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IllegalArgumentException(key + " is not a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----);"
                        + " convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
            }
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("(?s).*-----BEGIN PRIVATE KEY-----", "")
                    .replaceAll("(?s)-----END PRIVATE KEY-----.*", ""));
            PrivateKey privateKey = null;
            for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
                try {
                    privateKey = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    break;
                } catch (java.security.spec.InvalidKeySpecException notThisOne) {
                    // try the next algorithm
                }
            }
            if (privateKey == null) {
                throw new IllegalArgumentException(key + " holds no RSA, EC or Ed25519 key");
            }
            // the key must be the certificate's: sign with one, verify with the other
            Certificate leaf = chain.iterator().next();
            String signing = privateKey.getAlgorithm().equals("EC") ? "SHA256withECDSA"
                    : privateKey.getAlgorithm().equals("Ed25519") ? "Ed25519" : "SHA256withRSA";
            java.security.Signature sign = java.security.Signature.getInstance(signing);
            sign.initSign(privateKey);
            byte[] probe = "recon".getBytes(StandardCharsets.US_ASCII);
            sign.update(probe);
            byte[] signature = sign.sign();
            java.security.Signature verify = java.security.Signature.getInstance(signing);
            try {
                verify.initVerify(leaf.getPublicKey());
                verify.update(probe);
                if (!verify.verify(signature)) {
                    throw new IllegalArgumentException(key + " is not the key of the certificate in " + cert);
                }
            } catch (java.security.InvalidKeyException mismatch) {
                throw new IllegalArgumentException(key + " is not the key of the certificate in " + cert);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("recon", privateKey, none, chain.toArray(new Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, none);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ReconException("--web-config " + file + ": tls_server_config: no such file: " + e.getFile());
        } catch (IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new ReconException("--web-config " + file + ": tls_server_config: " + e.getMessage());
        }
    }

    /** True when the request carries the name and password of a user of {@code basic_auth_users}. */
    boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String hash = users.get(pair.substring(0, colon));
        // an unknown user costs a comparison too, so that timing does not tell users apart
        boolean known = hash != null;
        boolean matches = checks(pair.substring(colon + 1), known ? hash : dummy);
        return known && matches;
    }

    /** A hash of a random password, compared for unknown users. */
    private final String dummy = BCrypt.hashpw(java.util.UUID.randomUUID().toString(), BCrypt.gensalt(10));

    /** bcrypt's check ($2a$, $2b$, $2y$), false for a hash it cannot read. */
    private static boolean checks(String password, String hash) {
        try {
            return BCrypt.checkpw(password, hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
