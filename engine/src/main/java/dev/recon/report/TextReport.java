package dev.recon.report;

import dev.recon.config.Operation;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ApplyResult;
import dev.recon.result.Counts;
import dev.recon.result.MappingResult;
import dev.recon.result.RangeTotals;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import dev.recon.result.StrategyDetails.Figure;
import dev.recon.result.StrategyDetails;
import dev.recon.result.WritePlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The report for a person at a terminal. */
final class TextReport implements ReportWriter {
    private final PrintWriter out;

    TextReport(Writer out) {
        this.out = new PrintWriter(out);
    }

    @Override
    public void finish(RunResult report) throws IOException {
        long differing = 0;
        // several mappings (a schema entry's tables): one line each first, then details of those that differ
        boolean summaryFirst = report.mappings().size() + report.errors().size() > 1;
        if (summaryFirst) {
            summary(report);
        }
        for (MappingResult s : report.mappings()) {
            MappingPlan plan = s.plan();
            // an in-sync mapping whose rules forgave rows still says which: a rule must not hide more than expected
            if (summaryFirst && s.inSync() && s.underRules().rows() == 0
                    && !report.erroredMappings().contains(s.name())) {
                continue;
            }
            out.printf("%s: %s -> %s (strategy %s%s%s, %d ms%s)%n", s.name(), plan.sourceTable().displayName(),
                    plan.targetTable().displayName(), s.strategy(), plan.multiset() ? ", key: none (multiset)" : "",
                    plan.range().map(r -> ", key range " + plan.keys().get(0).targetColumn() + " " + r.bounds())
                            .orElse(""), s.duration().toMillis(), details(s));
            if (s.inSync()) {
                out.println("  in sync");
            } else if (report.erroredMappings().contains(s.name())) {
                // a dry run's refusal: the differences a sync would not write (counted with the errors)
                out.printf("  %d to insert, %d to update, %d to %s, which a sync would refuse%n",
                        s.count(Operation.INSERT), s.count(Operation.UPDATE), s.count(Operation.DELETE),
                        deleteLabel(plan));
            } else {
                out.printf("  %d to insert, %d to update, %d to %s%n", s.count(Operation.INSERT),
                        s.count(Operation.UPDATE), s.count(Operation.DELETE), deleteLabel(plan));
                differing++;
            }
            for (Operation op : Operation.values()) {
                long shown = s.samples().stream().filter(c -> c.operation() == op).count();
                if (shown == 0) {
                    continue;
                }
                out.printf("  %s (%s):%n", op == Operation.DELETE ? deleteLabel(plan) : op.label(),
                        shown < s.count(op) ? shown + " of " + s.count(op) : shown);
                for (RowChange c : s.samples()) {
                    if (c.operation() == op) {
                        sample(plan, c);
                    }
                }
            }
            underRules(plan, s);
            s.applied().ifPresent(a -> applied(s, a));
            s.writePlan().filter(w -> w.rows() > 0 && !report.erroredMappings().contains(s.name()))
                    .ifPresent(w -> out.println("  would write: " + writePlan(plan, w)));
        }
        rangeTotals(report);
        for (String error : report.errors()) {
            out.println("error: " + error);
        }
        int n = report.mappings().size();
        // a mapping a dry run would refuse has its differences and its error: count it once
        Set<String> names = new HashSet<>(report.erroredMappings());
        report.mappings().forEach(s -> names.add(s.name()));
        int all = names.size() + Math.max(0, report.errors().size() - report.erroredMappings().size());
        // a mapping cut into key ranges counts once, its ranges apart
        Set<String> whole = new HashSet<>();
        names.forEach(name -> whole.add(RangeTotals.mappingOf(name)));
        long ranges = names.stream().filter(name -> !RangeTotals.mappingOf(name).equals(name)).count();
        int counted = whole.size() + Math.max(0, report.errors().size() - report.erroredMappings().size());
        String mappings = ranges == 0 ? all + (all == 1 ? " mapping" : " mappings")
                : counted + (counted == 1 ? " mapping" : " mappings") + " as " + all + " runs (" + ranges
                        + " of them key ranges)";
        String errorPart = report.errors().isEmpty() ? "" : ", " + report.errors().size() + " ended in an error";
        if (report.applied()) {
            long failing = report.mappings().stream().filter(s -> !s.converged()).count();
            // none failing: nothing to say about retries
            out.printf("%s, %d converged%s%s%n", mappings, n - failing, failing == 0 ? ""
                    : ", " + failing + " with failed rows (retried by the next run)", errorPart);
        } else {
            long inSync = report.mappings().stream().filter(MappingResult::inSync).count();
            out.printf("%s, %d in sync, %d with differences%s%n", mappings, inSync, differing, errorPart);
        }
        out.flush();
    }

