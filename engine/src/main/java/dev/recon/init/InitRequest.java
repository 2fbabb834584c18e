package dev.recon.init;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code recon init} reads: two JDBC URLs, the schema of each (default: the one
 * unqualified names mean on its connection), and the passwords to connect with (from the
 * environment; never written to the file, which names the variable each came from instead: {@code
 * sourcePasswordVariable}, {@code targetPasswordVariable}).
 */
public record InitRequest(String sourceUrl, String targetUrl, Optional<String> sourceSchema,
        Optional<String> targetSchema, Optional<String> sourcePassword, Optional<String> targetPassword,
        Optional<String> sourcePasswordVariable, Optional<String> targetPasswordVariable) {
    /** The environment variable the written file reads the source's password from. */
    public static final String SOURCE_PASSWORD = "RECON_SOURCE_PASSWORD";
    /** The environment variable the written file reads the target's password from. */
    public static final String TARGET_PASSWORD = "RECON_TARGET_PASSWORD";
    /** The variable of the one connection both sides share (equal URLs). */
    public static final String SHARED_PASSWORD = "RECON_DB_PASSWORD";

    /** Without passwords (servers that need none, or a password in the URL). */
    public InitRequest(String sourceUrl, String targetUrl, Optional<String> sourceSchema,
            Optional<String> targetSchema) {
        this(sourceUrl, targetUrl, sourceSchema, targetSchema, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public InitRequest {
        Objects.requireNonNull(sourceUrl, "sourceUrl");
        Objects.requireNonNull(targetUrl, "targetUrl");
    }
}
