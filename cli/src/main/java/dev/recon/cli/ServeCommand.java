package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.base.ReconException;
import dev.recon.base.StopSignal;
import dev.recon.config.MappingConfig;
import dev.recon.config.ReconConfig;
import dev.recon.config.SyncOptions;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the syncs on a cron schedule as a long-lived process (a container, a service), serving"
                + " a dashboard (/), /metrics (Prometheus), /health (liveness) and /ready over HTTP. A mapping is never started while its previous run"
                + " is still going. SIGTERM or SIGINT: no new runs; runs in flight stop after their batch; exit 0.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM or SIGINT", "2:error at start (configuration, --schedule, the port),"
                + " or runs still going after --stop-timeout"})
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    WriteOptions write;

    @Option(names = "--schedule", paramLabel = "CRON", required = true,
            description = "When to run: a cron expression with 5 fields (minute hour day-of-month month"
                    + " day-of-week, e.g. \"0 2 * * *\") or 6 with seconds first (e.g. \"*/30 * * * * *\").")
    String schedule;

    @Option(names = "--time-zone", paramLabel = "ZONE",
            description = "Time zone of the schedule, e.g. Europe/Paris (default: the system's, ${DEFAULT-VALUE}).")
    ZoneId zone = ZoneId.systemDefault();

    @Option(names = "--sync", paramLabel = "NAME", description = "Only this mapping (repeatable; default: all).")
    List<String> syncs = new ArrayList<>();

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address to serve the dashboard, /metrics, /health and /ready on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9464",
            description = "Port to serve the dashboard, /metrics, /health and /ready on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "4",
            description = "Up to N mappings run at once; the others wait for a free one (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--run-now", description = "Also run every mapping once at start, before the first scheduled"
            + " time.")
    boolean runNow;

    @Option(names = "--stop-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = Durations.class,
            description = "On SIGTERM, how long to wait for the runs in flight to reach the end of their batch;"
                    + " then their connections are aborted, the statements in flight rolled back"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration stopTimeout;

    @Option(names = "--run-timeout", paramLabel = "DURATION", defaultValue = "2h", converter = Durations.class,
            description = "Stop a run that takes longer (as SIGTERM would: after its batch in flight, or its"
                    + " connections aborted after --stop-timeout), so a stuck run frees its mapping's schedule;"
                    + " 0 for no limit (default: ${DEFAULT-VALUE}).")
    Duration runTimeout;

    @Option(names = "--web-config", paramLabel = "FILE",
            description = "TLS and basic authentication for the dashboard, /metrics, /health and /ready, in the Prometheus"
                    + " exporter-toolkit's format (tls_server_config: cert_file, key_file; basic_auth_users: user:"
                    + " bcrypt hash); without it, a server bound beyond loopback shows no row values.")
    java.nio.file.Path webConfig;

    @Option(names = "--keep-reports", paramLabel = "N", defaultValue = "30",
            description = "The dashboard (GET /) links each of the last N runs of a mapping to its html report,"
                    + " kept in memory (GET /runs/ID); 0 keeps none (default: ${DEFAULT-VALUE}).")
    int keepReports;

    /** True for an address only this machine reaches (127.0.0.1, ::1, localhost). */
    static boolean loopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public Integer call() throws Exception {
        SyncOptions options = write.options(spec, 0);
        Schedule parsed;
        try {
            parsed = Schedule.parse(schedule, zone);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ReconConfig config = common.load();
        List<String> names = mappings(config);
        Recon recon = new Recon(config);
        StopSignal stop = StopSignal.withGrace(stopTimeout);
        try (Signals signals = Signals.stopOn(stop)) {
            if (jobs < 1) {
                throw new ParameterException(spec.commandLine(), "--jobs must be at least 1, not " + jobs);
            }
            if (keepReports < 0) {
                throw new ParameterException(spec.commandLine(), "--keep-reports must be 0 or more, not " + keepReports);
            }
            WebConfig web = webConfig == null ? null : WebConfig.load(webConfig);
            // row values only to those who authenticated, or on this machine
            boolean valuesShown = web != null && web.authenticates() || loopback(bind);
            if (!valuesShown) {
                LOG.warn("serving on {} without --web-config users: the kept reports show keys and counts, not row"
                        + " values (docs/operating.md, recon serve)", bind);
            }
            Scheduler scheduler = new Scheduler(recon, names, options, parsed, stop, jobs, keepReports)
                    .withRunTimeout(runTimeout).withValuesShown(valuesShown);
            StatusServer server;
            try {
                server = new StatusServer(new InetSocketAddress(bind, port), () -> ScheduleMetrics.scrape(scheduler),
                        () -> ScheduleHealth.of(scheduler),
                        () -> dashboard(scheduler, recon, stop), scheduler::report, web);
            } catch (IOException e) {
                throw new ReconException("cannot serve on " + bind + ":" + port + ": " + e.getMessage(), e);
            }
            try (server) {
                scheduler.start(runNow);
                LOG.info("serving the dashboard, /metrics, /health and /ready on {}://{}:{}/; schedule '{}' ({}), next run at {}; mappings: {}",
                        web != null && web.tls() ? "https" : "http", bind, server.port(), parsed.expression(), zone, scheduler.nextRun(), String.join(", ", names));
                while (!stop.requested()) {
                    Thread.sleep(100);
                }
                LOG.warn("{}: no new runs; waiting up to {} for the runs in flight to finish their batch",
                        stop.reason(), stopTimeout.toSeconds() + " s");
                boolean finished = scheduler.stop(stop.reason(), stopTimeout);
                if (!finished) {
                    LOG.error("runs still going after {}; exiting anyway (their open batch is rolled back)",
                            stopTimeout.toSeconds() + " s");
                    return Main.ERROR;
                }
                LOG.info("stopped");
                return Main.IN_SYNC;
            }
        }
    }

    private String dashboard(Scheduler scheduler, Recon recon, StopSignal stop) {
        StringWriter html = new StringWriter();
        try {
            Dashboard.page(scheduler, recon, stop.requested(), keepReports).render(html);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return html.toString();
    }

    /**
     * The mappings to schedule, the tables of schema entries that cannot be compared among
     * them: each of their runs ends in that table's error, so that logs and metrics say so.
     */
    private List<String> mappings(ReconConfig config) {
        if (syncs.isEmpty()) {
            List<String> all = new ArrayList<>(config.mappings().stream().map(MappingConfig::name).toList());
            all.addAll(config.refused().keySet());
            return all;
        }
        List<String> unknown = syncs.stream().filter(n -> config.select(n).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw new ReconException("--sync names no mapping of " + common.config + ": " + String.join(", ", unknown)
                    + " (mappings: " + String.join(", ", config.mappings().stream().map(MappingConfig::name).toList())
                    + ")");
        }
        return syncs.stream().flatMap(n -> config.select(n).stream()).distinct().toList();
    }
}