    /** Each mapping cut into key ranges: its ranges added back up, on one line. */
    private void rangeTotals(RunResult report) {
        java.util.Map<String, List<MappingResult>> byMapping = RangeTotals.byMapping(report);
        for (String errored : report.erroredMappings()) {
            String name = RangeTotals.mappingOf(errored);
            if (!name.equals(errored) && !byMapping.containsKey(name)) {
                out.printf("%s: every key range this run started ended in an error (what they wrote before: recon"
                        + " history --sync %s)%n", name, name);
                byMapping.put(name, List.of());
            }
        }
        byMapping.forEach((name, ranges) -> {
            if (ranges.isEmpty()) {
                return;
            }
            MappingResult sum = RangeTotals.sum(ranges);
            long failed = report.erroredMappings().stream().filter(e -> RangeTotals.mappingOf(e).equals(name))
                    .filter(e -> ranges.stream().noneMatch(r -> r.name().equals(e))).count();
            int count = ranges.get(0).plan().range().orElseThrow().count();
            String counts = sum.applied().map(a -> String.format("%d inserted, %d updated, %d %s, %d failed",
                    a.written().inserts(), a.written().updates(), a.written().deletes(),
                    sum.plan().softDelete().isPresent() ? "soft-deleted" : "deleted", a.failed().size()))
                    .orElse(String.format("%d to insert, %d to update, %d to %s", sum.count(Operation.INSERT),
                            sum.count(Operation.UPDATE), sum.count(Operation.DELETE), deleteLabel(sum.plan())));
            out.printf("%s: %d of %d key ranges%s: %s (%d ms of work)%n", name, ranges.size(), count,
                    failed == 0 ? "" : " (" + failed + " more ended in an error, their writes not counted here: recon"
                            + " history --sync " + name + ")", counts, sum.duration().toMillis());
        });
    }

    /**
     * One line per mapping, in the mapping file's order (errored ones, which have no result,
     * in their place): name, status, counts (found, or written by a sync), time.
     */
    private void summary(RunResult report) {
        Set<String> shown = new HashSet<>();
        List<String[]> lines = new ArrayList<>();
        for (MappingResult s : report.mappings()) {
            shown.add(s.name());
            String counts = s.applied().map(a -> String.format("%d inserted, %d updated, %d %s, %d failed",
                    a.written().inserts(), a.written().updates(), a.written().deletes(),
                    s.plan().softDelete().isPresent() ? "soft-deleted" : "deleted", a.failed().size()))
                    .orElse(s.inSync() ? "" : String.format("%d to insert, %d to update, %d to %s",
                            s.count(Operation.INSERT), s.count(Operation.UPDATE), s.count(Operation.DELETE),
                            deleteLabel(s.plan())));
            if (s.underRules().rows() > 0) {
                counts += (counts.isEmpty() ? "" : "; ") + s.underRules().rows() + " equal under rules";
            }
            lines.add(new String[] {s.name(), report.outcome(s).label().replace('_', ' '), counts, s.duration().toMillis() + " ms"});
        }
        for (String name : report.erroredMappings()) {
            if (shown.add(name)) {
                lines.add(new String[] {name, "error", "", ""});
            }
        }
        // the mapping file's order, errored mappings in their place
        var rank = report.rank();
        lines.sort(java.util.Comparator.comparingInt(l -> rank.applyAsInt(l[0])));
        int[] width = new int[3];
        for (String[] l : lines) {
            for (int i = 0; i < 3; i++) {
                width[i] = Math.min(i == 0 ? 48 : 60, Math.max(width[i], l[i].length()));
            }
        }
        for (String[] l : lines) {
            String counts = width[2] == 0 ? "" : String.format("%-" + width[2] + "s  ", l[2]);
            out.println(String.format("%-" + width[0] + "s  %-" + width[1] + "s  %s%s", l[0], l[1], counts, l[3])
                    .stripTrailing());
        }
        out.println();
    }

    /** What a delete does to this mapping's target: {@code delete}, or {@code soft-delete} (a marker is set). */
    private static String deleteLabel(MappingPlan plan) {
        return plan.softDelete().isPresent() ? "soft-delete" : "delete";
    }

