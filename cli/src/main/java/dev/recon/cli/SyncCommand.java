package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.SyncRequest;
import dev.recon.base.StopSignal;
import dev.recon.config.ReconConfig;
import dev.recon.report.ReportFormat;
import dev.recon.report.ReportWriter;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Apply the differences to the targets. Rows the target refuses are recorded and retried"
                + " by the next run.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:converged: every difference applied", "1:some rows failed; the next run retries them",
                "2:error (configuration, connection, lock, --max-deletes), or stopped by SIGTERM/SIGINT after the batch"
                        + " in flight; the next run does the rest"})
final class SyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ReportOptions report;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    WriteOptions write;

    @Option(names = "--dry-run", description = "Report what the sync would write and whether it would refuse"
            + " (the same checks and guards), writing nothing; exit 0 in sync, 1 changes to write, 2 it would refuse.")
    boolean dryRun;

    @Option(names = "--recheck", description = "Compare the rows another writer changed after recon read them again"
            + " at once, by their keys on both sides, and write what still differs from the newest values (once);"
            + " without it the next run does.")
    boolean recheck;

    @Option(names = "--recut", description = "Cut the mappings with split_rows or threads into key ranges again from"
            + " the current statistics and store the cut for the workers of --shard (run it when no sharded run is"
            + " under way: workers that read different cuts could miss rows).")
    boolean recut;

    @Option(names = "--stop-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "On SIGTERM or SIGINT, how long the batch in flight may take to finish; then the run's"
                    + " connections are aborted, its statement in flight rolled back, and recon exits 2 with what"
                    + " committed (default: ${DEFAULT-VALUE}).")
    java.time.Duration stopTimeout;

    @Override
    public Integer call() {
        ReportFormat fmt = report.validated(spec);
        if (recut && report.shard != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--recut cannot go with --shard: each"
                    + " worker would store a cut of its own, and workers that read different cuts could miss rows;"
                    + " cut once without --shard, then start the shards");
        }
        SyncOptions options = write.options(spec, report.samples);
        ReconConfig config = report.orErrorReport(spec, fmt, common::load);
        List<String> names = report.mappings(config);
        if (names == null) {
            report.nothingInShard(spec);
            return Main.IN_SYNC;
        }
        Recon recon = new Recon(config);
        metrics.shard = report.shard;
        try (OutputTarget target = OutputTarget.open(report.output, spec.commandLine().getOut())) {
            if (dryRun) {
                // the sync's verdict without its writes: 2 where it would refuse, 1 where it would write
                ReportWriter writer = fmt.writer(target.writer());
                RunResult result = report.orErrorReport(target, writer, () -> recon.dryRun(SyncRequest.of(names,
                        options).withListener(writer.listener()).withProgress(TerminalProgress.forTerminal(common.quiet))
                        .withJobs(report.jobs).withRanges(report.ranges(false))));
                if (!report.publish(spec, writer, target, result, () -> metrics.write(recon, result, true))) {
                    return Main.ERROR;
                }
                metrics.write(recon, result);
                if (report.printErrors(spec, result, fmt)) {
                    return Main.ERROR;
                }
                return result.inSync() ? Main.IN_SYNC : Main.DIFFERENCES;
            }
            StopSignal stop = StopSignal.withGrace(stopTimeout);
            ReportWriter writer = fmt.writer(target.writer());
            RunResult result;
            try (Signals signals = Signals.stopOn(stop)) {
                result = report.orErrorReport(target, writer, () -> recon.sync(SyncRequest.of(names, options)
                        .withListener(writer.listener()).withProgress(TerminalProgress.forTerminal(common.quiet))
                        .withStop(stop).withJobs(report.jobs).withRecheck(recheck)
                        .withRanges(report.ranges(recut))));
            }
            if (!report.publish(spec, writer, target, result, () -> metrics.write(recon, result, true))) {
                return Main.ERROR;
            }
            metrics.write(recon, result);
            if (report.printErrors(spec, result, fmt)) {
                return Main.ERROR;
            }
            return result.converged() ? Main.IN_SYNC : Main.DIFFERENCES;
        }
    }
}
