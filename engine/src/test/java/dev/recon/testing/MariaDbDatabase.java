package dev.recon.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh database on the test MariaDB server for one test class, dropped afterwards:
 * {@code RECON_TEST_MARIADB_URL} (default {@code jdbc:mariadb://127.0.0.1:3306/?user=root&sslMode=disable}, the
 * machine's server, which CI starts). Never mocked: the tests that use it need the server.
 */
public final class MariaDbDatabase implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private String name;

    /** The server's URL, without a database. */
    public static String serverUrl() {
        String url = System.getenv("RECON_TEST_MARIADB_URL");
        return url == null || url.isBlank() ? "jdbc:mariadb://127.0.0.1:3306/?user=root&sslMode=disable" : url;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        name = ("recon_t_" + context.getRequiredTestClass().getSimpleName() + "_" + ProcessHandle.current().pid() + "_"
                + COUNTER.incrementAndGet()).toLowerCase(Locale.ROOT);
        admin("DROP DATABASE IF EXISTS " + name);
        admin("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (name != null) {
            admin("DROP DATABASE IF EXISTS " + name);
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public String name() {
        return name;
    }

    /** JDBC URL of this database. */
    public String url() {
        String server = serverUrl();
        int q = server.indexOf('?');
        String base = q < 0 ? server : server.substring(0, q);
        return (base.endsWith("/") ? base : base + "/") + name + (q < 0 ? "" : server.substring(q));
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** The first column of the first row {@code sql} returns, as text. */
    public String queryString(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs each statement of {@code sql} (separated by ";\n"). */
    public void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql.split(";\\s*\\n")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
