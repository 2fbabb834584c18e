package dev.recon.cli;

import dev.recon.DiffRequest;
import dev.recon.Recon;
import dev.recon.config.ReconConfig;
import dev.recon.report.ReportFormat;
import dev.recon.report.ReportWriter;
import dev.recon.result.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    @Mixin
    ReportOptions report;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--key", paramLabel = "COLUMN=VALUE[,COLUMN=VALUE]",
            description = "Compare only the row with this key (target key column names; repeatable); every"
                    + " strategy reads just that row on each side.")
    List<String> keys = new ArrayList<>();

    @Override
    public Integer call() {
        ReportFormat fmt = report.validated(spec);
        ReconConfig config = report.orErrorReport(spec, fmt, common::load);
        List<String> names = report.mappings(config);
        if (names == null) {
            report.nothingInShard(spec);
            return Main.IN_SYNC;
        }
        Recon recon = new Recon(config);
        metrics.shard = report.shard;
        try (OutputTarget target = OutputTarget.open(report.output, spec.commandLine().getOut())) {
            ReportWriter writer = fmt.writer(target.writer());
            RunResult result = report.orErrorReport(target, writer, () -> recon.diff(DiffRequest.of(names)
                    .withKeys(keys).withSamples(report.samples).withListener(writer.listener())
                    .withProgress(TerminalProgress.forTerminal(common.quiet)).withJobs(report.jobs)
                    .withRanges(report.ranges(false))));
            if (!report.publish(spec, writer, target, result, () -> metrics.write(recon, result, true))) {
                return Main.ERROR;
            }
            metrics.write(recon, result);
            if (report.printErrors(spec, result, fmt)) {
                return Main.ERROR;
            }
            return result.inSync() ? Main.IN_SYNC : Main.DIFFERENCES;
        }
    }
}
