package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.base.ReconException;
import dev.recon.metrics.RunMetrics;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine.Option;

/**
 * Where a finished run's figures go: {@code --metrics-file} (Prometheus text, for
 * node_exporter's textfile collector) and {@code --pushgateway} (a Prometheus Pushgateway,
 * one group per mapping under job {@code recon}).
 */
final class MetricsOptions {
    static final String JOB = "recon";

    @Option(names = "--metrics-file", paramLabel = "PATH",
            description = "Write the run's metrics in the Prometheus text format to PATH, atomically (a temporary"
                    + " file renamed into place), e.g. for node_exporter's textfile collector.")
    Path metricsFile;

    @Option(names = "--pushgateway", paramLabel = "URL",
            description = "Push the run's metrics to this Prometheus Pushgateway (http://host:port, https://…;"
                    + " user:password@ for basic auth), under job '" + JOB + "', one group per mapping"
                    + " (grouping key sync=NAME); each push replaces that mapping's previous one.")
    String pushgateway;

    /** This worker's {@code --shard} (null for none): its pushes are grouped apart from the other shards'. */
    String shard;

    /** Writes and pushes the metrics when asked to; a run that failed before its report has none. */
    void write(Recon recon, RunResult report) {
        write(recon, report, false);
    }

    /** The same; {@code reportFailed} adds {@code recon_report_failed 1} (the report could not be written). */
    void write(Recon recon, RunResult report, boolean reportFailed) {
        if (metricsFile == null && pushgateway == null) {
            return;
        }
        Instant finished = Instant.now();
        // one query of the state schema per mapping, whether the figures go to a file, a gateway or both
        Map<String, Optional<Instant>> converged = new HashMap<>();
        Function<String, Optional<Instant>> lastConverged = n -> converged.computeIfAbsent(n, recon::lastConverged);
        if (metricsFile != null) {
            PrometheusMeterRegistry registry = registry(report, name -> true, lastConverged, finished);
            io.micrometer.core.instrument.Gauge.builder("recon.report.failed", () -> reportFailed ? 1 : 0)
                    .description("1 when the latest run's report could not be written").register(registry);
            try (OutputTarget file = OutputTarget.open(metricsFile, null)) {
                file.writer().write(registry.scrape());
                file.commit();
            } catch (IOException e) {
                throw new ReconException("cannot write the metrics file " + metricsFile + ": " + e.getMessage(), e);
            }
        }
        if (pushgateway != null) {
            push(report, lastConverged, finished);
        }
    }

    private static PrometheusMeterRegistry registry(RunResult report, Predicate<String> only,
            Function<String, Optional<Instant>> lastConverged, Instant finished) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMetrics.record(registry, report, only, lastConverged, finished);
        return registry;
    }

    private void push(RunResult report, Function<String, Optional<Instant>> lastConverged, Instant finished) {
        Target target = Target.parse(pushgateway);
        Set<String> names = new LinkedHashSet<>();
        // a mapping cut into key ranges is pushed as one (its ranges added up), by each shard apart
        report.mappings().stream().map(MappingResult::mapping).forEach(names::add);
        report.erroredMappings().stream().map(dev.recon.result.RangeTotals::mappingOf).forEach(names::add);
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            PushGateway.Builder builder = PushGateway.builder().address(target.address()).scheme(target.scheme())
                    .job(JOB).groupingKey("sync", name).format(Format.PROMETHEUS_TEXT)
                    .connectionTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(30))
                    .registry(registry(report, name::equals, lastConverged, finished).getPrometheusRegistry());
            if (shard != null) {
                builder.groupingKey("shard", shard.replace('/', '_'));
            }
            if (target.user() != null) {
                builder.basicAuth(target.user(), target.password());
            }
            try {
                builder.build().push();
            } catch (IOException | RuntimeException e) {
                failures.add("mapping '" + name + "': " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new ReconException("cannot push the metrics to the Pushgateway at " + target.display()
                    + " (the run itself finished; its report is complete)", failures, null);
        }
    }

    /** A Pushgateway address, with the credentials kept out of every message. */
    record Target(Scheme scheme, String address, String user, String password) {
        static Target parse(String url) {
            String spec = url.contains("://") ? url : "http://" + url;
            URI uri;
            try {
                uri = new URI(spec);
            } catch (URISyntaxException e) {
                throw new ReconException("--pushgateway: not a URL (expected http://host:port): " + redact(url));
            }
            Scheme scheme = switch (String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT)) {
                case "http" -> Scheme.HTTP;
                case "https" -> Scheme.HTTPS;
                default -> throw new ReconException("--pushgateway: the scheme must be http or https, not '"
                        + uri.getScheme() + "'");
            };
            if (uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty()
                    && !uri.getPath().equals("/")) || uri.getQuery() != null) {
                throw new ReconException("--pushgateway: expected http://host:port with no path, not " + redact(url));
            }
            String address = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 9091);
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
            }
            return new Target(scheme, address, user, password);
        }

        String display() {
            return (scheme == Scheme.HTTPS ? "https://" : "http://") + address;
        }

        private static String redact(String url) {
            return url.replaceAll("//[^/@]*@", "//***@");
        }

        @Override
        public String toString() {
            return display();
        }
    }
}
