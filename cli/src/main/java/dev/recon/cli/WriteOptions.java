package dev.recon.cli;

import dev.recon.config.MaxDeletes;
import dev.recon.config.SyncOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How {@code recon sync} and {@code recon serve} write: batches, the delete guard, timeouts, pace. */
final class WriteOptions {
    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + SyncOptions.DEFAULT_BATCH_SIZE,
            description = "Rows per batch; each batch commits on its own (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-deletes", paramLabel = "N|P%",
            description = "Stop before writing when a mapping would delete more rows than this, a number or a"
                    + " percentage of the target (default: 10%% of the target or 100 rows, whichever is more,"
                    + " and never every row of a non-empty target).")
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

    /** The sync options these flags describe, after checking them. */
    SyncOptions options(CommandSpec spec, int samples) {
        if (batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, not " + batchSize);
        }
        if (maxRowsPerSecond < 0) {
            throw new ParameterException(spec.commandLine(), "--max-rows-per-second must be 0 (no limit) or more");
        }
        MaxDeletes max;
        try {
            max = maxDeletes == null ? MaxDeletes.standard() : MaxDeletes.parse(maxDeletes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        // the flags given here win over each mapping's own settings in the mapping file
        Set<SyncOptions.Setting> given = EnumSet.noneOf(SyncOptions.Setting.class);
        var parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedOption("--max-deletes")) {
            given.add(SyncOptions.Setting.MAX_DELETES);
        }
        if (parsed.hasMatchedOption("--batch-size")) {
            given.add(SyncOptions.Setting.BATCH_SIZE);
        }
        if (parsed.hasMatchedOption("--max-rows-per-second")) {
            given.add(SyncOptions.Setting.MAX_ROWS_PER_SECOND);
        }
        if (parsed.hasMatchedOption("--statement-timeout")) {
            given.add(SyncOptions.Setting.STATEMENT_TIMEOUT);
        }
        return SyncOptions.defaults().withBatchSize(batchSize).withMaxDeletes(max, force)
                .withLockTimeout(lockTimeout).withStatementTimeout(Optional.ofNullable(statementTimeout))
                .withSamples(samples).withMaxRowsPerSecond(maxRowsPerSecond).withFromCommandLine(given);
    }
}
