package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.config.ReconConfig;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every command that reads a mapping file shares. */
final class CommonOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "recon.yaml",
            description = "Mapping file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = {"-v", "--verbose"}, description = "Log progress to stderr (-vv: debug); show stack traces of"
            + " errors.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Log only errors.")
    boolean quiet;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Log lines as text (default) or json: one JSON object per line, with logstash's field"
                    + " names (@timestamp, @version, level, level_value, logger_name, thread_name, message, sync, and"
                    + " stack_trace for errors), for log pipelines.")
    Logging.Format logFormat;

    /** Sets up logging as the options say; Main's execution strategy calls it before the command runs. */
    void configureLogging(boolean infoByDefault) {
        int verbosity = verbose.length == 0 && infoByDefault ? 1 : verbose.length;
        Logging.configure(verbosity, quiet, logFormat, command.commandLine().getErr());
        Logging.showStackTraces(verbose.length > 0);
    }

    /** The mapping file, with its schema entries expanded into one mapping per table (read from the catalogs). */
    ReconConfig load() {
        return Recon.load(config);
    }
}
