package dev.recon.cli;

import dev.recon.base.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr (rows against the estimate, rate, ETA) — only when recon runs on
 * a terminal and is not quiet; under cron, systemd or a pipe nothing is drawn.
 */
final class TerminalProgress implements Progress {
    private ProgressBar bar;

    static Progress forTerminal(boolean quiet) {
        return System.console() != null && !quiet ? new TerminalProgress() : Progress.NONE;
    }

    @Override
    public void start(String task, long total) {
        finish();
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total < 0 ? -1 : total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" rows", 1).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }

    @Override
    public void advance(long units) {
        if (bar != null) {
            bar.stepBy(units);
        }
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
