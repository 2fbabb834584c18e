package dev.recon.cli;

import dev.recon.base.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr (rows against the estimate, rate, ETA; for several mappings,
 * mappings done and the differences they found) — only when recon runs on a terminal and is
 * not quiet; under cron, systemd or a pipe nothing is drawn.
 */
final class TerminalProgress implements Progress {
    private ProgressBar bar;
    /** Counting mappings (several run): their own phases are not drawn. */
    private boolean mappings;
    private long differences;

    static Progress forTerminal(boolean quiet) {
        return System.console() != null && !quiet ? new TerminalProgress() : Progress.NONE;
    }

    @Override
    public synchronized void startMappings(int total) {
        close();
        mappings = true;
        differences = 0;
        bar = new ProgressBarBuilder().setTaskName("mappings").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" mappings", 1).setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        bar.setExtraMessage("0 differences");
    }

    @Override
    public synchronized void mappingDone(long found) {
        if (bar != null && mappings) {
            differences += found;
            bar.step();
            bar.setExtraMessage(String.format("%,d differences", differences));
        }
    }

    @Override
    public synchronized void endMappings() {
        close();
        mappings = false;
    }

    @Override
    public synchronized void start(String task, long total) {
        if (mappings) {
            return;
        }
        close();
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total < 0 ? -1 : total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" rows", 1).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }

    @Override
    public synchronized void advance(long units) {
        if (bar != null && !mappings) {
            bar.stepBy(units);
        }
    }

    @Override
    public synchronized void finish() {
        if (!mappings) {
            close();
        }
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
