package dev.recon;

import dev.recon.base.Progress;
import dev.recon.base.StopSignal;
import dev.recon.result.ChangeListener;
import dev.recon.run.SyncOptions;
import java.util.Collection;
import java.util.List;

/**
 * What to sync: the named mappings (all when empty), how to write ({@link SyncOptions}), who
 * hears of each change, and a stop signal: when raised, no batch commits after the one in
 * flight, the run is recorded as stopped and no further mapping starts.
 */
public record SyncRequest(List<String> mappings, SyncOptions options, ChangeListener listener, Progress progress,
        StopSignal stop) {
    public SyncRequest {
        mappings = List.copyOf(mappings);
    }

    public static SyncRequest of(Collection<String> mappings, SyncOptions options) {
        return new SyncRequest(List.copyOf(mappings), options, ChangeListener.NONE, Progress.NONE, StopSignal.never());
    }

    public SyncRequest withListener(ChangeListener to) {
        return new SyncRequest(mappings, options, to, progress, stop);
    }

    public SyncRequest withProgress(Progress to) {
        return new SyncRequest(mappings, options, listener, to, stop);
    }

    public SyncRequest withStop(StopSignal signal) {
        return new SyncRequest(mappings, options, listener, progress, signal);
    }
}
