package dev.recon.sync;

import java.time.Duration;
import java.util.Optional;

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
        double maxRowsPerSecond) {

    public static final int DEFAULT_BATCH_SIZE = 5_000;
    public static final int DEFAULT_COPY_THRESHOLD = 1_000;
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    public SyncOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
    }

    public static SyncOptions defaults() {
        return new SyncOptions(DEFAULT_BATCH_SIZE, DEFAULT_COPY_THRESHOLD, MaxDeletes.parse("10%"), false,
                DEFAULT_LOCK_TIMEOUT, Optional.empty(), 10, 0);
    }

    public SyncOptions withBatchSize(int size) {
        return new SyncOptions(size, copyThreshold, maxDeletes, force, lockTimeout, statementTimeout, samplesPerKind, maxRowsPerSecond);
    }

    public SyncOptions withMaxDeletes(MaxDeletes max, boolean forced) {
        return new SyncOptions(batchSize, copyThreshold, max, forced, lockTimeout, statementTimeout, samplesPerKind, maxRowsPerSecond);
    }

    public SyncOptions withLockTimeout(Duration timeout) {
        return new SyncOptions(batchSize, copyThreshold, maxDeletes, force, timeout, statementTimeout, samplesPerKind, maxRowsPerSecond);
    }

    public SyncOptions withStatementTimeout(Optional<Duration> timeout) {
        return new SyncOptions(batchSize, copyThreshold, maxDeletes, force, lockTimeout, timeout, samplesPerKind, maxRowsPerSecond);
    }

    public SyncOptions withSamples(int samples) {
        return new SyncOptions(batchSize, copyThreshold, maxDeletes, force, lockTimeout, statementTimeout, samples,
                maxRowsPerSecond);
    }

    /** Rows written per second at most (0: no limit), for busy production servers. */
    public SyncOptions withMaxRowsPerSecond(double rate) {
        return new SyncOptions(batchSize, copyThreshold, maxDeletes, force, lockTimeout, statementTimeout,
                samplesPerKind, rate);
    }

    public SyncOptions withCopyThreshold(int threshold) {
        return new SyncOptions(batchSize, threshold, maxDeletes, force, lockTimeout, statementTimeout, samplesPerKind, maxRowsPerSecond);
    }
}
