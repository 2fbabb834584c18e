package dev.recon.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line per differing row (RFC 4180): sync, operation, key, changed_columns, source,
 * target. Key and row values are JSON objects so that NULL, empty text and composite keys
 * stay unambiguous.
 */
final class CsvReport implements ReportWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Writer out;
    private boolean headerWritten;

    CsvReport(Writer out) {
        this.out = out;
    }

    @Override
    public void change(MappingPlan plan, RowChange c) throws IOException {
        header();
        Map<String, String> source = c.source().isEmpty() ? null : Values.row(plan, c.source());
        Map<String, String> target = c.target().isEmpty() ? null : Values.row(plan, c.target());
        line(plan.name(), c.operation().label(), json(Values.key(plan, c)), String.join(";", c.changed()),
                source == null ? "" : json(source), target == null ? "" : json(target));
    }

    @Override
    public void finish(RunResult report) throws IOException {
        header();
        out.flush();
    }

    private void header() throws IOException {
        if (!headerWritten) {
            headerWritten = true;
            line("sync", "operation", "key", "changed_columns", "source", "target");
        }
    }

    private void line(String... fields) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(fields[i]));
        }
        out.write("\r\n");
    }

    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0
                && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static String json(Map<String, String> values) throws JsonProcessingException {
        return MAPPER.writeValueAsString(new LinkedHashMap<>(values));
    }
}
