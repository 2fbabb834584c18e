package dev.recon.report;

import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import java.io.IOException;

/**
 * Renders a run. Formats that list every row (csv, sql) write as changes stream past;
 * the others render the finished {@link RunResult}.
 */
public interface ReportWriter {
    /** Called for every change as the diff finds it. */
    default void change(MappingPlan plan, RowChange change) throws IOException {
    }

    /** Called once when every mapping has run. */
    void finish(RunResult report) throws IOException;
}
