package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.base.Shown;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recon.config.DeletePolicy;
import dev.recon.config.MappingConfig;
import dev.recon.config.Operation;
import dev.recon.config.ReconConfig;
import dev.recon.base.PlanException;
import dev.recon.result.RangeTotals;
import dev.recon.result.RunRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show past sync runs from the state schema on each target connection.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown (also when no run is recorded yet)", "2:error (configuration, connection, no such"
                + " run or mapping)"})
final class HistoryCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--sync", paramLabel = "NAME", description = "Only this mapping (default: every mapping of the"
            + " file); repeatable.")
    List<String> only = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "Most recent runs to show (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    TextOrJson format;

    @Option(names = "--failed", description = "List the rows the target refused: of the latest run of each mapping"
            + " that reached its writes, or of --run; with their key, operation, SQLSTATE, error and how many runs in a row refused them.")
    boolean failed;

    @Option(names = "--run", paramLabel = "ID", description = "With --failed: the refused rows of this run.")
    Long run;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
        ReconConfig config = common.load();
        List<String> unknown = only.stream().filter(n -> config.select(n).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw new PlanException("cannot show history:", unknown.stream().map(n -> "no mapping named '" + n
                    + "' (defined: " + String.join(", ", config.mappings().stream().map(MappingConfig::name).toList())
                    + ")").toList());
        }
        // the runs of this file's mappings only: a state schema may be shared with other files
        List<String> chosen = only.stream().flatMap(n -> config.select(n).stream()).toList();
        List<String> names = config.mappings().stream().map(MappingConfig::name)
                .filter(n -> only.isEmpty() || chosen.contains(n)).toList();
        Recon recon = new Recon(config);
        List<RunRecord> shown = recon.history(names, limit);
        PrintWriter out = spec.commandLine().getOut();
        if (run != null && !failed) {
            throw new ParameterException(spec.commandLine(), "--run goes with --failed");
        }
        if (failed) {
            failed(out, recon, config, names);
            out.flush();
            return Main.IN_SYNC;
        }
        if (format == TextOrJson.JSON) {
            json(out, shown, config);
        } else {
            text(out, shown, config);
        }
        out.flush();
        return Main.IN_SYNC;
    }

    /** The refused rows of the chosen run, or of the latest run of each mapping that reached its writes. */
    private void failed(PrintWriter out, Recon recon, ReconConfig config, List<String> names) throws Exception {
        Optional<List<Recon.RefusedRow>> refused = recon.refusedRows(names, run);
        boolean found = refused.isPresent();
        List<Recon.RefusedRow> rows = refused.orElse(List.of());
        if (!found) {
            throw new PlanException("cannot show failed rows:", List.of("no run " + run
                    + (only.isEmpty() ? " of this file's mappings" : " of " + String.join(", ", only))
                    + " in the state schema (a run of another file's mappings is shown with that file)"));
        }
        if (format == TextOrJson.JSON) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            ArrayNode list = root.putArray("failed_rows");
            for (Recon.RefusedRow row : rows) {
                RunRecord r = row.run();
                var st = row.row();
                ObjectNode n = list.addObject();
                n.put("run", r.id());
                n.put("sync", r.sync());
                n.put("operation", operation(config, r.sync(), st.row().operation()));
                ArrayNode key = n.putArray("key");
                st.row().key().forEach(key::add);
                n.put("runs_in_a_row", st.runs());
                n.put("sqlstate", st.row().sqlState());
                n.put("error", st.row().message());
            }
            out.println(mapper.writeValueAsString(root));
            return;
        }
        if (rows.isEmpty()) {
            out.println(run == null ? "no refused rows in the latest runs" : "run " + run + " had no refused rows");
            return;
        }
        out.printf("%-6s %-20s %-9s %-24s %5s %-8s %s%n", "RUN", "MAPPING", "OPERATION", "KEY", "RUNS", "SQLSTATE",
                "ERROR");
        for (Recon.RefusedRow row : rows) {
            RunRecord r = row.run();
            var st = row.row();
            out.printf("%-6d %-20s %-9s %-24s %5d %-8s %s%n", r.id(), r.sync(), operation(config, r.sync(),
                            st.row().operation()), keyText(config, r.sync(), st.row().key()), st.runs(),
                    st.row().sqlState() == null ? "-" : st.row().sqlState(),
                    st.row().message() + (st.runs() >= Recon.STUCK_AFTER_RUNS ? " (STUCK)" : ""));
        }
    }

    /** The operation as the mapping does it: a delete of a soft-delete mapping sets its marker. */
    private static String operation(ReconConfig config, String sync, Operation op) {
        return op == Operation.DELETE && soft(config, sync) ? "soft-delete" : op.label();
    }

    private static boolean soft(ReconConfig config, String sync) {
        return config.mapping(RangeTotals.mappingOf(sync)).map(s -> s.deletes() instanceof DeletePolicy.Soft)
                .orElse(false);
    }

    /** {@code code=ORD-1001}, with the target's key column names as the report prints them. */
    private static String keyText(ReconConfig config, String sync, List<String> key) {
        List<String> columns = config.mapping(RangeTotals.mappingOf(sync)).map(s -> List.copyOf(s.key().values()))
                .orElse(List.of());
        return Shown.key(columns, key);
    }

    private static void text(PrintWriter out, List<RunRecord> runs, ReconConfig config) {
        if (runs.isEmpty()) {
            out.println("no runs recorded yet");
            return;
        }
        out.printf("%-6s %-20s %-25s %9s %-11s %9s %9s %9s %7s%n", "RUN", "MAPPING", "STARTED", "SECONDS", "STATUS",
                "INSERTED", "UPDATED", "DELETED", "FAILED");
        for (RunRecord r : runs) {
            out.printf("%-6d %-20s %-25s %9s %-11s %9s %9s %9s %7s%n", r.id(), r.sync(), TIME.format(r.startedAt()),
                    r.finishedAt() == null ? "-" : String.format("%.1f",
                            Duration.between(r.startedAt(), r.finishedAt()).toMillis() / 1000.0),
                    r.status().label(), n(r.inserted()), n(r.updated()),
                    n(r.deleted()) + (soft(config, r.sync()) && r.deleted() != null ? " soft" : ""), n(r.failed()));
            if (r.changedMeanwhile() != null && r.changedMeanwhile() > 0) {
                out.println("       " + r.changedMeanwhile() + " changes left alone: their rows changed in the target"
                        + " after recon read them; compared again by the next run");
            }
            if (r.error() != null) {
                out.println("       " + r.error());
            }
        }
    }

    private static String n(Long v) {
        return v == null ? "-" : v.toString();
    }

    private static void json(PrintWriter out, List<RunRecord> runs, ReconConfig config) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("runs");
        for (RunRecord r : runs) {
            ObjectNode n = list.addObject();
            n.put("id", r.id());
            n.put("sync", r.sync());
            n.put("started_at", r.startedAt().toString());
            n.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
            n.put("status", r.status().label());
            n.put("strategy", r.strategy());
            n.put("deletes", config.mapping(RangeTotals.mappingOf(r.sync())).map(s -> s.deletes() instanceof DeletePolicy.Soft
                    ? "soft"
                    : s.deletes().toString()).orElse(null));
            ObjectNode planned = n.putObject("planned");
            planned.put("insert", r.plannedInsert());
            planned.put("update", r.plannedUpdate());
            planned.put("delete", r.plannedDelete());
            ObjectNode applied = n.putObject("applied");
            applied.put("insert", r.inserted());
            applied.put("update", r.updated());
            applied.put("delete", r.deleted());
            applied.put("failed", r.failed());
            applied.put("changed_meanwhile", r.changedMeanwhile());
            n.put("error", r.error());
        }
        out.println(mapper.writeValueAsString(root));
    }
}
