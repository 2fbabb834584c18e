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
import java.nio.file.Files;
import java.nio.file.Path;
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
        if (dryRun && spec.commandLine().getParseResult().hasMatchedOption("--output")) {
            throw new ConfigException("recon init writes nothing:", List.of("--dry-run prints the pairing and writes"
                    + " no file; leave out -o, or --dry-run"));
        }
        if (!dryRun && !toStdout) {
            // an existing file (a link to one included) is kept unless --force; a device or a pipe is written to
            if (Files.isRegularFile(output) && !force) {
                throw new ConfigException("recon init writes nothing:", List.of("-o " + output + ": the file exists;"
                        + " give --force to overwrite it, or another file"));
            }
            Path dir = output.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new ConfigException("recon init writes nothing:", List.of("-o " + output + ": directory "
                        + dir + " does not exist"));
            }
        }
        Survey survey = Recon.init(request());
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            out.print(PairingTable.render(survey));
            out.flush();
            return Main.IN_SYNC;
        }
        String text = MappingFile.render(survey, LocalDate.now());
        // as a report is written: whole or not at all, a link followed, a device or pipe written to as it is
        try (OutputTarget target = OutputTarget.open(toStdout ? null : output, out, "the mapping file")) {
            try {
                target.writer().write(text);
            } catch (IOException e) {
                throw new ConfigException("recon init writes nothing:", List.of("-o " + output + ": "
                        + e.getMessage()));
            }
            target.commit();
        }
        if (toStdout) {
            return Main.IN_SYNC;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println(summary(survey));
        err.println("Next: recon validate -c " + output + ", then recon diff -c " + output
                + " (and `recon schema > recon.schema.json` for your editor's completion).");
        err.flush();
        return Main.IN_SYNC;
    }

    /**
     * The request, with each side's password from the environment and the variable it came from
     * ({@code RECON_SOURCE_PASSWORD} or {@code RECON_TARGET_PASSWORD}, else {@code RECON_DB_PASSWORD}),
     * which the file names.
     */
    private InitRequest request() {
        String sourceVariable = set(InitRequest.SOURCE_PASSWORD) ? InitRequest.SOURCE_PASSWORD
                : set(InitRequest.SHARED_PASSWORD) ? InitRequest.SHARED_PASSWORD : null;
        String targetVariable = set(InitRequest.TARGET_PASSWORD) ? InitRequest.TARGET_PASSWORD
                : set(InitRequest.SHARED_PASSWORD) ? InitRequest.SHARED_PASSWORD : null;
        return new InitRequest(source, target, Optional.ofNullable(sourceSchema), Optional.ofNullable(targetSchema),
                Optional.ofNullable(sourceVariable).map(System::getenv), Optional.ofNullable(targetVariable)
                        .map(System::getenv), Optional.ofNullable(sourceVariable), Optional.ofNullable(targetVariable));
    }

    private static boolean set(String variable) {
        String value = System.getenv(variable);
        return value != null && !value.isEmpty();
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
