package dev.recon.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of the self-contained release (not a command; the build runs it once). The
 * release's start-up archive (JDK 25's AOT cache, or application class-data sharing on 17) holds
 * what the JVM loaded, linked and profiled while this ran, so it runs what users run first: the
 * version and the help, then {@code demo}, {@code validate}, {@code diff} in text and JSON by
 * join, merge and hash, a dry run and a sync, on an embedded PostgreSQL it starts and stops.
 *
 * <p>It fails (exit 1) when a command does not give the exit code it should, so that a release
 * is never built on a run that stopped early and recorded less than it should.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("recon-training");
        List<String> failures = new ArrayList<>();
        try {
            run(failures, 0, "--version");
            run(failures, 0, "--help");
            run(failures, 0, "diff", "--help");
            try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
                String url = pg.getJdbcUrl("postgres", "postgres");
                Path demo = dir.resolve("demo");
                run(failures, 0, "demo", "--url", url, "--dir", demo.toString());
                Path config = demo.resolve("recon.yaml");
                Path strategies = dir.resolve("strategies.yaml");
                Files.writeString(strategies, strategies(Files.readString(config)));
                for (int round = 0; round < 2; round++) {
                    run(failures, 0, "validate", "-c", config.toString());
                    run(failures, 1, "diff", "-c", config.toString());
                    run(failures, 1, "diff", "-c", config.toString(), "--format", "json");
                    run(failures, 1, "diff", "-c", strategies.toString(), "--quiet");
                    run(failures, 1, "sync", "-c", config.toString(), "--dry-run");
                }
                run(failures, 0, "sync", "-c", strategies.toString(), "--sync", "orders", "--quiet");
                run(failures, 0, "diff", "-c", strategies.toString());
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (UncheckedIOException | IOException e) {
                System.err.println("training: could not remove " + dir + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            failures.forEach(System.err::println);
            System.exit(1);
        }
    }

    /** The demo's mapping, and the same tables compared by merge and by hash as two more mappings. */
    private static String strategies(String demo) {
        int syncs = demo.indexOf("syncs:");
        String mapping = demo.substring(syncs + "syncs:".length());
        StringBuilder out = new StringBuilder(demo.substring(0, syncs)).append("syncs:").append(mapping);
        for (String strategy : List.of("merge", "hash")) {
            out.append(mapping.replace("name: orders", "name: orders_" + strategy)
                    .replace("deletes: delete", "deletes: delete\n    strategy: " + strategy));
        }
        return out.toString();
    }

    private static void run(List<String> failures, int expected, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        if (code != expected) {
            failures.add("training: recon " + String.join(" ", args) + " exited " + code + ", not " + expected
                    + ":\n" + err + out);
        }
    }
}
