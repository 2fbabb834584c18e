package dev.recon.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The PostgreSQL server tests use, found once per JVM: {@code RECON_TEST_PG_URL} (CI sets it
 * to the machine's server), otherwise an embedded PostgreSQL started for the test run.
 * (Testcontainers would sit between the two; no Docker engine runs on our machines.)
 */
final class TestServer {
    private static String adminUrl;

    private TestServer() {
    }

    /** A JDBC URL, with user, to a maintenance database where CREATE DATABASE may run. */
    static synchronized String adminUrl() {
        if (adminUrl == null) {
            String env = System.getenv("RECON_TEST_PG_URL");
            if (env != null && !env.isBlank()) {
                adminUrl = env;
            } else {
                try {
                    EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            pg.close();
                        } catch (IOException ignored) {
                            // the JVM is exiting
                        }
                    }));
                    adminUrl = pg.getJdbcUrl("postgres", "postgres");
                } catch (IOException e) {
                    throw new UncheckedIOException("no RECON_TEST_PG_URL and the embedded PostgreSQL failed", e);
                }
            }
        }
        return adminUrl;
    }

    /** The same server and credentials, another database. */
    static String urlFor(String database) {
        String url = adminUrl();
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }
}
