package dev.recon.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A mapping's own run settings from the mapping file ({@code max_deletes},
 * {@code batch_size}, {@code max_rows_per_second}, {@code statement_timeout}, and how one big
 * table is cut: {@code split_rows}, {@code threads}); each, when set, replaces the default for
 * this mapping, and the same flag on the command line replaces it again.
 */
public record WriteSettings(Optional<MaxDeletes> maxDeletes, OptionalInt batchSize, OptionalDouble maxRowsPerSecond,
        Optional<Duration> statementTimeout, OptionalLong splitRows, OptionalInt threads) {

    public static final WriteSettings NONE = new WriteSettings(Optional.empty(), OptionalInt.empty(),
            OptionalDouble.empty(), Optional.empty(), OptionalLong.empty(), OptionalInt.empty());

    public WriteSettings(Optional<MaxDeletes> maxDeletes, OptionalInt batchSize, OptionalDouble maxRowsPerSecond,
            Optional<Duration> statementTimeout) {
        this(maxDeletes, batchSize, maxRowsPerSecond, statementTimeout, OptionalLong.empty(), OptionalInt.empty());
    }

    /** True when the mapping is cut into key ranges ({@code split_rows}, or {@code threads} above 1). */
    public boolean split() {
        return splitRows.isPresent() || threads.orElse(1) > 1;
    }
}
