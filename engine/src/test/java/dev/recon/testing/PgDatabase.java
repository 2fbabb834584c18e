package dev.recon.testing;

import dev.recon.config.ConnectionConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh database on the test server for one test class, dropped afterwards. Register as
 * {@code @RegisterExtension static final PgDatabase db = new PgDatabase();} and seed it
 * explicitly in each test.
 */
public final class PgDatabase implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private String name;
    private String url;
    private Jdbi jdbi;

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        create(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        drop();
    }

    /** Creates the database; for use outside JUnit's lifecycle. */
    public PgDatabase create(String label) throws SQLException {
        name = ("recon_t_" + label + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet())
                .toLowerCase(Locale.ROOT);
        admin("DROP DATABASE IF EXISTS " + name);
        admin("CREATE DATABASE " + name);
        url = TestServer.urlFor(name);
        jdbi = Jdbi.create(url);
        return this;
    }

    public void drop() throws SQLException {
        if (name != null) {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestServer.adminUrl()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public String name() {
        return name;
    }

    /** JDBC URL, user included, of the test server's maintenance database, where CREATE DATABASE may run. */
    public static String adminUrl() {
        return TestServer.adminUrl();
    }

    /** JDBC URL of this database, user included. */
    public String url() {
        return url;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Runs SQL text, several statements allowed (dollar quotes too), in one round trip. */
    public void execute(String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public List<Map<String, Object>> rows(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapToMap().list());
    }

    public <T> T value(String sql, Class<T> type) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(type).one());
    }

    public ConnectionConfig connection(String connectionName) {
        return new ConnectionConfig(connectionName, url, null, null, Map.of());
    }

    /** A mapping-file header naming this database as connection {@code db}. */
    public String connectionsYaml() {
        return "connections:\n  db:\n    url: \"" + url + "\"\n";
    }
}
