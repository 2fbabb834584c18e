package dev.recon.cli.bench;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

/** pg_comparator 2.3.2 (Debian {@code postgresql-comparator}) on the benchmark's cross-database pair. */
final class PgComparator {
    private final String left;
    private final String right;

    private PgComparator(String left, String right) {
        this.left = left;
        this.right = right;
    }

    /** The comparator for these tables, or null when it is not installed or its pgcmp extension cannot be created. */
    static PgComparator find(BenchData data, String url, Consumer<String> say) {
        if (!new File("/usr/bin/pg_comparator").canExecute()) {
            return null;
        }
        try {
            for (String db : new String[] {data.sourceDb(), data.targetDb()}) {
                try (Connection c = DriverManager.getConnection(data.url(db)); Statement s = c.createStatement()) {
                    s.execute("CREATE EXTENSION IF NOT EXISTS pgcmp");
                }
            }
        } catch (SQLException e) {
            say.accept("pg_comparator skipped: " + e.getMessage());
            return null;
        }
        URI u = URI.create(url.substring("jdbc:".length()));
        String user = u.getQuery() == null ? "postgres" : u.getQuery().replaceAll(".*user=([^&]*).*", "$1");
        String base = "pgsql://" + user + "@" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort()) + "/";
        return new PgComparator(
                base + data.sourceDb() + "/public.source_order?id:reference,price,qty,note,updated_at,customer",
                base + data.targetDb()
                        + "/public.destination_order?order_id:code,total_price,quantity,remark,modified,customer_name");
    }

    /** pg_comparator reported other differences than the tables hold: it is then not counted. */
    static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message);
        }
    }

    /** One comparison; throws {@link Mismatch} unless it reports exactly {@code differing} differences, as recon must. */
    void compare(long differing) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/pg_comparator", "--no-lock", left, right).redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        long found = output.lines().filter(l -> l.matches("(INSERT|UPDATE|DELETE) .*")).count();
        if (found != differing) {
            throw new Mismatch("pg_comparator reported " + found + " differences (exit " + exit + "), expected "
                    + differing + "; not counted");
        }
    }
}
