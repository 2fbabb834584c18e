package dev.recon.cli;

import dev.recon.config.ConfigLoader;
import dev.recon.config.ReconConfig;
import java.nio.file.Path;
import java.util.Locale;
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
    String logFormat;

    /** Sets up logging as the options say; call before anything logs. */
    void configureLogging() {
        Logging.Format format = switch (logFormat.toLowerCase(Locale.ROOT)) {
            case "text" -> Logging.Format.TEXT;
            case "json" -> Logging.Format.JSON;
            default -> throw new picocli.CommandLine.ParameterException(command.commandLine(),
                    "--log-format must be text or json, not '" + logFormat + "'");
        };
        Logging.configure(verbose.length, quiet, format, command.commandLine().getErr());
    }

    ReconConfig load() {
        configureLogging();
        return ConfigLoader.load(config);
    }
}
