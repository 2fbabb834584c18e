package dev.recon.cli;

import dev.recon.base.ReconException;
import dev.recon.config.ReconConfig;
import dev.recon.report.ReportFormat;
import dev.recon.result.RunResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;
import dev.recon.config.RangeOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Options of the commands that compare and report: which mappings, which format, where to. */
final class ReportOptions {
    @Option(names = "--sync", paramLabel = "NAME", description = "Only this mapping (repeatable; default: all).")
    List<String> syncs = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json, csv, markdown, sql or html (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10",
            description = "Sample rows shown per kind of change (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "4",
            description = "Up to N mappings (tables of a schema entry) at once, each with its own connections;"
                    + " the report keeps their order (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--shard", paramLabel = "INDEX/COUNT",
            description = "Only shard INDEX (0 to COUNT-1) of COUNT: a stable share of the mappings by a hash of"
                    + " their names, and of the key ranges of mappings with split_rows, for COUNT workers (a"
                    + " Kubernetes Indexed Job) that each take theirs.")
    String shard;

    @Option(names = "--threads", paramLabel = "N",
            description = "Compare every mapping that sets no threads: of its own in N key ranges at once, each on"
                    + " its own connections to both sides (needs an integer first key column; 1 to 64).")
    Integer threads;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE, not stdout.")
    Path output;

    /**
     * Prints the mappings' errors on stderr, unless the text report on stdout already lists
     * them (each message once on a terminal); true when there were any.
     */
    boolean printErrors(CommandSpec spec, RunResult result, ReportFormat fmt) {
        if (result.errors().isEmpty()) {
            return false;
        }
        if (output != null || fmt != ReportFormat.TEXT) {
            PrintWriter err = spec.commandLine().getErr();
            List<String> errors = result.errors();
            List<String> names = result.erroredMappings();
            for (int i = 0; i < errors.size(); i++) {
                // a JSON log event carries the mapping's name in its "sync" field, as the run's own events do
                try (MDC.MDCCloseable mdc = names.size() == errors.size() ? MDC.putCloseable("sync", names.get(i))
                        : null) {
                    Logging.error(err, errors.get(i));
                }
            }
            err.flush();
        }
        return true;
    }

    /**
     * Runs a step that may fail before any report is written (loading the file, planning the
     * run): on an error, a format that can carry it ({@code json}, {@code sql}) gets a document
     * saying so, to {@code --output} or stdout as a report would; the error then goes on to be
     * printed on stderr, exit 2.
     */
    <T> T orErrorReport(CommandSpec spec, ReportFormat fmt, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (ReconException e) {
            try (OutputTarget target = OutputTarget.open(output, spec.commandLine().getOut())) {
                errorReport(target, fmt.writer(target.writer()), e);
            } catch (RuntimeException cannot) {
                e.addSuppressed(cannot);
            }
            throw e;
        }
    }

    /** As {@link #orErrorReport(CommandSpec, ReportFormat, java.util.function.Supplier)}, into an open report. */
    <T> T orErrorReport(OutputTarget target, dev.recon.report.ReportWriter writer,
            java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (ReconException e) {
            try {
                errorReport(target, writer, e);
            } catch (RuntimeException cannot) {
                e.addSuppressed(cannot);
            }
            throw e;
        }
    }

    /** Writes the error's document when the report is still empty and its format has a place for it. */
    private static void errorReport(OutputTarget target, dev.recon.report.ReportWriter writer, ReconException e) {
        if (!target.untouched()) {
            return; // part of a report went out already: the error is said on stderr alone
        }
        String message = e.getMessage().replaceFirst(":$", "");
        List<String> errors = e.problems().isEmpty() ? List.of(message) : e.problems();
        try {
            if (writer.failed(message, errors)) {
                target.commit();
            }
        } catch (java.io.IOException io) {
            throw new ReconException("cannot write the report: " + io.getMessage(), io);
        }
    }

    /**
     * Renders and publishes the report; true when it was written. When it cannot be (a full
     * disk, a lost directory) no part of it is left behind, {@code metricsAnyway} still writes
     * the metrics (with {@code recon_report_failed 1}), and stderr says what the run itself did,
     * which the history and the metrics hold: the caller exits 2 (an error), but the data is as
     * the message says.
     */
    boolean publish(CommandSpec spec, dev.recon.report.ReportWriter writer, OutputTarget target, RunResult result,
            Runnable metricsAnyway) {
        try {
            writer.render(result);
            target.commit();
            return true;
        } catch (RuntimeException e) {
            target.close();
            try {
                metricsAnyway.run();
            } catch (RuntimeException metrics) {
                e.addSuppressed(metrics);
            }
            String did = switch (result.kind()) {
                case SYNC -> result.converged() ? "the sync itself converged: every difference was applied"
                        : "the sync itself did not converge (see recon history)";
                case DIFF, DRY_RUN -> result.inSync() ? "the tables are in sync" : "the comparison found differences";
            };
            PrintWriter err = spec.commandLine().getErr();
            Logging.error(err, "the report could not be written (" + e.getMessage() + "); " + did
                    + (result.errors().isEmpty() ? "" : ", with " + result.errors().size() + " mapping error(s)"));
            err.flush();
            return false;
        }
    }

    /**
     * The mappings to run: those of {@code --sync} (all when none), kept to this worker's
     * {@code --shard}; null when this shard holds none of them (nothing to run).
     */
    List<String> mappings(ReconConfig config) {
        if (shard == null) {
            return syncs;
        }
        String[] p = shard.split("/");
        List<String> mine = config.shard(syncs, Integer.parseInt(p[0]), Integer.parseInt(p[1]),
                threads != null && threads > 1);
        return mine.isEmpty() ? null : mine;
    }

    /** How mappings are cut into key ranges: this worker's {@code --shard} and {@code --threads}. */
    RangeOptions ranges(boolean recut) {
        if (shard == null) {
            return new RangeOptions(0, 1, threads == null ? 0 : threads, recut);
        }
        String[] p = shard.split("/");
        return new RangeOptions(Integer.parseInt(p[0]), Integer.parseInt(p[1]), threads == null ? 0 : threads, recut);
    }

    /** Says that this shard has nothing to do. */
    void nothingInShard(CommandSpec spec) {
        spec.commandLine().getOut().println("shard " + shard + " holds none of the mappings; nothing to do");
        spec.commandLine().getOut().flush();
    }

    /** The chosen format, after checking every option here. */
    ReportFormat validated(CommandSpec spec) {
        if (shard != null && !shard.matches("\\d+/\\d+")) {
            throw new ParameterException(spec.commandLine(), "--shard takes INDEX/COUNT, e.g. 0/4, not '" + shard + "'");
        }
        if (shard != null) {
            String[] p = shard.split("/");
            if (Integer.parseInt(p[1]) < 1 || Integer.parseInt(p[0]) >= Integer.parseInt(p[1])) {
                throw new ParameterException(spec.commandLine(), "--shard INDEX/COUNT needs 0 <= INDEX < COUNT, not '"
                        + shard + "'");
            }
        }
        if (threads != null && (threads < 1 || threads > dev.recon.config.ConfigLoader.MAX_THREADS)) {
            throw new ParameterException(spec.commandLine(), "--threads must be from 1 to "
                    + dev.recon.config.ConfigLoader.MAX_THREADS + ", not " + threads);
        }
        if (jobs < 1) {
            throw new ParameterException(spec.commandLine(), "--jobs must be at least 1, not " + jobs);
        }
        if (samples < 0) {
            throw new ParameterException(spec.commandLine(), "--samples must be 0 or more, not " + samples);
        }
        return format;
    }
}
