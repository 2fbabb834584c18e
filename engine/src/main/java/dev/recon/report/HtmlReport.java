package dev.recon.report;

import dev.recon.config.Operation;
import dev.recon.plan.MappingPlan;
import dev.recon.report.HtmlPage.Bar;
import dev.recon.report.HtmlPage.Chart;
import dev.recon.report.HtmlPage.Column;
import dev.recon.report.HtmlText.Piece;
import dev.recon.result.ApplyResult;
import dev.recon.result.FailedRow;
import dev.recon.result.MappingResult;
import dev.recon.result.Outcome;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.WriterOutput;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One self-contained html file (inline CSS and script, no request to any host): the run's
 * status and totals, a sortable table of the mappings with a chart of their differences, and
 * per mapping the changed rows, each update with only its changed columns (target → source,
 * the differing part marked). Rendered by the precompiled jte template {@code report.jte},
 * which escapes every value.
 */
public final class HtmlReport implements ReportWriter {
    /** Mappings drawn in the chart, the most differing first. */
    static final int CHART_BARS = 30;
    /** Failed rows (and stuck rows) listed per mapping. */
    static final int FAILED_SHOWN = 100;
    static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(null, ContentType.Html, null,
            "dev.recon.report.html");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    private final Writer out;
    private final Instant started;

    HtmlReport(Writer out) {
        this(out, Instant.now());
    }

    /** A report of a run that started at {@code started} (the page's "when" and "took"). */
    public HtmlReport(Writer out, Instant started) {
        this.out = out;
        this.started = started;
    }

    @Override
    public void finish(RunResult result) throws IOException {
        render(page(result, started, Duration.between(started, Instant.now())), out);
    }

    /** Renders a page through the template. */
    static void render(HtmlPage page, Writer out) throws IOException {
        TEMPLATES.render("report.jte", page, new WriterOutput(out));
        out.flush();
    }

    /** The whole run as the template shows it. */
    static HtmlPage page(RunResult result, Instant started, Duration took) {
        boolean sync = result.applied();
        Outcome outcome = result.outcome();
        String status = Values.status(outcome);
        String title = (sync ? "recon sync" : result.kind() == RunResult.Kind.DRY_RUN ? "recon sync --dry-run"
                : "recon diff") + ": " + status;
        List<HtmlPage.Mapping> rows = new ArrayList<>();
        List<HtmlPage.Section> sections = new ArrayList<>();
        Set<String> anchors = new HashSet<>();
        for (MappingResult m : result.mappings()) {
            String anchor = anchor(m.name(), anchors);
            ApplyResult a = m.applied().orElse(null);
            Outcome mo = result.outcome(m);
            // a mapping whose rules forgave rows shows them, in sync or not
            boolean section = !m.inSync() || a != null && !a.converged() || mo == Outcome.ERROR
                    || m.underRules().rows() > 0;
            HtmlPage.Mapping row = new HtmlPage.Mapping(m.name(), anchor, m.plan().sourceTable().displayName(),
                    m.plan().targetTable().displayName(), m.strategy() + (m.plan().multiset() ? " (multiset)" : ""),
                    mo.label().replace('_', ' '), css(mo), m.count(Operation.INSERT), m.count(Operation.UPDATE),
                    m.count(Operation.DELETE), a == null ? 0 : a.written().inserts(),
                    a == null ? 0 : a.written().updates(), a == null ? 0 : a.written().deletes(),
                    a == null ? 0 : a.failed().size(), a == null ? 0 : a.stuck().size(), m.duration().toMillis(),
                    section, true);
            rows.add(row);
            if (section) {
                sections.add(section(m, anchor, result));
            }
        }
        // a mapping that could not even be planned has an error and no result
        Set<String> listed = new HashSet<>();
        rows.forEach(r -> listed.add(r.name()));
        for (String name : result.erroredMappings()) {
            if (listed.add(name)) {
                rows.add(new HtmlPage.Mapping(name, anchor(name, anchors), "", "", "", "error", "fail", 0, 0, 0, 0, 0, 0,
                        0, 0, 0, false, false));
            }
        }
        // the mapping file's order, errored mappings in their place
        var rank = result.rank();
        rows.sort(java.util.Comparator.comparingInt(r -> rank.applyAsInt(r.name())));
        String when = WHEN.format(started.atZone(ZoneId.systemDefault()));
        return new HtmlPage(title, status, css(outcome), when, millis(took.toMillis()), sync,
                HtmlPage.Totals.of(rows, result.errors().size()), rows, chart(rows), result.errors(), sections);
    }

    /** The css class of an outcome, for the html report and serve's dashboard alike: ok, diff or fail. */
    public static String css(Outcome o) {
        return switch (o) {
            case IN_SYNC, CONVERGED -> "ok";
            case DIFFERENCES, RUNNING, STOPPED, ABORTED -> "diff";
            default -> "fail";
        };
    }

    /** "0.40 s", "12.3 s", "1 min 12 s". */
    public static String millis(long ms) {
        if (ms < 60_000) {
            return String.format(Locale.ROOT, ms < 10_000 ? "%.2f s" : "%.1f s", ms / 1000.0);
        }
        return ms / 60_000 + " min " + (ms % 60_000) / 1000 + " s";
    }

    /** A unique html id for a mapping's section. */
    private static String anchor(String name, Set<String> taken) {
        String base = "m-" + name.replaceAll("[^A-Za-z0-9_.-]", "_");
        String id = base;
        for (int i = 2; !taken.add(id); i++) {
            id = base + "-" + i;
        }
        return id;
    }

