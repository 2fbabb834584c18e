package dev.recon.report;

import gg.jte.output.WriterOutput;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * What {@code recon serve}'s dashboard ({@code GET /}) shows: per mapping its last run, its
 * stuck rows and a chart of its last runs from the state schema, each run linking to its
 * kept html report. Plain values only; the template (src/main/jte/dashboard.jte) escapes them.
 */
public record DashboardPage(String status, String statusClass, String schedule, String nextRun, String asOf,
        int keptReports, List<Mapping> mappings) {

    /** One mapping: its last run, what is stuck, its history. */
    public record Mapping(String name, String anchor, boolean running, String outcome, String outcomeClass,
            long inserts, long updates, long deletes, long inserted, long updated, long deleted, long failed,
            long stuck, String took, String finished, String nextRun, String lastConverged, String error, String historyNote,
            History chart, List<Run> runs, List<HtmlPage.Failed> stuckRows, List<String> keyColumns) {
        /** False when the last run compared nothing (it had not run yet, or ended in an error first). */
        public boolean counted() {
            return !keyColumns.isEmpty();
        }
    }

    /** One past run, newest first in {@link Mapping#runs}; {@code report} the link to its kept report, or null. */
    public record Run(long id, String started, String outcome, String outcomeClass, long differences, long applied,
            long failed, String took, String report) {
    }

    /**
     * Differences found and rows applied per run, oldest on the left, on a log scale (a first
     * load of 20,000 rows and a later run of 5 both show); {@code ticks} mark 1, 10, 100, ….
     */
    public record History(int width, int height, long max, List<Column> columns, List<Tick> ticks) {
        /** Pixels per run. */
        public static final int STEP = 18;
        /** Height of the bars' area. */
        public static final int BARS = 70;
    }

    /** A labelled line of the chart's scale at {@code y}. */
    public record Tick(int y, String label) {
    }

    /** One run's two bars (found, applied) and its failed rows on top of the applied bar, in pixels. */
    public record Column(int x, int foundY, int found, int appliedY, int applied, int failedY, int failed,
            String title, String report) {
        public int appliedX() {
            return x + 7;
        }
    }

    /** Renders the page. */
    public void render(Writer out) throws IOException {
        HtmlReport.TEMPLATES.render("dashboard.jte", this, new WriterOutput(out));
        out.flush();
    }
}
