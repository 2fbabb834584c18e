package dev.recon.cli;

import dev.recon.sync.MaxDeletes;
import dev.recon.sync.SyncOptions;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How {@code recon sync} and {@code recon serve} write: batches, the delete guard, timeouts, pace. */
final class WriteOptions {
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
            max = MaxDeletes.parse(maxDeletes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return SyncOptions.defaults().withBatchSize(batchSize).withMaxDeletes(max, force)
                .withLockTimeout(lockTimeout).withStatementTimeout(Optional.ofNullable(statementTimeout))
                .withSamples(samples).withMaxRowsPerSecond(maxRowsPerSecond);
    }
}
