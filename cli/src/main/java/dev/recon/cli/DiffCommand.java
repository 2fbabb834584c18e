package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.report.ReportFormat;
import dev.recon.report.RunReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Report what differs between source and target, per mapping. Writes nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every mapping is in sync", "1:differences found", "2:error"})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--sync", paramLabel = "NAME", description = "Only this mapping (repeatable; default: all).")
    List<String> syncs = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json, csv, markdown or sql (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10",
            description = "Sample rows shown per kind of change (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE, not stdout.")
    Path output;

    @Override
    public Integer call() {
        ReportFormat fmt = Formats.parse(spec, format);
        if (samples < 0) {
            throw new ParameterException(spec.commandLine(), "--samples must be 0 or more, not " + samples);
        }
        Recon recon = new Recon(common.load());
        try (OutputTarget target = OutputTarget.open(output, spec.commandLine().getOut())) {
            RunReport report = recon.diff(syncs, samples, fmt.writer(target.writer()));
            target.commit();
            return report.inSync() ? Main.IN_SYNC : Main.DIFFERENCES;
        }
    }
}
