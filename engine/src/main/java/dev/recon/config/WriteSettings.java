package dev.recon.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A mapping's own write settings from the mapping file ({@code max_deletes},
 * {@code batch_size}, {@code max_rows_per_second}, {@code statement_timeout}); each, when
 * set, replaces the default for this mapping, and the same flag on the command line
 * replaces it again.
 */
public record WriteSettings(Optional<MaxDeletes> maxDeletes, OptionalInt batchSize, OptionalDouble maxRowsPerSecond,
        Optional<Duration> statementTimeout) {

    public static final WriteSettings NONE = new WriteSettings(Optional.empty(), OptionalInt.empty(),
            OptionalDouble.empty(), Optional.empty());
}
