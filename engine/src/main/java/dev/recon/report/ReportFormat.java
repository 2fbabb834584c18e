package dev.recon.report;

import java.io.Writer;

/** The formats of {@code recon diff}. */
public enum ReportFormat {
    TEXT, JSON, CSV, MARKDOWN, SQL, HTML;

    public ReportWriter writer(Writer out) {
        return switch (this) {
            case TEXT -> new TextReport(out);
            case JSON -> new JsonReport(out);
            case CSV -> new CsvReport(out);
            case MARKDOWN -> new MarkdownReport(out);
            case SQL -> new SqlReport(out);
            case HTML -> new HtmlReport(out);
        };
    }
}
