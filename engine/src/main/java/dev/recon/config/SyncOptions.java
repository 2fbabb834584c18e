package dev.recon.config;

import dev.recon.config.MaxDeletes;
import dev.recon.config.WriteSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How a sync writes. {@code maxDeletes}: the most rows one run may delete (soft deletes
 * included) before it stops without writing; {@code force} lifts that guard.
 */
public record SyncOptions(
        int batchSize,
        int copyThreshold,
        MaxDeletes maxDeletes,
        boolean force,
        Duration lockTimeout,
        Optional<Duration> statementTimeout,
        int samplesPerKind,
        double maxRowsPerSecond,
        Set<Setting> fromCommandLine) {

    /** The settings a mapping may set for itself, unless the command line sets them for all. */
    public enum Setting { MAX_DELETES, BATCH_SIZE, MAX_ROWS_PER_SECOND, STATEMENT_TIMEOUT }

    public static final int DEFAULT_BATCH_SIZE = 5_000;
    public static final int DEFAULT_COPY_THRESHOLD = 1_000;
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    public SyncOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
        fromCommandLine = Set.copyOf(fromCommandLine);
    }

    /** The same options, saying which were given on the command line (a mapping's own settings yield to those). */
    public SyncOptions withFromCommandLine(Set<Setting> given) {
        return new SyncOptions(batchSize, copyThreshold, maxDeletes, force, lockTimeout, statementTimeout,
                samplesPerKind, maxRowsPerSecond, given);
    }

    /** The options for one mapping: its own settings from the mapping file, where the command line set none. */
    public SyncOptions forMapping(WriteSettings writes) {
        SyncOptions o = this;
        if (!fromCommandLine.contains(Setting.MAX_DELETES) && writes.maxDeletes().isPresent()) {
            o = o.withMaxDeletes(writes.maxDeletes().get(), force);
        }
        if (!fromCommandLine.contains(Setting.BATCH_SIZE) && writes.batchSize().isPresent()) {
            o = o.withBatchSize(writes.batchSize().getAsInt());
        }
        if (!fromCommandLine.contains(Setting.MAX_ROWS_PER_SECOND) && writes.maxRowsPerSecond().isPresent()) {
            o = o.withMaxRowsPerSecond(writes.maxRowsPerSecond().getAsDouble());
        }
        if (!fromCommandLine.contains(Setting.STATEMENT_TIMEOUT) && writes.statementTimeout().isPresent()) {
            o = o.withStatementTimeout(writes.statementTimeout());
        }
        return o;
    }

    public static SyncOptions defaults() {
        return new SyncOptions(DEFAULT_BATCH_SIZE, DEFAULT_COPY_THRESHOLD, MaxDeletes.standard(), false,
                DEFAULT_LOCK_TIMEOUT, Optional.empty(), 10, 0, Set.of());
    }

    public SyncOptions withBatchSize(int size) {
        return new SyncOptions(size, copyThreshold, maxDeletes, force, lockTimeout, statementTimeout, samplesPerKind, maxRowsPerSecond, fromCommandLine);
    }

    public SyncOptions withMaxDeletes(MaxDeletes max, boolean forced) {
        return new SyncOptions(batchSize, copyThreshold, max, forced, lockTimeout, statementTimeout, samplesPerKind, maxRowsPerSecond, fromCommandLine);
    }

    public SyncOptions withLockTimeout(Duration timeout) {
        return new SyncOptions(batchSize, copyThreshold, maxDeletes, force, timeout, statementTimeout, samplesPerKind, maxRowsPerSecond, fromCommandLine);
    }

    public SyncOptions withStatementTimeout(Optional<Duration> timeout) {
        return new SyncOptions(batchSize, copyThreshold, maxDeletes, force, lockTimeout, timeout, samplesPerKind, maxRowsPerSecond, fromCommandLine);
    }

    public SyncOptions withSamples(int samples) {
        return new SyncOptions(batchSize, copyThreshold, maxDeletes, force, lockTimeout, statementTimeout, samples,
                maxRowsPerSecond, fromCommandLine);
    }

    /** Rows written per second at most (0: no limit), for busy production servers. */
    public SyncOptions withMaxRowsPerSecond(double rate) {
        return new SyncOptions(batchSize, copyThreshold, maxDeletes, force, lockTimeout, statementTimeout,
                samplesPerKind, rate, fromCommandLine);
    }

    public SyncOptions withCopyThreshold(int threshold) {
        return new SyncOptions(batchSize, threshold, maxDeletes, force, lockTimeout, statementTimeout, samplesPerKind, maxRowsPerSecond, fromCommandLine);
    }
}
