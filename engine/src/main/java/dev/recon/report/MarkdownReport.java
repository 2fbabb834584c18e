package dev.recon.report;

import dev.recon.config.Operation;
import dev.recon.plan.MappingPlan;
import dev.recon.result.MappingResult;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/** A report to paste into a ticket or a pull request. */
final class MarkdownReport implements ReportWriter {
    private final PrintWriter out;

    MarkdownReport(Writer out) {
        this.out = new PrintWriter(out);
    }

    @Override
    public void finish(RunResult report) throws IOException {
        boolean sync = report.applied();
        String title = Values.status(report.outcome());
        out.println((sync ? "# recon sync: " : "# recon diff: ") + title);
        out.println();
        out.println("| mapping | source | target | strategy | status | insert | update | delete |"
                + (sync ? " inserted | updated | deleted | failed |" : "") + " ms |");
        out.println("|---|---|---|---|---|---:|---:|---:|" + (sync ? "---:|---:|---:|---:|" : "") + "---:|");
        // every mapping, in the mapping file's order: one that ended in an error with no result in its place
        List<String[]> rows = new ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (MappingResult s : report.mappings()) {
            listed.add(s.name());
            String applied = s.applied().map(a -> String.format(" %d | %d | %d | %d |", a.written().inserts(),
                    a.written().updates(), a.written().deletes(), a.failed().size())).orElse("");
            rows.add(new String[] {s.name(), String.format("| %s | %s | %s | %s | %s | %d | %d | %d |%s %d |",
                    cell(s.name()), cell(s.plan().sourceTable().displayName()),
                    cell(s.plan().targetTable().displayName()),
                    s.strategy() + (s.plan().multiset() ? " (key: none, multiset)" : ""),
                    report.outcome(s).label() + (s.underRules().rows() > 0 ? " (" + s.underRules().rows()
                            + " equal under rules)" : ""), s.count(Operation.INSERT), s.count(Operation.UPDATE),
                    s.count(Operation.DELETE), applied, s.duration().toMillis())});
        }
        for (String name : report.erroredMappings()) {
            if (listed.add(name)) {
                rows.add(new String[] {name, "| " + cell(name) + " | | | | error | | | |" + (sync ? " | | | |" : "")
                        + " |"});
            }
        }
        var rank = report.rank();
        rows.sort(java.util.Comparator.comparingInt(r -> rank.applyAsInt(r[0])));
        rows.forEach(r -> out.println(r[1]));
        if (!report.errors().isEmpty()) {
            out.println();
            out.println("Errors:");
            out.println();
            report.errors().forEach(e -> out.println("- " + e.replace("\n", " ")));
        }
        for (MappingResult s : report.mappings()) {
            s.writePlan().filter(w -> w.rows() > 0).ifPresent(w -> {
                out.println();
                out.println("A sync would write to `" + s.plan().targetTable().displayName() + "` (" + s.name()
                        + "): " + TextReport.writePlan(s.plan(), w) + ".");
            });
        }
        for (MappingResult s : report.mappings()) {
            if (s.samples().isEmpty()) {
                continue;
            }
            out.println();
            out.println("## " + s.name());
            out.println();
            out.println("| operation | key | column | target | source |");
            out.println("|---|---|---|---|---|");
            for (RowChange c : s.samples()) {
                row(s.plan(), c);
            }
        }
        out.flush();
    }

    private void row(MappingPlan plan, RowChange c) {
        String key = cell(Values.keyText(plan, c));
        if (c.operation() != Operation.UPDATE || c.changed().isEmpty()) {
            out.printf("| %s | %s | %s | | |%n", c.operation().label(), key, c.revive() ? "(revive)" : "");
            return;
        }
        for (String col : c.changed()) {
            out.printf("| %s | %s | %s | %s | %s |%n", c.operation().label(), key, cell(col),
                    cell(Values.display(Values.value(plan, c.target(), col))),
                    cell(Values.display(Values.value(plan, c.source(), col))));
        }
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
