package dev.recon.report;

import dev.recon.report.HtmlText.Piece;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What the html report's template shows: plain values, already shaped and counted. The
 * template (src/main/jte/report.jte) escapes every one of them; none holds markup.
 */
public record HtmlPage(
        String title,
        String status,
        /** css class of the status: ok, diff, fail. */
        String statusClass,
        String when,
        String took,
        boolean sync,
        Totals totals,
        List<Mapping> mappings,
        Chart chart,
        List<String> errors,
        List<Section> sections) {

    /** Sums over the mappings. */
    public record Totals(int mappings, long inserts, long updates, long deletes, long inserted, long updated,
            long deleted, long failed, long stuck, int errors) {
        static Totals of(List<Mapping> rows, int errors) {
            return new Totals(rows.size(), sum(rows, Mapping::inserts), sum(rows, Mapping::updates),
                    sum(rows, Mapping::deletes), sum(rows, Mapping::inserted), sum(rows, Mapping::updated),
                    sum(rows, Mapping::deleted), sum(rows, Mapping::failed), sum(rows, Mapping::stuck), errors);
        }

        private static long sum(List<Mapping> rows, ToLongFunction<Mapping> figure) {
            return rows.stream().mapToLong(figure).sum();
        }
    }

    /** One line of the mappings table; not {@code counted}: it ended in an error before it compared anything. */
    public record Mapping(String name, String anchor, String source, String target, String strategy, String status,
            String statusClass, long inserts, long updates, long deletes, long inserted, long updated, long deleted,
            long failed, long stuck, long millis, boolean hasSection, boolean counted) {
        public long total() {
            return inserts + updates + deletes;
        }
    }

    /** The bars of differences per mapping (insert, update, delete widths in pixels). */
    public record Chart(int width, int height, List<Bar> bars, String note) {
        /** Pixels left of the bars for the mapping names. */
        public static final int LABEL = 200;
        /** The longest bar, in pixels. */
        public static final int BARS = 460;
        /** Pixels per bar. */
        public static final int ROW = 18;
    }

    /** One mapping's bar: y offset, the three widths, the label. */
    public record Bar(String name, String anchor, int y, int insert, int update, int delete, long total) {
        public String title() {
            return name + ": " + total + (total == 1 ? " difference" : " differences");
        }

        public int insertX() {
            return Chart.LABEL;
        }

        public int updateX() {
            return Chart.LABEL + insert;
        }

        public int deleteX() {
            return Chart.LABEL + insert + update;
        }

        public int labelX() {
            return Chart.LABEL + insert + update + delete + 6;
        }
    }

    /** The details of one mapping: its changes, what was left out, a sync's failed and stuck rows. */
    public record Section(String name, String anchor, String heading, String counts, List<String> keyColumns,
            List<Change> changes, List<String> leftOut, String writePlan, List<Failed> failed, long failedLeftOut,
            List<Failed> stuck, String error) {
    }

    /**
     * One changed row: its key values, the kind of change, and its columns: for an update the
     * changed ones (both values), for an insert or a delete every one (the side that has the row).
     */
    public record Change(String kind, String label, List<List<Piece>> key, List<Column> columns, boolean revive) {
    }

    /** One column of a change: the target's value, then the source's (what a sync writes); empty where a side has no row. */
    public record Column(String name, List<Piece> target, List<Piece> source) {
    }

    /** A row a sync's target refused (or refused run after run: {@code runs} > 1). */
    public record Failed(String operation, List<List<Piece>> key, String message, String sqlState, int runs) {
    }
}
