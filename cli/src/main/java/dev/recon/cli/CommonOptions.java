package dev.recon.cli;

import dev.recon.config.ConfigLoader;
import dev.recon.config.ReconConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that reads a mapping file shares. */
final class CommonOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "recon.yaml",
            description = "Mapping file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = {"-v", "--verbose"}, description = "Log progress to stderr; show stack traces of errors.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Log only errors.")
    boolean quiet;

    ReconConfig load() {
        Logging.configure(verbose.length, quiet);
        return ConfigLoader.load(config);
    }
}
