package dev.recon;

import dev.recon.base.Progress;
import dev.recon.result.ChangeListener;
import java.util.Collection;
import java.util.List;

/**
 * What to compare: the named mappings (all when empty), optionally only the rows with these
 * keys ({@code COLUMN=VALUE[,COLUMN=VALUE]} per key, target key column names, every key
 * column named), with {@code samplesPerKind} sample rows kept per operation.
 */
public record DiffRequest(List<String> mappings, List<String> keys, int samplesPerKind, ChangeListener listener,
        Progress progress, int jobs, dev.recon.config.RangeOptions ranges) {
    public DiffRequest {
        mappings = List.copyOf(mappings);
        keys = List.copyOf(keys);
    }

    /** The named mappings (all when empty), 10 samples per operation, no listener, no progress. */
    public static DiffRequest of(Collection<String> mappings) {
        return new DiffRequest(List.copyOf(mappings), List.of(), 10, ChangeListener.NONE, Progress.NONE, 1,
                dev.recon.config.RangeOptions.NONE);
    }

    public DiffRequest withKeys(List<String> only) {
        return new DiffRequest(mappings, only, samplesPerKind, listener, progress, jobs, ranges);
    }

    public DiffRequest withSamples(int perKind) {
        return new DiffRequest(mappings, keys, perKind, listener, progress, jobs, ranges);
    }

    public DiffRequest withListener(ChangeListener to) {
        return new DiffRequest(mappings, keys, samplesPerKind, to, progress, jobs, ranges);
    }

    /** Up to this many mappings at once (each with its own connections); 1 runs them one after the other. */
    public DiffRequest withJobs(int at) {
        return new DiffRequest(mappings, keys, samplesPerKind, listener, progress, at, ranges);
    }

    /** How mappings with {@code split_rows} or {@code threads} are cut ({@code --shard}, {@code --threads}). */
    public DiffRequest withRanges(dev.recon.config.RangeOptions options) {
        return new DiffRequest(mappings, keys, samplesPerKind, listener, progress, jobs, options);
    }

    public DiffRequest withProgress(Progress to) {
        return new DiffRequest(mappings, keys, samplesPerKind, listener, to, jobs, ranges);
    }
}
