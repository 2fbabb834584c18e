package dev.recon;

import dev.recon.base.Progress;
import dev.recon.base.StopSignal;
import dev.recon.result.ChangeListener;
import dev.recon.config.SyncOptions;
import java.util.Collection;
import java.util.List;

/**
 * What to sync: the named mappings (all when empty), how to write ({@link SyncOptions}), who
 * hears of each change, and a stop signal: when raised, no batch commits after the one in
 * flight, the run is recorded as stopped and no further mapping starts.
 */
public record SyncRequest(List<String> mappings, SyncOptions options, ChangeListener listener, Progress progress,
        StopSignal stop, int jobs, boolean recheck,
        dev.recon.config.RangeOptions ranges) {
    public SyncRequest {
        mappings = List.copyOf(mappings);
    }

    public static SyncRequest of(Collection<String> mappings, SyncOptions options) {
        return new SyncRequest(List.copyOf(mappings), options, ChangeListener.NONE, Progress.NONE, StopSignal.never(),
                1, false, dev.recon.config.RangeOptions.NONE);
    }

    public SyncRequest withListener(ChangeListener to) {
        return new SyncRequest(mappings, options, to, progress, stop, jobs, recheck, ranges);
    }

    public SyncRequest withProgress(Progress to) {
        return new SyncRequest(mappings, options, listener, to, stop, jobs, recheck, ranges);
    }

    /** Up to this many mappings at once (each with its own connections and lock); 1 runs them in turn. */
    public SyncRequest withJobs(int at) {
        return new SyncRequest(mappings, options, listener, progress, stop, at, recheck, ranges);
    }

    /**
     * With {@code again}: the rows an apply left alone because they changed meanwhile are
     * compared again at once, by their keys on both sides, and written from their newest
     * values (once; what changes meanwhile again is left to the next run).
     */
    public SyncRequest withRecheck(boolean again) {
        return new SyncRequest(mappings, options, listener, progress, stop, jobs, again, ranges);
    }

    /** How mappings with {@code split_rows} or {@code threads} are cut ({@code --shard}, {@code --threads}, {@code --recut}). */
    public SyncRequest withRanges(dev.recon.config.RangeOptions cut) {
        return new SyncRequest(mappings, options, listener, progress, stop, jobs, recheck, cut);
    }

    public SyncRequest withStop(StopSignal signal) {
        return new SyncRequest(mappings, options, listener, progress, signal, jobs, recheck, ranges);
    }
}
