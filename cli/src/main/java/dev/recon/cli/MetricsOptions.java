package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.metrics.RunMetrics;
import dev.recon.report.RunReport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Option;

/** {@code --metrics-file}: the run's figures in the Prometheus text format, for node_exporter's textfile collector. */
final class MetricsOptions {
    @Option(names = "--metrics-file", paramLabel = "PATH",
            description = "Write the run's metrics in the Prometheus text format to PATH, atomically (a temporary"
                    + " file renamed into place), e.g. for node_exporter's textfile collector.")
    Path metricsFile;

    /** Writes the metrics when asked to; a run that failed before this writes none. */
    void write(Recon recon, RunReport report) {
        if (metricsFile == null) {
            return;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMetrics.record(registry, report, recon::lastConverged, Instant.now());
        try (OutputTarget file = OutputTarget.open(metricsFile, null)) {
            file.writer().write(registry.scrape());
            file.commit();
        } catch (IOException e) {
            throw new dev.recon.ReconException("cannot write the metrics file " + metricsFile + ": " + e.getMessage(), e);
        }
    }
}
