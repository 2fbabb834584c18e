package dev.recon.testing;

import dev.recon.DiffRequest;
import dev.recon.Recon;
import dev.recon.SyncRequest;
import dev.recon.base.Progress;
import dev.recon.base.StopSignal;
import dev.recon.report.ReportWriter;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import java.util.List;

/** Runs as the command line does them: the writer listens to the run, then renders its result. */
public final class Runs {
    private Runs() {
    }

    public static RunResult diff(Recon recon, int samples, ReportWriter writer) {
        return diff(recon, List.of(), samples, writer, Progress.NONE);
    }

    public static RunResult diff(Recon recon, List<String> keys, int samples, ReportWriter writer, Progress progress) {
        RunResult result = recon.diff(DiffRequest.of(List.of()).withKeys(keys).withSamples(samples)
                .withListener(writer.listener()).withProgress(progress));
        writer.render(result);
        return result;
    }

    public static RunResult sync(Recon recon, SyncOptions options, ReportWriter writer) {
        return sync(recon, options, writer, Progress.NONE, StopSignal.never());
    }

    public static RunResult sync(Recon recon, SyncOptions options, ReportWriter writer, Progress progress,
            StopSignal stop) {
        RunResult result = recon.sync(SyncRequest.of(List.of(), options).withListener(writer.listener())
                .withProgress(progress).withStop(stop));
        writer.render(result);
        return result;
    }
}
