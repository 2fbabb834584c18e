package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.config.ConfigException;
import dev.recon.init.InitRequest;
import dev.recon.init.MappingFile;
import dev.recon.init.Pairing;
import dev.recon.init.PairingTable;
import dev.recon.init.Survey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Write a mapping file by pairing the tables and columns of two schemas, by name, abbreviation,"
                + " columns and types. Reads catalogs only.",
            "Passwords come from RECON_SOURCE_PASSWORD and RECON_TARGET_PASSWORD (RECON_DB_PASSWORD when both URLs"
                    + " are equal); the file names the variable, never the value."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the file was written (or the pairing printed)", "2:error (input, connection, existing file)"})
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "JDBC_URL", description = "The source's JDBC URL.")
    String source;

    @Option(names = "--target", required = true, paramLabel = "JDBC_URL", description = "The target's JDBC URL.")
    String target;

    @Option(names = "--source-schema", paramLabel = "SCHEMA",
            description = "The source schema (default: the connection's current schema or database).")
    String sourceSchema;

    @Option(names = "--target-schema", paramLabel = "SCHEMA",
            description = "The target schema (default: the connection's current schema or database).")
    String targetSchema;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "recon.yaml",
            description = "The file to write; - writes to standard output (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--force", description = "Overwrite the output file if it exists.")
    boolean force;

    @Option(names = "--dry-run", description = "Print the pairing as a table instead of writing a file.")
    boolean dryRun;

    @Override
    public Integer call() {
        boolean toStdout = output.toString().equals("-");
        if (!dryRun && !toStdout && Files.exists(output) && !force) {
            throw new ConfigException("recon init writes nothing:", List.of("-o " + output + ": the file exists;"
                    + " give --force to overwrite it, or another file"));
        }
        Survey survey = Recon.init(new InitRequest(source, target, Optional.ofNullable(sourceSchema),
                Optional.ofNullable(targetSchema), env(InitRequest.SOURCE_PASSWORD, InitRequest.SHARED_PASSWORD),
                env(InitRequest.TARGET_PASSWORD, InitRequest.SHARED_PASSWORD)));
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            out.print(PairingTable.render(survey));
            out.flush();
            return Main.IN_SYNC;
        }
        String text = MappingFile.render(survey, LocalDate.now());
        if (toStdout) {
            out.print(text);
            out.flush();
            return Main.IN_SYNC;
        }
        write(text);
        PrintWriter err = spec.commandLine().getErr();
        err.println(summary(survey));
        err.println("Next: recon validate -c " + output + ", then recon diff -c " + output
                + " (and `recon schema > recon.schema.json` for your editor's completion).");
        err.flush();
        return Main.IN_SYNC;
    }

    /** The first variable of these that is set. */
    private static Optional<String> env(String name, String shared) {
        return Optional.ofNullable(System.getenv(name)).or(() -> Optional.ofNullable(System.getenv(shared)));
    }

    /** Writes the file whole or not at all. */
    private void write(String text) {
        try {
            Path absolute = output.toAbsolutePath();
            Files.createDirectories(absolute.getParent());
            Path partial = Files.createTempFile(absolute.getParent(), ".recon-init", ".yaml");
            try {
                Files.writeString(partial, text, StandardCharsets.UTF_8);
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new ConfigException("recon init writes nothing:", List.of("-o " + output + ": " + e.getMessage()));
        } catch (UncheckedIOException e) {
            throw new ConfigException("recon init writes nothing:", List.of("-o " + output + ": "
                    + e.getCause().getMessage()));
        }
    }

    private String summary(Survey survey) {
        int columns = 0;
        int guessed = 0;
        for (Pairing.TablePair p : survey.pairs()) {
            columns += p.columns().size();
            guessed += (int) p.columns().stream().filter(c -> !c.sameName()).count();
        }
        return "Wrote " + output + ": " + survey.pairs().size() + (survey.pairs().size() == 1 ? " table pair, "
                : " table pairs, ") + columns + " column pairs (" + guessed + " of them by likeness, each with its"
                + " confidence); " + survey.pairing().unpairedSource().size() + " source and "
                + survey.pairing().unpairedTarget().size() + " target tables paired with none (listed at the end).";
    }
}
