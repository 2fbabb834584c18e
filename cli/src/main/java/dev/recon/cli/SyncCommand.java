package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.StopSignal;
import dev.recon.report.ReportFormat;
import dev.recon.report.RunReport;
import dev.recon.sync.MaxDeletes;
import dev.recon.sync.SyncOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + SyncOptions.DEFAULT_BATCH_SIZE,
            description = "Rows per batch; each batch commits on its own (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-deletes", paramLabel = "N|P%", defaultValue = "10%",
            description = "Stop before writing when a mapping would delete more rows than this, a number or a"
                    + " percentage of the target (default: ${DEFAULT-VALUE}).")
    String maxDeletes;

    @Option(names = "--force", description = "Ignore --max-deletes.")
    boolean force;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = Durations.class,
            description = "How long to wait for another run of the same mapping to finish (default: ${DEFAULT-VALUE}).")
    Duration lockTimeout;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "Cancel any write statement that runs longer (default: no limit).")
    Duration statementTimeout;

    @Option(names = "--max-rows-per-second", paramLabel = "N", defaultValue = "0",
            description = "Write at most N rows per second, to spare a busy production server (default: no limit).")
    double maxRowsPerSecond;

    @Option(names = "--dry-run", description = "Only report what would change: the same as recon diff.")
    boolean dryRun;

    @Override
    public Integer call() {
        ReportFormat fmt = report.validated(spec);
        if (batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, not " + batchSize);
        }
        if (maxRowsPerSecond < 0) {
            throw new ParameterException(spec.commandLine(), "--max-rows-per-second must be 0 (no limit) or more");
        }
        MaxDeletes max;
        try {
            max = MaxDeletes.parse(maxDeletes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SyncOptions options = SyncOptions.defaults().withBatchSize(batchSize).withMaxDeletes(max, force)
                .withLockTimeout(lockTimeout).withStatementTimeout(Optional.ofNullable(statementTimeout))
                .withSamples(report.samples).withMaxRowsPerSecond(maxRowsPerSecond);
        Recon recon = new Recon(common.load());
        try (OutputTarget target = OutputTarget.open(report.output, spec.commandLine().getOut())) {
            if (dryRun) {
                RunReport result = recon.diff(report.syncs, report.samples, fmt.writer(target.writer()));
                target.commit();
                metrics.write(recon, result);
                return result.inSync() ? Main.IN_SYNC : Main.DIFFERENCES;
            }
            StopSignal stop = new StopSignal();
            RunReport result;
            try (Signals signals = Signals.stopOn(stop)) {
                result = recon.sync(report.syncs, options, fmt.writer(target.writer()),
                        TerminalProgress.forTerminal(common.quiet), stop);
            }
            target.commit();
            metrics.write(recon, result);
            if (!result.errors().isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                result.errors().forEach(e -> Logging.error(err, e));
                err.flush();
                return Main.ERROR;
            }
            return result.converged() ? Main.IN_SYNC : Main.DIFFERENCES;
        }
    }
}