    /** A dry run's write plan in words: rows per operation, batches, the pace. */
    static String writePlan(MappingPlan plan, WritePlan w) {
        StringBuilder sb = new StringBuilder();
        if (w.initialLoad()) {
            sb.append(count(w.inserts(), "row")).append(" into the empty target by COPY (an initial load, ")
                    .append(count(w.batches(), "batch")).append(")");
        } else {
            if (w.inserts() + w.updates() > 0) {
                sb.append(w.inserts() == 0 ? count(w.updates(), "update") : w.updates() == 0
                        ? count(w.inserts(), "insert") : count(w.inserts(), "insert") + " and "
                        + count(w.updates(), "update"))
                        .append(" (").append(count(w.upsertBatches(), "batch")).append(")");
            }
            if (w.deletes() > 0) {
                sb.append(sb.length() > 0 ? ", " : "").append(w.deletes()).append(" to ").append(deleteLabel(plan))
                        .append(" (").append(count(w.deleteBatches(), "batch")).append(")");
            }
        }
        sb.append("; batches of up to ").append(w.batchSize()).append(" rows, one transaction each");
        if (w.maxRowsPerSecond() > 0) {
            double rate = w.maxRowsPerSecond();
            sb.append("; at most ").append(rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate))
                    .append(" rows a second: about ")
                    .append(String.format(Locale.ROOT, "%.1f", w.throttledSeconds())).append(" s");
        }
        return sb.toString();
    }

    private static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun.endsWith("h") ? noun + "es" : noun + "s");
    }

    /** Hash and merge figures: segments compared and descended into, rows fetched. */
    private static String details(MappingResult s) {
        StrategyDetails d = s.details();
        StringBuilder sb = new StringBuilder();
        d.get(Figure.SEGMENTS_COMPARED).ifPresent(n -> sb.append("; ").append(count(n, "segment")).append(" compared, ")
                .append(d.get(Figure.SEGMENTS_DIFFERING).orElse(0)).append(" differing"));
        if (d.has(Figure.COLUMNS_NOT_HASHABLE)) {
            sb.append("; ").append(count(d.get(Figure.COLUMNS_NOT_HASHABLE).getAsLong(), "column"))
                    .append(" not hashed alike on both engines (json, or a float of an engine that prints it otherwise):"
                            + " every row compared (merge)");
        } else if (d.has(Figure.FALLBACK_TO_MERGE)) {
            sb.append("; so many differ that every row was compared (merge)");
        }
        if (d.get(Figure.OUTSIDE_TARGET_SLICE).orElse(0) > 0) {
            sb.append("; ").append(count(d.get(Figure.OUTSIDE_TARGET_SLICE).getAsLong(), "source row")).append(" with"
                    + " its key on the target outside the slice (target.where), not inserted");
        }
        d.get(Figure.ROWS_FETCHED).ifPresent(n -> sb.append("; ").append(count(n, "row")).append(" fetched"));
        return sb.toString();
    }

    private void applied(MappingResult s, ApplyResult a) {
        Counts w = a.written();
        out.printf("  applied: %d inserted, %d updated, %d %s, %d failed (run %d)%n", w.inserts(), w.updates(),
                w.deletes(), s.plan().softDelete().isPresent() ? "soft-deleted" : "deleted", a.failed().size(),
                s.runId().orElse(0L));
        if (a.notApplied() > 0) {
            out.printf("  not applied: %d changes the target accepted but did not write (a trigger or rule that skips"
                    + " rows?); the next run tries them again%n", a.notApplied());
        }
        if (a.changedMeanwhile() > 0) {
            out.printf("  changed meanwhile: %d rows changed in the target after recon read them, left as they are"
                    + " (keys %s%s); the next run compares them again%n", a.changedMeanwhile(),
                    a.meanwhileKeys().stream().limit(5).map(k -> Values.keyText(Values.key(s.plan(), k))).toList(),
                    a.changedMeanwhile() > 5 ? ", ..." : "");
        }
        int limit = Math.max(10, s.samples().size());
        if (!a.failed().isEmpty()) {
            out.printf("  failed (%s):%n", a.failed().size() > limit ? limit + " of " + a.failed().size()
                    : a.failed().size());
            a.failed().stream().limit(limit).forEach(f -> out.printf("    %s %s: %s%s%n",
                    f.operation().label(), Values.keyText(Values.key(s.plan(), f.key())), f.message(),
                    sqlState(f.sqlState())));
        }
        for (ApplyResult.Stuck st : a.stuck()) {
            out.printf("  STUCK: %s %s has failed %d runs in a row; last error: %s%s%n",
                    st.row().operation().label(), Values.keyText(Values.key(s.plan(), st.row().key())), st.runs(),
                    st.row().message(), sqlState(st.row().sqlState()));
        }
    }

    /** " [SQLSTATE x]", or nothing for an engine whose errors carry none. */
    private static String sqlState(String state) {
        return state == null ? "" : " [SQLSTATE " + state + "]";
    }

    /** The rows the mapping's comparison rules forgave: how many, and a few, each column with its rule. */
    private void underRules(MappingPlan plan, MappingResult s) {
        long rows = s.underRules().rows();
        if (rows == 0) {
            return;
        }
        int shown = s.underRules().samples().size();
        if (shown == 0) {
            out.printf("  equal under rules: %d (not differences)%n", rows);
            return;
        }
        out.printf("  equal under rules (%s, not differences):%n", shown < rows ? shown + " of " + rows : rows);
        for (RowChange c : s.underRules().samples()) {
            out.printf("    %s%n", Values.keyText(plan, c));
            for (String col : c.changed()) {
                out.printf("      %s: %s ~ %s  %s%n", col, Values.display(Values.value(plan, c.target(), col)),
                        Values.display(Values.value(plan, c.source(), col)), plan.rules().get(col).describe());
            }
        }
    }

    private void sample(MappingPlan plan, RowChange c) {
        String key = Values.keyText(plan, c);
        switch (c.operation()) {
            case INSERT, DELETE -> out.printf("    %s%n", key);
            case UPDATE -> {
                out.printf("    %s%s%n", key, c.revive() ? "  (revives a soft-deleted row)" : "");
                for (String col : c.changed()) {
                    out.printf("      %s: %s -> %s%n", col, Values.display(Values.value(plan, c.target(), col)),
                            Values.display(Values.value(plan, c.source(), col)));
                }
            }
        }
    }
}
