package dev.recon.cli;

import dev.recon.report.ReportFormat;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

final class Formats {
    private Formats() {
    }

    static ReportFormat parse(CommandSpec spec, String text) {
        try {
            return ReportFormat.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(),
                    "--format must be one of text, json, csv, markdown, sql; not '" + text + "'");
        }
    }
}
