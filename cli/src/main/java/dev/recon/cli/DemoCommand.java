package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.ReconException;
import dev.recon.config.ConfigLoader;
import dev.recon.config.ReconConfig;
import dev.recon.report.ReportFormat;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded PostgreSQL, create two differing tables and show recon's diff of them.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "recon-demo",
            description = "Where the demo writes its mapping file and report (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format: text, json, csv, markdown or sql (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws Exception {
        ReportFormat fmt = Formats.parse(spec, format);
        Logging.configure(0, false, Logging.Format.TEXT, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Starting an embedded PostgreSQL (the first start unpacks it; this takes a few seconds)...");
        out.flush();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            seed(pg);
            String url = pg.getJdbcUrl("postgres", "postgres");
            Files.createDirectories(dir);
            Path mapping = dir.resolve("recon.yaml");
            Files.writeString(mapping, resource("recon.yaml"));
            ReconConfig config = new ConfigLoader(Map.of("RECON_DEMO_URL", url)).read(mapping);
            out.println("Mapping file: " + mapping + " (source_order -> destination_order on " + url + ")");
            out.println();
            out.flush();
            Path report = dir.resolve("report." + extension(fmt));
            try (OutputTarget file = OutputTarget.open(report, out)) {
                new Recon(config).diff(List.of(), 10, fmt.writer(file.writer()));
                file.commit();
            }
            out.print(Files.readString(report));
            out.println();
            out.println("Report written to " + report + ". Next: read docs/configuration.md and write your own"
                    + " recon.yaml, then run: ./recon diff -c recon.yaml");
            out.flush();
        } catch (IOException e) {
            throw new ReconException("the demo could not start its embedded PostgreSQL: " + e.getMessage(), e);
        }
        return Main.IN_SYNC;
    }

    private static String extension(ReportFormat fmt) {
        return switch (fmt) {
            case TEXT -> "txt";
            case MARKDOWN -> "md";
            default -> fmt.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static void seed(EmbeddedPostgres pg) throws SQLException, IOException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
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
