package dev.recon.result;

/**
 * What a sync would write for one mapping, as a dry run predicts it: rows per operation and
 * the batches (transactions) they take. An initial load copies every source row into the
 * empty target instead of writing changes.
 */
public record WritePlan(boolean initialLoad, long inserts, long updates, long deletes, int batchSize,
        double maxRowsPerSecond) {
    public WritePlan {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
    }

    /** Batches of inserts and updates (they travel together). */
    public long upsertBatches() {
        return (inserts + updates + batchSize - 1) / batchSize;
    }

    /** Batches of deletes (or soft deletes). */
    public long deleteBatches() {
        return (deletes + batchSize - 1) / batchSize;
    }

    public long batches() {
        return upsertBatches() + deleteBatches();
    }

    public long rows() {
        return inserts + updates + deletes;
    }

    /**
     * About how long the writes take under {@code --max-rows-per-second} (the first batch goes at
     * once, each later one waits for its share); 0 when not throttled.
     */
    public double throttledSeconds() {
        return maxRowsPerSecond > 0 ? Math.max(0, rows() - batchSize) / maxRowsPerSecond : 0;
    }
}