    /** The mappings with the most differences as bars scaled to the largest. */
    private static Chart chart(List<HtmlPage.Mapping> rows) {
        List<HtmlPage.Mapping> differing = rows.stream().filter(r -> r.total() > 0)
                .sorted(Comparator.comparingLong(HtmlPage.Mapping::total).reversed()).limit(CHART_BARS).toList();
        long differingCount = rows.stream().filter(r -> r.total() > 0).count();
        long max = differing.stream().mapToLong(HtmlPage.Mapping::total).max().orElse(1);
        List<Bar> bars = new ArrayList<>();
        int y = 0;
        for (HtmlPage.Mapping r : differing) {
            int ins = width(r.inserts(), max);
            int upd = width(r.updates(), max);
            int del = width(r.deletes(), max);
            bars.add(new Bar(r.name().length() > 30 ? r.name().substring(0, 29) + "…" : r.name(), r.anchor(), y, ins,
                    upd, del, r.total()));
            y += Chart.ROW;
        }
        String note = differingCount > differing.size()
                ? "the " + differing.size() + " mappings with the most differences, of " + differingCount : "";
        return new Chart(Chart.LABEL + Chart.BARS + 80, Math.max(y, 1), bars, note);
    }

    /** Bar width in pixels, at least 2 for a count above zero. */
    private static int width(long n, long max) {
        return n == 0 ? 0 : (int) Math.max(2, Math.round((double) Chart.BARS * n / max));
    }

    private static HtmlPage.Section section(MappingResult m, String anchor, RunResult result) {
        MappingPlan plan = m.plan();
        boolean soft = plan.softDelete().isPresent();
        List<String> keyColumns = plan.keys().stream().map(k -> k.targetColumn()).toList();
        List<HtmlPage.Change> changes = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (Operation op : Operation.values()) {
            long shown = 0;
            for (RowChange c : m.samples()) {
                if (c.operation() != op) {
                    continue;
                }
                shown++;
                List<Column> columns = new ArrayList<>();
                if (op == Operation.UPDATE) {
                    for (String col : c.changed()) {
                        List<List<Piece>> v = HtmlText.compared(Values.value(plan, c.target(), col),
                                Values.value(plan, c.source(), col));
                        columns.add(new Column(col, v.get(0), v.get(1)));
                    }
                } else {
                    // the side that has the row: every column but the key's
                    boolean insert = op == Operation.INSERT;
                    Values.row(plan, insert ? c.source() : c.target()).forEach((col, value) -> {
                        if (!keyColumns.contains(col)) {
                            columns.add(new Column(col, insert ? List.of() : HtmlText.of(value),
                                    insert ? HtmlText.of(value) : List.of()));
                        }
                    });
                }
                String label = op == Operation.DELETE && soft ? "soft-delete" : op.label();
                changes.add(new HtmlPage.Change(op.label(), label, key(c.key()), columns, c.revive()));
            }
            long all = m.count(op);
            if (all > shown) {
                String what = op == Operation.DELETE && soft ? "soft-deletes" : op.label() + "s";
                leftOut.add(shown + " of " + all + " " + what + " shown; " + (all - shown) + " left out"
                        + " (--samples N shows up to N per kind)");
            }
        }
        String counts = m.count(Operation.INSERT) + " to insert, " + m.count(Operation.UPDATE) + " to update, "
                + m.count(Operation.DELETE) + " to " + (soft ? "soft-delete" : "delete")
                + (m.underRules().rows() > 0 ? "; " + m.underRules().rows() + " equal under the comparison rules" : "");
        for (RowChange c : m.underRules().samples()) {
            List<Column> columns = new ArrayList<>();
            for (String col : c.changed()) {
                List<List<Piece>> v = HtmlText.compared(Values.value(plan, c.target(), col),
                        Values.value(plan, c.source(), col));
                columns.add(new Column(col + " " + plan.rules().get(col).describe(), v.get(0), v.get(1)));
            }
            changes.add(new HtmlPage.Change(Operation.UPDATE.label(), "equal under rules", key(c.key()), columns,
                    false));
        }
        String writePlan = m.writePlan().filter(w -> w.rows() > 0 && !result.erroredMappings().contains(m.name()))
                .map(w -> TextReport.writePlan(plan, w)).orElse(null);
        List<HtmlPage.Failed> failed = new ArrayList<>();
        List<HtmlPage.Failed> stuck = new ArrayList<>();
        long failedLeftOut = 0;
        if (m.applied().isPresent()) {
            ApplyResult a = m.applied().get();
            a.failed().stream().limit(FAILED_SHOWN).forEach(f -> failed.add(failed(f, 1)));
            failedLeftOut = Math.max(0, a.failed().size() - FAILED_SHOWN);
            stuck.addAll(stuck(a));
        }
        String error = null;
        int i = result.erroredMappings().indexOf(m.name());
        if (i >= 0 && i < result.errors().size()) {
            error = result.errors().get(i);
        }
        return new HtmlPage.Section(m.name(), anchor, plan.sourceTable().displayName() + " → "
                + plan.targetTable().displayName() + " (" + m.strategy() + ", " + millis(m.duration().toMillis())
                + ")", counts, keyColumns, changes, leftOut, writePlan, failed, failedLeftOut, stuck, error);
    }

    /** A sync's stuck rows as the pages list them: the first {@link #FAILED_SHOWN}. */
    public static List<HtmlPage.Failed> stuck(ApplyResult applied) {
        return applied.stuck().stream().limit(FAILED_SHOWN).map(s -> failed(s.row(), s.runs())).toList();
    }

    private static HtmlPage.Failed failed(FailedRow f, int runs) {
        return new HtmlPage.Failed(f.operation().label(), key(f.key()), f.message(), f.sqlState(), runs);
    }

    private static List<List<Piece>> key(List<String> key) {
        return key.stream().map(HtmlText::of).toList();
    }
}
