package dev.recon.cli;

import dev.recon.DiffRequest;
import dev.recon.Recon;
import dev.recon.base.ReconException;
import dev.recon.config.ConfigLoader;
import dev.recon.config.ReconConfig;
import dev.recon.config.Redaction;
import dev.recon.report.ReportFormat;
import dev.recon.report.ReportWriter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Create two differing tables (schema recon_demo), write a mapping file for them and show"
                + " recon's diff of them: on an embedded PostgreSQL started for the purpose, or with --url in a"
                + " database of yours."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the demo ran", "2:error (the embedded server cannot start, --url cannot be reached)"})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private static final String DEFAULT_DIR = "recon-demo";

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
            description = "Where the demo writes its mapping file and report (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format: text, json, csv, markdown, sql or html (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = "--url", paramLabel = "JDBC_URL",
            description = "Create the demo's tables in this PostgreSQL database instead of an embedded server:"
                    + " schema recon_demo, tables source_order and destination_order (re-created if they exist;"
                    + " nothing else is touched).")
    String url;

    @Option(names = "--keep", description = "Keep the embedded PostgreSQL running until Ctrl-C, so that the mapping"
            + " file works from another terminal (recon validate, diff, sync, history).")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        ReportFormat fmt = format;
        if (keep && url != null) {
            throw new ParameterException(spec.commandLine(), "--keep keeps the embedded server; with --url there is"
                    + " none (give one or the other)");
        }
        Logging.configure(0, false, Logging.Format.TEXT, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        if (url != null) {
            try (Connection c = DriverManager.getConnection(url)) {
                seed(c);
            } catch (SQLException e) {
                throw new ReconException("the demo cannot create its tables in " + Redaction.redactUrl(url) + ": "
                        + e.getMessage(), e);
            }
            show(out, fmt, url, true);
            return Main.IN_SYNC;
        }
        out.println("Starting an embedded PostgreSQL (the first start unpacks it; this takes a few seconds)...");
        out.flush();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection()) {
                seed(c);
            }
            String embedded = pg.getJdbcUrl("postgres", "postgres");
            show(out, fmt, embedded, keep);
            if (keep) {
                out.println();
                out.println("The embedded PostgreSQL keeps running at " + embedded + " until Ctrl-C (or SIGTERM);"
                        + " in another terminal, try: ./recon sync -c " + dir.resolve("recon.yaml"));
                out.flush();
                // Ctrl-C ends the JVM: its shutdown hook stops the server and removes its files
                Thread hook = new Thread(() -> {
                    out.println("Stopping the embedded PostgreSQL.");
                    out.flush();
                    closeQuietly(pg);
                });
                Runtime.getRuntime().addShutdownHook(hook);
                Thread.currentThread().join();
            }
        } catch (IOException e) {
            throw new ReconException("the demo could not start its embedded PostgreSQL: " + e.getMessage(), e);
        }
        return Main.IN_SYNC;
    }

    /**
     * Writes the mapping file for the tables at {@code jdbcUrl}, diffs them, and says what to
     * run next: a command that works, so with the mapping file's next step only while the
     * server stays ({@code stays}: --url, or --keep).
     */
    private void show(PrintWriter out, ReportFormat fmt, String jdbcUrl, boolean stays) throws IOException {
        Files.createDirectories(dir);
        Path mapping = dir.resolve("recon.yaml");
        String quoted = jdbcUrl.replace("\\", "\\\\").replace("\"", "\\\"");
        Files.writeString(mapping, resource("recon.yaml").replace("${url}", quoted));
        ReconConfig config = new ConfigLoader(Map.of()).read(mapping);
        out.println("Created recon_demo.source_order and recon_demo.destination_order; wrote " + mapping + ":");
        out.println();
        out.flush();
        Path report = dir.resolve("report." + extension(fmt));
        try (OutputTarget file = OutputTarget.open(report, out)) {
            ReportWriter writer = fmt.writer(file.writer());
            writer.render(new Recon(config).diff(DiffRequest.of(List.of()).withListener(writer.listener())));
            file.commit();
        }
        out.print(Files.readString(report));
        out.println();
        if (stays) {
            out.println("Report written to " + report + ". Next: ./recon sync -c " + mapping + " --dry-run, then the"
                    + " rest of the tour in README.md.");
        } else {
            // the embedded server stops with this command: a next step against it would be refused
            out.println("Report written to " + report + ". The embedded PostgreSQL stops now, so " + mapping
                    + " has no server to reach. Next:");
            out.println("  ./recon demo --keep" + (dir.equals(Path.of(DEFAULT_DIR)) ? "" : " --dir " + dir));
            out.println("keeps it running until Ctrl-C; then, in another terminal:");
            out.println("  ./recon sync -c " + mapping + " --dry-run");
            out.println("Or use a PostgreSQL of yours: ./recon demo --url JDBC_URL. The rest of the tour is in"
                    + " README.md.");
        }
        out.flush();
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            System.err.println("could not stop the embedded PostgreSQL: " + e.getMessage());
        }
    }

    private static String extension(ReportFormat fmt) {
        return switch (fmt) {
            case TEXT -> "txt";
            case MARKDOWN -> "md";
            default -> fmt.name().toLowerCase(Locale.ROOT);
        };
    }

    private static void seed(Connection c) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            s.execute(resource("demo.sql"));
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
            if (in == null) {
                throw new IOException("missing resource demo/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
