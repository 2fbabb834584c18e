package dev.recon.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recon.config.Operation;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ApplyResult;
import dev.recon.result.FailedRow;
import dev.recon.result.MappingResult;
import dev.recon.result.Outcome;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import dev.recon.result.WritePlan;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One JSON document for machines; see docs/reports.md for its shape. */
final class JsonReport implements ReportWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private final Writer out;

    JsonReport(Writer out) {
        this.out = out;
    }

    @Override
    public void finish(RunResult report) throws IOException {
        MAPPER.writeValue(out, toJson(report));
        out.write(System.lineSeparator());
        out.flush();
    }

    /** {@code {"status": "error", "message": …, "errors": […], "syncs": []}}: nothing was compared. */
    @Override
    public boolean failed(String message, List<String> errors) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("status", Outcome.ERROR.label());
        root.put("message", message);
        ArrayNode list = root.putArray("errors");
        errors.forEach(list::add);
        root.putArray("syncs");
        MAPPER.writeValue(out, root);
        out.write(System.lineSeparator());
        out.flush();
        return true;
    }

    static ObjectNode toJson(RunResult report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("status", report.outcome().label());
        root.put("plan_ms", report.planTime().toMillis());
        if (!report.errors().isEmpty()) {
            ArrayNode errors = root.putArray("errors");
            report.errors().forEach(errors::add);
        }
        List<ObjectNode> entries = new ArrayList<>();
        for (MappingResult s : report.mappings()) {
            ObjectNode n = root.objectNode();
            entries.add(n);
            n.put("name", s.name());
            s.plan().range().ifPresent(r -> {
                n.put("mapping", r.mapping());
                ObjectNode range = n.putObject("key_range");
                range.put("index", r.index() + 1);
                range.put("count", r.count());
                range.put("column", s.plan().keys().get(0).targetColumn());
                range.put("from", r.lo());
                range.put("below", r.hi());
            });
            n.put("source", s.plan().sourceTable().displayName());
            n.put("target", s.plan().targetTable().displayName());
            n.put("strategy", s.strategy());
            if (s.plan().multiset()) {
                n.put("key", "none (multiset)");
            }
            int error = report.erroredMappings().indexOf(s.name());
            n.put("status", report.outcome(s).label());
            if (error >= 0 && error < report.errors().size()) {
                // a dry run's refusal: the differences below, and why a sync would not write them
                n.put("error", report.errors().get(error));
            }
            ObjectNode counts = n.putObject("counts");
            for (Operation op : Operation.values()) {
                counts.put(op.label(), s.count(op));
            }
            if (!s.details().isEmpty() || s.applied().isPresent()) {
                ObjectNode d = n.putObject("strategy_details");
                s.details().asMap().forEach(d::put);
                if (s.applied().isPresent()) {
                    d.put("diff_ms", s.diffTime().toMillis());
                    d.put("apply_ms", s.applyTime().toMillis());
                }
            }
            ArrayNode samples = n.putArray("samples");
            for (RowChange c : s.samples()) {
                samples.add(sample(s.plan(), c));
            }
            if (!s.plan().rules().isEmpty()) {
                // what the comparison rules forgave: rows that differ byte for byte, equal under a rule
                n.put("equal_under_rules", s.underRules().rows());
                ArrayNode forgiven = n.putArray("equal_under_rules_samples");
                for (RowChange c : s.underRules().samples()) {
                    ObjectNode f = sample(s.plan(), c);
                    f.remove("operation");
                    f.get("changes").fields().forEachRemaining(e -> ((ObjectNode) e.getValue()).put("rule",
                            s.plan().rules().get(e.getKey()).describe()));
                    forgiven.add(f);
                }
            }
            s.applied().ifPresent(a -> applied(n.putObject("applied"), s, a));
            s.writePlan().ifPresent(w -> writePlan(n.putObject("write_plan"), w));
            s.runId().ifPresent(id -> n.put("run_id", id));
            n.put("duration_ms", s.duration().toMillis());
        }
        Set<String> reported = new HashSet<>();
        report.mappings().forEach(s -> reported.add(s.name()));
        for (int i = 0; i < report.erroredMappings().size() && i < report.errors().size(); i++) {
            if (reported.contains(report.erroredMappings().get(i))) {
                continue;
            }
            ObjectNode n = root.objectNode();
            entries.add(n);
            n.put("name", report.erroredMappings().get(i));
            String of = dev.recon.result.RangeTotals.mappingOf(report.erroredMappings().get(i));
            if (!of.equals(report.erroredMappings().get(i))) {
                n.put("mapping", of); // a key range that ended in an error: what it wrote is in the history
            }
            n.put("status", Outcome.ERROR.label());
            n.put("error", report.errors().get(i));
        }
        // the mapping file's order, errored mappings in their place
        var rank = report.rank();
        entries.sort(java.util.Comparator.comparingInt(n -> rank.applyAsInt(n.get("name").asText())));
        root.putArray("syncs").addAll(entries);
        // each mapping cut into key ranges: its ranges (the entries above) added back up
        var ranged = dev.recon.result.RangeTotals.byMapping(report);
        if (!ranged.isEmpty()) {
            ObjectNode totals = root.putObject("key_range_totals");
            ranged.forEach((name, ranges) -> {
                MappingResult sum = dev.recon.result.RangeTotals.sum(ranges);
                ObjectNode t = totals.putObject(name);
                t.put("ranges", ranges.size());
                t.put("of", ranges.get(0).plan().range().orElseThrow().count());
                t.put("ranges_in_error", report.erroredMappings().stream()
                        .filter(e -> dev.recon.result.RangeTotals.mappingOf(e).equals(name)).count());
                ObjectNode counts = t.putObject("counts");
                for (Operation op : Operation.values()) {
                    counts.put(op.label(), sum.count(op));
                }
                sum.applied().ifPresent(a -> applied(t.putObject("applied"), sum, a));
                t.put("work_ms", sum.duration().toMillis());
            });
        }
        return root;
    }

    /** A dry run's prediction of the sync's writes. */
    private static void writePlan(ObjectNode n, WritePlan w) {
        n.put("initial_load", w.initialLoad());
        n.put("insert", w.inserts());
        n.put("update", w.updates());
        n.put("delete", w.deletes());
        n.put("batch_size", w.batchSize());
        n.put("batches", w.batches());
        if (w.maxRowsPerSecond() > 0) {
            n.put("max_rows_per_second", w.maxRowsPerSecond());
        }
    }

    /** How many keys of rows changed meanwhile the report lists. */
    private static final int MEANWHILE_KEYS = 100;

    private static void applied(ObjectNode n, MappingResult s, ApplyResult a) {
        n.put("insert", a.written().inserts());
        n.put("update", a.written().updates());
        n.put("delete", a.written().deletes());
        n.put("failed", a.failed().size());
        if (a.notApplied() > 0) {
            n.put("not_applied", a.notApplied());
        }
        n.put("changed_meanwhile", a.changedMeanwhile());
        ArrayNode meanwhile = n.putArray("changed_meanwhile_keys");
        a.meanwhileKeys().stream().limit(MEANWHILE_KEYS).forEach(k -> putAll(meanwhile.addObject(),
                Values.key(s.plan(), k)));
        ArrayNode failed = n.putArray("failed_rows");
        for (FailedRow f : a.failed()) {
            ObjectNode row = failed.addObject();
            row.put("operation", f.operation().label());
            putAll(row.putObject("key"), Values.key(s.plan(), f.key()));
            row.put("sqlstate", f.sqlState());
            row.put("error", f.message());
        }
        ArrayNode stuck = n.putArray("stuck_rows");
        for (ApplyResult.Stuck st : a.stuck()) {
            ObjectNode row = stuck.addObject();
            row.put("operation", st.row().operation().label());
            putAll(row.putObject("key"), Values.key(s.plan(), st.row().key()));
            row.put("runs", st.runs());
            row.put("sqlstate", st.row().sqlState());
            row.put("error", st.row().message());
        }
    }

    private static ObjectNode sample(MappingPlan plan, RowChange c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("operation", c.operation().label());
        putAll(n.putObject("key"), Values.key(plan, c));
        switch (c.operation()) {
            case INSERT -> putValues(n.putObject("values"), plan, Values.row(plan, c.source()));
            case DELETE -> putValues(n.putObject("values"), plan, Values.row(plan, c.target()));
            case UPDATE -> {
                ObjectNode changes = n.putObject("changes");
                for (String col : c.changed()) {
                    ObjectNode ch = changes.putObject(col);
                    put(ch, "target", Values.value(plan, c.target(), col), json(plan, col));
                    put(ch, "source", Values.value(plan, c.source(), col), json(plan, col));
                }
                if (c.revive()) {
                    n.put("revive", true);
                }
            }
        }
        return n;
    }

    /** Values by target column; those of json and jsonb columns as JSON, the others as strings. */
    private static void putValues(ObjectNode node, MappingPlan plan, Map<String, String> values) {
        values.forEach((col, v) -> put(node, col, v, json(plan, col)));
    }

    private static boolean json(MappingPlan plan, String targetColumn) {
        return plan.allColumns().stream().anyMatch(m -> m.targetColumn().equals(targetColumn)
                && (m.type().compareType().equals("json") || m.type().compareType().equals("jsonb")));
    }

    /** A JSON column's value as the JSON it holds (a string when it does not parse, as a source value may not). */
    private static void put(ObjectNode node, String field, String value, boolean json) {
        if (json && value != null) {
            try {
                node.set(field, MAPPER.readTree(value));
                return;
            } catch (IOException notJson) {
                // shown as the text it is
            }
        }
        node.put(field, value);
    }

    private static void putAll(ObjectNode node, Map<String, String> values) {
        values.forEach(node::put);
    }
}
