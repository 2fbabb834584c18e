package dev.recon.config;

/**
 * How a run cuts mappings with {@code split_rows} or {@code threads} into key ranges
 * ({@link KeyRanges}): only the ranges of shard {@code shardIndex} of {@code shardCount}
 * ({@code --shard}; count 1: every range), {@code threads} ranges of a mapping at once where the
 * mapping sets none ({@code --threads}; 0: the mapping's own, else 1), and {@code recut}: cut
 * again and store the new cut ({@code --recut}).
 */
public record RangeOptions(int shardIndex, int shardCount, int threads, boolean recut) {
    public static final RangeOptions NONE = new RangeOptions(0, 1, 0, false);

    public RangeOptions {
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
            throw new IllegalArgumentException("shard " + shardIndex + "/" + shardCount);
        }
    }

    public boolean sharded() {
        return shardCount > 1;
    }
}
